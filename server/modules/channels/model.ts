import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

/** A notice (公告) posted in a channel: the unit, building, estate or community node. */
const noticeSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true, maxlength: 40 },
    body: { type: String, required: true, maxlength: 2000 },
    pinned: { type: Boolean, default: false },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorRole: { type: String, required: true },
    publishedAt: { type: Date, required: true },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    editedAt: { type: Date, default: null },
    /** Withdrawn (已撤回) by its author or staff: gone from every list, kept for the audit. */
    withdrawnAt: { type: Date, default: null },
    /** What it said before each edit, oldest first. */
    versions: {
      type: [
        {
          _id: false,
          title: { type: String, required: true },
          body: { type: String, required: true },
          replacedAt: { type: Date, required: true },
          editorId: { type: Schema.Types.ObjectId, required: true },
          editorRole: { type: String, required: true },
        },
      ],
      default: [],
    },
  },
  { timestamps: true },
);
noticeSchema.index({ channelId: 1, pinned: -1, publishedAt: -1 });
noticeSchema.plugin(tenantScoped);

/** A read receipt; receipts are counted per household. */
const noticeReadSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  noticeId: { type: Schema.Types.ObjectId, required: true },
  channelId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  householdId: { type: Schema.Types.ObjectId, default: null },
  readAt: { type: Date, required: true },
});
noticeReadSchema.index({ noticeId: 1, userId: 1 }, { unique: true });
noticeReadSchema.index({ userId: 1, channelId: 1 });
noticeReadSchema.plugin(tenantScoped);

export type Notice = InferSchemaType<typeof noticeSchema> & { _id: Types.ObjectId };

export function noticeModel(connection: Connection) {
  return connection.model('Notice', noticeSchema, 'notices');
}
export function noticeReadModel(connection: Connection) {
  return connection.model('NoticeRead', noticeReadSchema, 'notice_reads');
}
