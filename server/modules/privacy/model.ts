import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { CONSENT_ITEM_KINDS, CONSENT_KINDS } from '../../../shared/privacy';

/**
 * One separate consent (单独同意, PIPL Art. 29/25) a person gave about one item: who, which kind, which item,
 * under which policy version, when, and when revoked. The item's own flag (a report's `showName`, a wish's
 * `showMaskedName`, a claim's `showName`, a board entry's `consent`) is what views read; this record is the
 * proof and what 我的授权 lists. At most one standing (unrevoked) record per person, kind and item; giving it
 * again after revoking starts a new record. Read across communities (a person's own list), so not tenant-scoped.
 */
const consentSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  communityId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: CONSENT_KINDS, required: true },
  itemKind: { type: String, enum: CONSENT_ITEM_KINDS, required: true },
  itemId: { type: Schema.Types.ObjectId, required: true },
  version: { type: String, required: true },
  grantedAt: { type: Date, required: true },
  revokedAt: { type: Date, default: null },
});
consentSchema.index({ userId: 1, grantedAt: -1 });
consentSchema.index({ userId: 1, kind: 1, itemId: 1, revokedAt: 1 });

export type ConsentRecord = InferSchemaType<typeof consentSchema> & { _id: Types.ObjectId };

/** Each acceptance of the privacy policy: the version and when (the latest is what GET /me shows). */
const acceptanceSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  version: { type: String, required: true },
  acceptedAt: { type: Date, required: true },
});
acceptanceSchema.index({ userId: 1, acceptedAt: -1 });

export type PolicyAcceptance = InferSchemaType<typeof acceptanceSchema> & { _id: Types.ObjectId };

/**
 * A data export (PIPL Art. 45): built by a job into a zip in the file store (`key`), downloadable by its
 * requester until `expiresAt`; then the file is removed (the record stays, without the key).
 */
const exportSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true, index: true },
  state: { type: String, enum: ['pending', 'ready', 'failed'], default: 'pending' },
  requestedAt: { type: Date, required: true },
  readyAt: { type: Date, default: null },
  expiresAt: { type: Date, default: null },
  key: { type: String, default: null },
  bytes: { type: Number, default: null },
  error: { type: String, default: null },
});

export type DataExport = InferSchemaType<typeof exportSchema> & { _id: Types.ObjectId };

export function consentRecordModel(connection: Connection) {
  return connection.model('PrivacyConsent', consentSchema, 'privacy_consents');
}
export function policyAcceptanceModel(connection: Connection) {
  return connection.model('PolicyAcceptance', acceptanceSchema, 'privacy_acceptances');
}
export function dataExportModel(connection: Connection) {
  return connection.model('DataExport', exportSchema, 'data_exports');
}
export type ConsentRecordModel = ReturnType<typeof consentRecordModel>;
