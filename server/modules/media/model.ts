import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { observeWrites } from '../../data/read-cache';
import { tenantScoped } from '../../data/tenant-scope';

/**
 * An uploaded photo. Only the re-encoded variants are kept (EXIF and GPS gone); the original bytes are
 * hashed and dropped. `check` follows WeChat's asynchronous content check.
 */
const mediaSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    /** The client's key for this upload: a retry after a dropped network returns the first upload. */
    idempotencyKey: { type: String, required: true },
    /** SHA-256 of the bytes as uploaded. */
    hash: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    bytes: { type: Number, required: true },
    /** Bumped when staff redact the photo, so cached URLs of the old image stop matching. */
    version: { type: Number, default: 1 },
    keys: {
      type: new Schema(
        { display: { type: String, required: true }, thumb: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    check: {
      type: new Schema(
        {
          status: { type: String, required: true, enum: ['checking', 'pass', 'review', 'risky'], default: 'checking' },
          traceId: { type: String, default: null },
          checkedAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      required: true,
      default: () => ({}),
    },
    /** The item the photo belongs to, once attached. */
    attachedTo: { kind: { type: String }, itemId: { type: Schema.Types.ObjectId } },
  },
  { timestamps: true },
);
mediaSchema.index({ ownerId: 1, idempotencyKey: 1 }, { unique: true });
mediaSchema.index({ 'check.traceId': 1 });
mediaSchema.plugin(tenantScoped);
mediaSchema.plugin(observeWrites);

export type Media = InferSchemaType<typeof mediaSchema> & { _id: Types.ObjectId };

export function mediaModel(connection: Connection) {
  return connection.model('Media', mediaSchema, 'media');
}
