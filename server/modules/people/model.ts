import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { observeWrites } from '../../data/read-cache';

const banSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    until: { type: Date, required: true },
    reason: { type: String, default: '' },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    openid: { type: String, required: true, unique: true },
    unionid: { type: String, unique: true, sparse: true },
    displayName: { type: String, required: true, maxlength: 20 },
    /** Kept whole for staff workflows that need to call; every view shows it masked. */
    phone: { type: String },
    badges: { type: [String], enum: ['volunteer', 'party_member'], default: [] },
    /** WeChat's session key for this user; never leaves the server. */
    sessionKey: { type: String, select: false },
    lastLoginAt: { type: Date },
    /**
     * Set by staff moderation, at most one per community: no posting there until `until`. Per community, so one
     * community's staff cannot silence someone everywhere.
     */
    bans: { type: [banSchema], default: [] },
    /**
     * Set when the person closed their account (PIPL Art. 47): the document stays as a pseudonym so what they
     * posted still resolves (to 已注销用户), with no name, phone or WeChat identity left.
     */
    deletedAt: { type: Date, default: null },
    /**
     * Bumped by every change to what the person's requests are authorised by (roles, grids, sessions, name), so
     * each instance's cached actor is checked against it (server/modules/roles/actor-cache.ts).
     */
    authVersion: { type: Number, default: 0 },
  },
  { timestamps: true },
);
userSchema.plugin(observeWrites);

export type User = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };

export function userModel(connection: Connection) {
  return connection.model('User', userSchema, 'users');
}
export type UserModel = ReturnType<typeof userModel>;
