import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { ReportState, ResponseLevel } from '../../../shared/reports';
import { observeWrites } from '../../data/read-cache';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

const pointSchema = new Schema(
  { type: { type: String, enum: ['Point'], required: true }, coordinates: { type: [Number], required: true } },
  { _id: false },
);

/**
 * A report (随手拍) from a resident's photo to a fix the resident confirms. The fields the figures need
 * (first deadlines, when it was first answered and first resolved, whether on time) are set once by the
 * moves themselves, so the figures are a plain aggregation.
 */
const reportSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    /** The place it is about (a unit, or a building/estate common area) and that place's ancestry. */
    nodeId: { type: Schema.Types.ObjectId, required: true },
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    estateId: { type: Schema.Types.ObjectId, default: null },
    gridId: { type: Schema.Types.ObjectId, default: null },
    reporterId: { type: Schema.Types.ObjectId, required: true },
    /** Open311 clients (a city hotline) file on behalf of callers. */
    source: { type: String, enum: ['app', 'open311'], default: 'app' },
    showName: { type: Boolean, default: false },
    idempotencyKey: { type: String, required: true },
    category: { type: String, required: true },
    priority: { type: String, enum: ['urgent', 'high', 'normal'], required: true },
    private: { type: Boolean, default: false },
    description: { type: String, required: true, maxlength: 500 },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    location: { type: pointSchema, default: undefined },
    state: {
      type: String,
      required: true,
      enum: Object.values(ReportState),
      default: 'submitted',
    },
    level: { type: String, enum: Object.values(ResponseLevel), default: 'grid' },
    assignee: {
      type: new Schema(
        {
          kind: { type: String, enum: ['person', 'property'], required: true },
          userId: { type: Schema.Types.ObjectId, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    /** The deadline now in force, and the first ones (what on-time rates are measured against). */
    acceptBy: { type: Date, default: null },
    resolveBy: { type: Date, default: null },
    /**
     * The deadline it missed, set by the escalation and kept until a move replaces the deadline it waits on
     * (answered, resolved): the report stays overdue though the next level has a fresh deadline.
     */
    overdueSince: { type: Date, default: null },
    /** `deadlineInForce`: the missed deadline while overdue, else whichever of the two runs; lists sort by it. */
    dueAt: { type: Date, default: null },
    firstAcceptBy: { type: Date, required: true },
    firstResolveBy: { type: Date, default: null },
    respondedAt: { type: Date, default: null },
    respondedOnTime: { type: Boolean, default: null },
    acceptedAt: { type: Date, default: null },
    firstResolvedAt: { type: Date, default: null },
    resolvedOnTime: { type: Boolean, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    autoClosed: { type: Boolean, default: false },
    rejection: {
      type: new Schema(
        { kind: { type: String, enum: ['invalid', 'duplicate'] }, note: String, duplicateOf: Schema.Types.ObjectId },
        { _id: false },
      ),
      default: null,
    },
    resolution: {
      type: new Schema({ note: String, mediaIds: [Schema.Types.ObjectId] }, { _id: false }),
      default: null,
    },
    rating: {
      type: new Schema({ score: { type: Number, min: 1, max: 5 }, comment: String }, { _id: false }),
      default: null,
    },
    reopenCount: { type: Number, default: 0 },
    followers: { type: [Schema.Types.ObjectId], default: [] },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    /** Bumped by every move: each move is one update conditional on the state and version it saw. */
    version: { type: Number, default: 0 },
    /** When the retention job purged its photos and personal fields (privacy module), else null. */
    purgedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
reportSchema.index({ reporterId: 1, idempotencyKey: 1 }, { unique: true });
reportSchema.index({ communityId: 1, createdAt: -1, _id: -1 });
reportSchema.index({ communityId: 1, state: 1, createdAt: -1 });
reportSchema.index({ communityId: 1, estateId: 1, createdAt: -1 });
reportSchema.index({ communityId: 1, gridId: 1, createdAt: -1 });
reportSchema.index({ reporterId: 1, createdAt: -1 });
reportSchema.index({ 'assignee.userId': 1, state: 1 });
reportSchema.index({ communityId: 1, dueAt: 1, _id: 1 });
/** The figures' rollups ask which reports were written since they were checked. */
reportSchema.index({ communityId: 1, updatedAt: 1 });
reportSchema.index({ location: '2dsphere' });
reportSchema.plugin(tenantScoped);
// List pages are kept in the read cache until a report, a name, a category or a photo changes.
reportSchema.plugin(observeWrites);

/** The overdue ledger (办结时限台账): every missed deadline, the level it escalated from and to. */
const overdueSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  reportId: { type: Schema.Types.ObjectId, required: true },
  gridId: { type: Schema.Types.ObjectId, default: null },
  kind: { type: String, enum: ['accept', 'resolve'], required: true },
  deadline: { type: Date, required: true },
  detectedAt: { type: Date, required: true },
  fromLevel: { type: String, required: true },
  toLevel: { type: String, required: true },
});
overdueSchema.index({ reportId: 1, kind: 1, deadline: 1 }, { unique: true });
overdueSchema.index({ communityId: 1, detectedAt: -1 });
overdueSchema.plugin(tenantScoped);

/** A community's categories (seeded from shared defaults on first use; staff may edit them). */
const categorySchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  code: { type: String, required: true },
  name: { type: String, required: true },
  icon: { type: String, required: true },
  group: { type: String, required: true },
  keywords: { type: [String], default: [] },
  handler: { type: String, enum: ['grid_worker', 'property', 'staff', 'mediator'], required: true },
  priority: { type: String, enum: ['urgent', 'high', 'normal'], required: true },
  acceptWithinMinutes: { type: Number, required: true, min: 1 },
  resolveWithinMinutes: { type: Number, required: true, min: 1 },
  duplicateRadiusMeters: { type: Number, required: true, min: 0 },
  privateByDefault: { type: Boolean, required: true },
  order: { type: Number, default: 0 },
});
categorySchema.index({ communityId: 1, code: 1 }, { unique: true });
categorySchema.plugin(tenantScoped);
categorySchema.plugin(observeWrites);

export type Report = InferSchemaType<typeof reportSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type OverdueEntry = InferSchemaType<typeof overdueSchema> & { _id: Types.ObjectId };
export type CategoryDoc = InferSchemaType<typeof categorySchema> & { _id: Types.ObjectId };

export function reportModel(connection: Connection) {
  return connection.model('Report', reportSchema, 'reports');
}
export function overdueModel(connection: Connection) {
  return connection.model('ReportOverdue', overdueSchema, 'report_overdue');
}
export function categoryModel(connection: Connection) {
  return connection.model('ReportCategory', categorySchema, 'report_categories');
}
