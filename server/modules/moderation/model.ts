import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { tenantScoped } from '../../data/tenant-scope';

/**
 * The moderation state every user-generated item carries (`moderation` field). Visible to all who may
 * see the item, `review` (author and staff only, until staff decide) or `hidden` (staff only).
 */
export const moderationSchema = new Schema(
  {
    state: { type: String, enum: ['visible', 'review', 'hidden'], default: 'visible' },
    /** Distinct residents who flagged the item; the third hides it until staff decide. */
    flaggedBy: { type: [Schema.Types.ObjectId], default: [] },
  },
  { _id: false },
);

/** A piece of work in the staff moderation queue: one open case per item at a time. */
const caseSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    itemId: { type: Schema.Types.ObjectId, required: true },
    reason: {
      type: String,
      required: true,
      enum: ['text-review', 'media-review', 'media-risky', 'flags', 'check-unavailable'],
    },
    status: { type: String, required: true, enum: ['open', 'closed'], default: 'open' },
    flags: {
      type: [{ _id: false, userId: Schema.Types.ObjectId, reason: String, at: Date }],
      default: [],
    },
    decision: { type: String },
    decidedBy: { type: Schema.Types.ObjectId },
    decidedAt: { type: Date },
  },
  { timestamps: true },
);
caseSchema.index({ kind: 1, itemId: 1 }, { unique: true, partialFilterExpression: { status: 'open' } });
caseSchema.index({ communityId: 1, status: 1, createdAt: 1 });
caseSchema.plugin(tenantScoped);

export type ModerationCase = InferSchemaType<typeof caseSchema> & { _id: Types.ObjectId; createdAt: Date };

export function moderationCaseModel(connection: Connection) {
  return connection.model('ModerationCase', caseSchema, 'moderation_cases');
}
