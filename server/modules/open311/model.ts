import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { tenantScoped } from '../../data/tenant-scope';

/**
 * An external system (a city hotline, a street's platform) staff allowed to file reports into their
 * community through Open311. Its key is shown once when issued; only its SHA-256 is kept (the key is 256
 * random bits, so a fast hash is enough to make a leaked database useless for posting).
 */
const apiClientSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true, maxlength: 20 },
    keyHash: { type: String, required: true },
    /** The system user its reports are filed as (openid `open311:<client id>`), so idempotency and bans work per client. */
    userId: { type: Schema.Types.ObjectId, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
apiClientSchema.index({ keyHash: 1 }, { unique: true });
apiClientSchema.index({ communityId: 1, createdAt: -1 });
apiClientSchema.plugin(tenantScoped);

export type ApiClient = InferSchemaType<typeof apiClientSchema> & { _id: Types.ObjectId; createdAt: Date };

export function apiClientModel(connection: Connection) {
  return connection.model('Open311Client', apiClientSchema, 'open311_clients');
}
export type ApiClientModel = ReturnType<typeof apiClientModel>;
