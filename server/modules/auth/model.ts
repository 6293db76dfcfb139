import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** A login on one device: access tokens carry its id, so revoking it ends them at once. */
const sessionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    revokedAt: { type: Date, default: null },
    lastRefreshedAt: { type: Date },
  },
  { timestamps: true },
);

/**
 * One refresh token of a session, stored as a SHA-256 hash. Each is used once: refreshing marks it used and
 * issues the next; presenting a used token again means it was copied, and the whole session is revoked.
 */
const refreshTokenSchema = new Schema({
  sessionId: { type: Schema.Types.ObjectId, required: true, index: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  hash: { type: String, required: true, unique: true },
  usedAt: { type: Date, default: null },
  expiresAt: { type: Date, required: true, expires: 0 },
});

export type Session = InferSchemaType<typeof sessionSchema> & { _id: Types.ObjectId };
export type RefreshToken = InferSchemaType<typeof refreshTokenSchema> & { _id: Types.ObjectId };

export function sessionModel(connection: Connection) {
  return connection.model('Session', sessionSchema, 'sessions');
}
export function refreshTokenModel(connection: Connection) {
  return connection.model('RefreshToken', refreshTokenSchema, 'refresh_tokens');
}
export type SessionModel = ReturnType<typeof sessionModel>;
export type RefreshTokenModel = ReturnType<typeof refreshTokenModel>;
