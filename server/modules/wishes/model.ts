import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { beneficiaryKinds, claimantTypes, wishKinds, wishStates } from '../../../shared/wishes';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

/** One claim of a wish: the active one in `claim`, ended ones in `claims` with how they ended. */
const claimFields = {
  userId: { type: Schema.Types.ObjectId, required: true },
  type: { type: String, enum: claimantTypes, required: true },
  organisationId: { type: Schema.Types.ObjectId, default: null },
  /** The claimant agreed to their name on the roll of honour. */
  showName: { type: Boolean, default: false },
  claimedAt: { type: Date, required: true },
  lapsesAt: { type: Date, required: true },
};
const claimSchema = new Schema(claimFields, { _id: false });
const pastClaimSchema = new Schema(
  {
    ...claimFields,
    endedAt: { type: Date, required: true },
    outcome: { type: String, enum: ['released', 'lapsed', 'reopened'], required: true },
    note: { type: String, default: null },
  },
  { _id: false },
);

/**
 * A micro-wish (微心愿) from posting to confirmation. The beneficiary's name, room and phone are a snapshot
 * taken when it was posted and leave the server only for the wish's inside (shared/wishes.ts parties).
 * `nodeId` is the estate of the household (its channel), never the building, unit or room.
 * Every move is one update conditional on the state and version it saw.
 */
const wishSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    nodeId: { type: Schema.Types.ObjectId, required: true },
    /** The estate's ancestors and the estate: staff's rights are checked against it. */
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    householdId: { type: Schema.Types.ObjectId, required: true },
    /** Who posted it: the beneficiary's household member, or the proxy who recorded it (代录). */
    postedBy: { type: Schema.Types.ObjectId, required: true },
    onBehalf: { type: Boolean, default: false },
    idempotencyKey: { type: String, required: true },
    text: { type: String, required: true, maxlength: 200 },
    kind: { type: String, enum: wishKinds, required: true },
    beneficiaryKind: { type: String, enum: beneficiaryKinds, required: true },
    valueYuan: { type: Number, required: true },
    /** YYYY-MM-DD in China: strings of that form sort as the dates do. */
    wantedBy: { type: String, required: true },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    showMaskedName: { type: Boolean, default: false },
    beneficiary: {
      type: new Schema(
        { name: String, phone: { type: String, default: null }, room: String, buildingName: String },
        { _id: false },
      ),
      required: true,
    },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    state: { type: String, enum: wishStates, default: 'pending' },
    reviewNote: { type: String, default: null },
    publishedAt: { type: Date, default: null },
    claim: { type: claimSchema, default: null },
    claims: { type: [pastClaimSchema], default: [] },
    fulfilment: {
      type: new Schema(
        { note: String, mediaIds: [Schema.Types.ObjectId], at: Date, autoConfirmsAt: Date },
        { _id: false },
      ),
      default: null,
    },
    confirmation: {
      type: new Schema(
        { by: { type: String, enum: ['beneficiary', 'auto', 'staff'] }, thanks: String, at: Date },
        { _id: false },
      ),
      default: null,
    },
    /** When it was confirmed (by the beneficiary's side, by staff or by itself): the done wall's order. */
    confirmedAt: { type: Date, default: null },
    dispute: {
      type: new Schema(
        {
          reason: String,
          at: Date,
          decision: {
            type: new Schema({ outcome: { type: String, enum: ['settle', 'reopen'] }, note: String }, { _id: false }),
            default: null,
          },
        },
        { _id: false },
      ),
      default: null,
    },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
wishSchema.index({ postedBy: 1, idempotencyKey: 1 }, { unique: true });
wishSchema.index({ communityId: 1, state: 1, wantedBy: 1, _id: 1 });
wishSchema.index({ communityId: 1, state: 1, kind: 1, wantedBy: 1, _id: 1 });
wishSchema.index({ communityId: 1, state: 1, confirmedAt: -1, _id: -1 });
wishSchema.index({ communityId: 1, postedBy: 1, createdAt: -1, _id: -1 });
wishSchema.index({ communityId: 1, 'claims.userId': 1, createdAt: -1, _id: -1 });
wishSchema.index({ communityId: 1, 'claim.userId': 1, createdAt: -1, _id: -1 });
wishSchema.index({ communityId: 1, createdAt: 1 });
wishSchema.plugin(tenantScoped);

/** A community's wish settings (shared/wishes.ts DEFAULT_WISH_SETTINGS when none are stored). */
const settingsSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true, unique: true },
  maxValueYuan: { type: Number, required: true },
  claimLapseDays: { type: Number, required: true },
  autoConfirmDays: { type: Number, required: true },
});
settingsSchema.plugin(tenantScoped);

/** A registered organisation (爱心组织): staff add it; members join with its code and claim in its name. */
const organisationSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true, maxlength: 40 },
    contactName: { type: String, required: true },
    contactPhone: { type: String, required: true },
    joinCode: { type: String, required: true },
    members: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true },
);
organisationSchema.index({ joinCode: 1 }, { unique: true });
organisationSchema.index({ communityId: 1, name: 1 }, { unique: true });
organisationSchema.index({ communityId: 1, members: 1 });
organisationSchema.plugin(tenantScoped);

/** A short message inside a wish between the beneficiary's side and the claimant. */
const messageSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  wishId: { type: Schema.Types.ObjectId, required: true },
  authorId: { type: Schema.Types.ObjectId, required: true },
  from: { type: String, enum: ['beneficiary', 'claimant'], required: true },
  text: { type: String, required: true, maxlength: 200 },
  /** The text check asked for review: shown to its author only. */
  held: { type: Boolean, default: false },
  at: { type: Date, required: true },
});
messageSchema.index({ communityId: 1, wishId: 1, at: -1, _id: -1 });
messageSchema.plugin(tenantScoped);

export type Wish = InferSchemaType<typeof wishSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type WishOrganisation = InferSchemaType<typeof organisationSchema> & { _id: Types.ObjectId };
export type WishMessage = InferSchemaType<typeof messageSchema> & { _id: Types.ObjectId };

export function wishModel(connection: Connection) {
  return connection.model('Wish', wishSchema, 'wishes');
}
export function wishSettingsModel(connection: Connection) {
  return connection.model('WishSettings', settingsSchema, 'wish_settings');
}
export function wishOrganisationModel(connection: Connection) {
  return connection.model('WishOrganisation', organisationSchema, 'wish_organisations');
}
export function wishMessageModel(connection: Connection) {
  return connection.model('WishMessage', messageSchema, 'wish_messages');
}
