import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { activityKinds, dayParts, orderStates, serviceKinds, volunteerStatuses } from '../../../shared/volunteers';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

/** A person's registration as a volunteer in one community; staff verify, suspend or reinstate it. */
const volunteerSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    realName: { type: String, required: true, maxlength: 20 },
    /** Kept whole for staff; everyone else sees it masked. */
    phone: { type: String, required: true },
    skills: { type: [String], enum: serviceKinds, default: [] },
    areaIds: { type: [Schema.Types.ObjectId], default: [] },
    availability: {
      type: [new Schema({ day: Number, part: { type: String, enum: dayParts } }, { _id: false })],
      default: [],
    },
    status: { type: String, enum: volunteerStatuses, default: 'pending' },
    statusReason: { type: String, default: null },
    /** Kept by each rating with $inc, so ranking reads them without a scan. */
    ratingSum: { type: Number, default: 0 },
    ratingCount: { type: Number, default: 0 },
    /**
     * The sum of the volunteer's ledger entries in half-hours, bumped in the same transaction as each entry is
     * appended: totals, points and stars read it instead of summing the ledger.
     */
    halfHours: { type: Number, default: 0 },
  },
  { timestamps: true },
);
volunteerSchema.index({ communityId: 1, userId: 1 }, { unique: true });
volunteerSchema.index({ communityId: 1, status: 1, createdAt: -1, _id: -1 });
volunteerSchema.index({ communityId: 1, status: 1, skills: 1 });
volunteerSchema.plugin(tenantScoped);

const offerSchema = new Schema(
  {
    volunteerId: { type: Schema.Types.ObjectId, required: true },
    outcome: { type: String, enum: ['declined', 'timeout'], required: true },
    note: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A service order from 点单 to 评单. `volunteerId` is the user id of the volunteer it is offered to or taken by.
 * Every move is one update conditional on the state and version it saw.
 */
const orderSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    nodeId: { type: Schema.Types.ObjectId, required: true },
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    /** The resident served, and who placed the order (a captain or staff on their behalf, or themselves). */
    requesterId: { type: Schema.Types.ObjectId, required: true },
    orderedBy: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
    kind: { type: String, enum: serviceKinds, required: true },
    description: { type: String, required: true, maxlength: 500 },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    windowStart: { type: Date, required: true },
    windowEnd: { type: Date, required: true },
    state: { type: String, enum: orderStates, default: 'ordered' },
    volunteerId: { type: Schema.Types.ObjectId, default: null },
    acceptBy: { type: Date, default: null },
    firstDispatchedAt: { type: Date, default: null },
    acceptedAt: { type: Date, default: null },
    checkInAt: { type: Date, default: null },
    checkOutAt: { type: Date, default: null },
    credited: {
      type: new Schema({ halfHours: Number, minutes: Number, manual: Boolean }, { _id: false }),
      default: null,
    },
    rating: { type: new Schema({ score: Number, comment: String }, { _id: false }), default: null },
    complaint: {
      type: new Schema(
        { text: String, status: { type: String, enum: ['open', 'upheld', 'dismissed'] }, note: String },
        { _id: false },
      ),
      default: null,
    },
    offers: { type: [offerSchema], default: [] },
    /** The door code's secret: codes are derived from it per purpose and minute. Never leaves the server. */
    doorSecret: { type: String, required: true, select: false },
    /** The last code step used, so a code cannot be used twice. */
    doorUsedStep: { type: Number, default: 0 },
    doorFailures: { type: Number, default: 0 },
    doorLockedUntil: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
orderSchema.index({ orderedBy: 1, idempotencyKey: 1 }, { unique: true });
orderSchema.index({ communityId: 1, requesterId: 1, createdAt: -1, _id: -1 });
orderSchema.index({ communityId: 1, volunteerId: 1, state: 1 });
orderSchema.index({ communityId: 1, volunteerId: 1, createdAt: -1, _id: -1 });
orderSchema.index({ communityId: 1, state: 1, windowStart: 1, _id: 1 });
orderSchema.index({ communityId: 1, createdAt: 1 });
orderSchema.plugin(tenantScoped);

/** The hours ledger: append-only; a void is a reversing entry naming the one it reverses. */
const ledgerSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  /** The volunteer's user id. */
  userId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: ['order', 'activity', 'manual', 'void'], required: true },
  /** The service kind of an order, or 'activity'. */
  serviceKind: { type: String, required: true },
  orderId: { type: Schema.Types.ObjectId, default: null },
  activityId: { type: Schema.Types.ObjectId, default: null },
  minutes: { type: Number, required: true },
  halfHours: { type: Number, required: true },
  title: { type: String, required: true },
  note: { type: String, default: null },
  reverses: { type: Schema.Types.ObjectId, default: null },
  at: { type: Date, required: true },
});
ledgerSchema.index({ communityId: 1, userId: 1, at: -1, _id: -1 });
ledgerSchema.index({ communityId: 1, at: 1 });
// One credit per order or activity and volunteer, one reversal per entry: a retry cannot count hours twice.
ledgerSchema.index(
  { orderId: 1, userId: 1, kind: 1 },
  { unique: true, partialFilterExpression: { orderId: { $type: 'objectId' } } },
);
ledgerSchema.index(
  { activityId: 1, userId: 1, kind: 1 },
  { unique: true, partialFilterExpression: { activityId: { $type: 'objectId' } } },
);
ledgerSchema.plugin(tenantScoped);

/** An activity staff publish: places, sign-ups with a waiting list, a check-in code shown by the organiser. */
const activitySchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    nodeId: { type: Schema.Types.ObjectId, required: true },
    organiserId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: activityKinds, required: true },
    description: { type: String, default: '' },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    places: { type: Number, required: true },
    /** Those with a place, in sign-up order; the waiting list in order. Moves are single conditional updates. */
    participants: { type: [Schema.Types.ObjectId], default: [] },
    waiting: { type: [Schema.Types.ObjectId], default: [] },
    checkedIn: { type: [Schema.Types.ObjectId], default: [] },
    checkInCode: { type: String, required: true },
    completedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
activitySchema.index({ communityId: 1, startAt: -1, _id: -1 });
activitySchema.plugin(tenantScoped);

/** A community's volunteer settings; a community without a document has the defaults. */
const settingsSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true, unique: true },
  acceptTimeoutMinutes: { type: Number, required: true },
});
settingsSchema.plugin(tenantScoped);

export type Volunteer = InferSchemaType<typeof volunteerSchema> & { _id: Types.ObjectId; createdAt: Date };
export type VolunteerOrder = InferSchemaType<typeof orderSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export type LedgerEntry = InferSchemaType<typeof ledgerSchema> & { _id: Types.ObjectId };
export type Activity = InferSchemaType<typeof activitySchema> & { _id: Types.ObjectId };

export function volunteerModel(connection: Connection) {
  return connection.model('Volunteer', volunteerSchema, 'volunteers');
}
export function volunteerOrderModel(connection: Connection) {
  return connection.model('VolunteerOrder', orderSchema, 'volunteer_orders');
}
export function ledgerModel(connection: Connection) {
  return connection.model('HoursEntry', ledgerSchema, 'volunteer_hours');
}
export function activityModel(connection: Connection) {
  return connection.model('VolunteerActivity', activitySchema, 'volunteer_activities');
}
export function volunteerSettingsModel(connection: Connection) {
  return connection.model('VolunteerSettings', settingsSchema, 'volunteer_settings');
}
