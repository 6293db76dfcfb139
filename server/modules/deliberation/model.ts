import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { TopicKind, TopicStatus } from '../../../shared/votes';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

const stageSchema = new Schema(
  { name: { type: String, required: true }, at: Date, by: Schema.Types.ObjectId, note: String },
  { _id: false },
);

const ballotSchema = new Schema(
  {
    options: { type: [{ _id: false, key: String, label: String }], required: true },
    rule: { type: String, enum: ['simple', 'two_thirds', 'art278_ordinary', 'art278_major'], required: true },
    quorumPercent: { type: Number, default: 0 },
    opensAt: { type: Date, required: true },
    closesAt: { type: Date, required: true },
    ownersOnly: { type: Boolean, required: true },
    openedBy: { type: Schema.Types.ObjectId, required: true },
    openedRole: { type: String, required: true },
    /** Computed once at close and never written again (the update is conditional on it being null). */
    result: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

/**
 * A topic (议题) on a node: raised by a resident, co-signed by households, discussed, decided by a ballot,
 * carried out and rated. Every move is one update conditional on the status it expects.
 */
const topicSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    nodeId: { type: Schema.Types.ObjectId, required: true },
    /** The node's ancestors and the node: "topics under this building" is one indexed query. */
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    title: { type: String, required: true, maxlength: 40 },
    text: { type: String, required: true, maxlength: 2000 },
    kind: { type: String, enum: Object.values(TopicKind), required: true },
    status: { type: String, enum: Object.values(TopicStatus), required: true, default: 'proposed' },
    authorId: { type: Schema.Types.ObjectId, required: true },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    /** Households that co-signed (附议), each once however many of its members sign. */
    cosigners: { type: [Schema.Types.ObjectId], default: [] },
    cosignThreshold: { type: Number, required: true },
    cosignDeadline: { type: Date, required: true },
    adoptedBy: { type: Schema.Types.ObjectId, default: null },
    /** The community's 四议两公开 stages as they were when the topic was raised, each filled in order. */
    stages: { type: [stageSchema], default: [] },
    discussionClosed: { type: Boolean, default: false },
    summary: { type: String, default: null },
    commentCount: { type: Number, default: 0 },
    ballot: { type: ballotSchema, default: null },
    implementation: {
      type: new Schema(
        {
          owner: String,
          plan: String,
          updates: { type: [{ _id: false, note: String, mediaIds: [Schema.Types.ObjectId], at: Date }], default: [] },
          doneAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    rating: {
      type: new Schema(
        { closesAt: Date, published: { type: { averageTenths: Number, households: Number }, default: null } },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true },
);
topicSchema.index({ communityId: 1, nodeId: 1, createdAt: -1, _id: -1 });
topicSchema.index({ communityId: 1, ancestors: 1, createdAt: -1 });
topicSchema.plugin(tenantScoped);

/** A comment or reply in a topic's discussion. */
const commentSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    topicId: { type: Schema.Types.ObjectId, required: true },
    /** The node of the topic, so moderation checks permissions against it. */
    nodeId: { type: Schema.Types.ObjectId, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    authorId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true, maxlength: 500 },
    likedBy: { type: [Schema.Types.ObjectId], default: [] },
    pinned: { type: Boolean, default: false },
    folded: { type: new Schema({ reason: String, by: Schema.Types.ObjectId }, { _id: false }), default: null },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
  },
  { timestamps: true },
);
commentSchema.index({ communityId: 1, topicId: 1, pinned: -1, createdAt: 1, _id: 1 });
commentSchema.plugin(tenantScoped);

/**
 * One ballot per household per topic (the unique index holds it under any concurrency), changeable until
 * close; the receipt code stays the household's through changes.
 */
const voteSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  topicId: { type: Schema.Types.ObjectId, required: true },
  householdId: { type: Schema.Types.ObjectId, required: true },
  choice: { type: String, required: true },
  receipt: { type: String, required: true },
  castBy: { type: Schema.Types.ObjectId, required: true },
  /** A captain's proxy ballot for a household without a phone; the household may overrule it before close. */
  proxy: { type: new Schema({ by: Schema.Types.ObjectId, note: String }, { _id: false }), default: null },
  castAt: { type: Date, required: true },
});
voteSchema.index({ topicId: 1, householdId: 1 }, { unique: true });
voteSchema.index({ topicId: 1, receipt: 1 }, { unique: true });
voteSchema.index({ communityId: 1, topicId: 1 });
voteSchema.plugin(tenantScoped);

/** A household's 1–5 rating of a carried-out topic (民评), changeable until the window ends. */
const ratingSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  topicId: { type: Schema.Types.ObjectId, required: true },
  householdId: { type: Schema.Types.ObjectId, required: true },
  score: { type: Number, required: true, min: 1, max: 5 },
  userId: { type: Schema.Types.ObjectId, required: true },
});
ratingSchema.index({ topicId: 1, householdId: 1 }, { unique: true });
ratingSchema.plugin(tenantScoped);

/** A community's 四议两公开 stages and co-sign thresholds for particular nodes. */
const settingsSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true, unique: true },
  stages: { type: [String], required: true },
  cosignThresholds: { type: [{ _id: false, nodeId: Schema.Types.ObjectId, households: Number }], default: [] },
});
settingsSchema.plugin(tenantScoped);

export type Topic = InferSchemaType<typeof topicSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type TopicComment = InferSchemaType<typeof commentSchema> & { _id: Types.ObjectId; createdAt: Date };
export type TopicVote = InferSchemaType<typeof voteSchema> & { _id: Types.ObjectId };
export type Ballot = NonNullable<Topic['ballot']>;

export function topicModel(connection: Connection) {
  return connection.model('Topic', topicSchema, 'topics');
}
export function topicCommentModel(connection: Connection) {
  return connection.model('TopicComment', commentSchema, 'topic_comments');
}
export function topicVoteModel(connection: Connection) {
  return connection.model('TopicVote', voteSchema, 'topic_votes');
}
export function topicRatingModel(connection: Connection) {
  return connection.model('TopicRating', ratingSchema, 'topic_ratings');
}
export function deliberationSettingsModel(connection: Connection) {
  return connection.model('DeliberationSettings', settingsSchema, 'deliberation_settings');
}
