import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { colours, entryStates } from '../../../shared/boards';
import { appendOnly } from '../../data/append-only';
import { tenantScoped } from '../../data/tenant-scope';
import { moderationSchema } from '../moderation/model';

const actSchema = new Schema(
  { key: String, colour: { type: String, enum: colours }, label: String, points: Number, enabled: Boolean },
  { _id: false },
);

/**
 * A nomination to the civility board (文明行为红黑榜) from nomination to the board. The act, its points and
 * where it happened are a snapshot taken when it was nominated. `householdId` is the household concerned
 * (red: who did the good deed; black: who is told first); `subjectUserId` the named person of a red entry,
 * who alone consents (revocably) to their name being shown. Every move is one update conditional on the
 * state and version it saw.
 */
const entrySchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    /** Where it happened: a unit, building or estate. */
    nodeId: { type: Schema.Types.ObjectId, required: true },
    /** The node's ancestors and the node: staff's rights are checked against it. */
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    estateId: { type: Schema.Types.ObjectId, required: true },
    colour: { type: String, enum: colours, required: true },
    act: { type: actSchema, required: true },
    occurredAt: { type: Date, required: true },
    description: { type: String, required: true, maxlength: 2000 },
    mediaIds: { type: [Schema.Types.ObjectId], default: [] },
    /** Evidence photos staff redacted or marked as showing no faces or plates: only these are ever public. */
    clearedMediaIds: { type: [Schema.Types.ObjectId], default: [] },
    householdId: { type: Schema.Types.ObjectId, default: null },
    /** The building of the household (or of the place when no household): the ranking counts by it. */
    buildingId: { type: Schema.Types.ObjectId, default: null },
    subjectUserId: { type: Schema.Types.ObjectId, default: null },
    consent: { type: Boolean, default: false },
    nominatedBy: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
    moderation: { type: moderationSchema, required: true, default: () => ({}) },
    state: { type: String, enum: entryStates, default: 'nominated' },
    staffNote: { type: String, default: null },
    notifiedAt: { type: Date, default: null },
    respondBy: { type: Date, default: null },
    response: { type: new Schema({ text: String, at: Date }, { _id: false }), default: null },
    rectification: {
      type: new Schema({ note: String, mediaIds: [Schema.Types.ObjectId], at: Date }, { _id: false }),
      default: null,
    },
    appeal: {
      type: new Schema(
        {
          reason: String,
          at: Date,
          decision: { type: new Schema({ upheld: Boolean, note: String }, { _id: false }), default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    publishedAt: { type: Date, default: null },
    /** The board month (China time) of `publishedAt`. */
    month: { type: String, default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
entrySchema.index({ nominatedBy: 1, idempotencyKey: 1 }, { unique: true });
entrySchema.index({ communityId: 1, month: 1, colour: 1, publishedAt: -1, _id: -1 });
entrySchema.index({ communityId: 1, nominatedBy: 1, createdAt: -1, _id: -1 });
entrySchema.index({ communityId: 1, householdId: 1, createdAt: -1, _id: -1 });
entrySchema.index({ communityId: 1, subjectUserId: 1, createdAt: -1, _id: -1 });
entrySchema.index({ communityId: 1, state: 1, createdAt: -1, _id: -1 });
entrySchema.index({ communityId: 1, createdAt: 1 });
entrySchema.plugin(tenantScoped);

/** A community's acts and points (shared/boards.ts DEFAULT_ACTS when none are stored). */
const settingsSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true, unique: true },
  acts: { type: [actSchema], required: true },
});
settingsSchema.plugin(tenantScoped);

/**
 * The household civility points ledger: a published entry credits (red) or debits (black) its household once;
 * an upheld appeal adds the reversing line. `month` is the board month of the entry, so a month's ranking is
 * one query; append-only.
 */
const pointsSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  householdId: { type: Schema.Types.ObjectId, required: true },
  buildingId: { type: Schema.Types.ObjectId, required: true },
  entryId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: ['award', 'reverse'], required: true },
  colour: { type: String, enum: colours, required: true },
  points: { type: Number, required: true },
  /** +1 for an award, −1 for its reversal: the month's count of entries per colour. */
  count: { type: Number, required: true },
  month: { type: String, required: true },
  at: { type: Date, required: true },
});
pointsSchema.index({ entryId: 1, kind: 1 }, { unique: true });
pointsSchema.index({ communityId: 1, month: 1, buildingId: 1 });
pointsSchema.index({ communityId: 1, householdId: 1 });
pointsSchema.plugin(tenantScoped);

/** One line of a frozen month's board: what the board showed of a published entry, apart from consent. */
const lineSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  month: { type: String, required: true },
  entryId: { type: Schema.Types.ObjectId, required: true },
  estateId: { type: Schema.Types.ObjectId, required: true },
  colour: { type: String, enum: colours, required: true },
  actLabel: { type: String, required: true },
  points: { type: Number, required: true },
  placeLabel: { type: String, required: true },
  /** Building and unit of the household, for the label; never a room. */
  unitPath: { type: String, default: null },
  estateName: { type: String, required: true },
  /** Red: the named person; whether the name shows is asked of their consent at read time. */
  subjectUserId: { type: Schema.Types.ObjectId, default: null },
  occurredAt: { type: Date, required: true },
  publishedAt: { type: Date, required: true },
  mediaIds: { type: [Schema.Types.ObjectId], default: [] },
  /** Already removed after an upheld appeal when the month froze. */
  corrected: { type: Boolean, default: false },
});
lineSchema.index({ communityId: 1, month: 1, entryId: 1 }, { unique: true });
lineSchema.index({ communityId: 1, month: 1, colour: 1, publishedAt: -1, _id: -1 });
lineSchema.plugin(tenantScoped);

const rankedSchema = new Schema(
  {
    buildingId: Schema.Types.ObjectId,
    name: String,
    households: Number,
    points: Number,
    red: Number,
    black: Number,
    perHousehold: Number,
    rank: Number,
  },
  { _id: false },
);

/**
 * A community's frozen month: written once by the freeze job (unique per community and month) after its lines,
 * so a month with a snapshot is complete; never changed afterwards.
 */
const snapshotSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  month: { type: String, required: true },
  frozenAt: { type: Date, required: true },
  red: { type: Number, required: true },
  black: { type: Number, required: true },
  ranking: { type: [rankedSchema], default: [] },
  redFlag: { type: Schema.Types.ObjectId, default: null },
});
snapshotSchema.index({ communityId: 1, month: 1 }, { unique: true });
snapshotSchema.plugin(tenantScoped);

/** A correction under a month: an upheld appeal after publication, never an edit of the board. */
const correctionSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  month: { type: String, required: true },
  entryId: { type: Schema.Types.ObjectId, required: true },
  text: { type: String, required: true },
  at: { type: Date, required: true },
});
correctionSchema.index({ entryId: 1 }, { unique: true });
correctionSchema.index({ communityId: 1, month: 1, at: -1 });
correctionSchema.plugin(tenantScoped);

// Frozen months, the ledger and corrections are append-only: every write path other than insert is refused.
for (const schema of [lineSchema, snapshotSchema, pointsSchema, correctionSchema]) {
  appendOnly(schema, 'board history is append-only');
}

export type BoardEntry = InferSchemaType<typeof entrySchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export type BoardLine = InferSchemaType<typeof lineSchema> & { _id: Types.ObjectId };
export type BoardSnapshot = InferSchemaType<typeof snapshotSchema> & { _id: Types.ObjectId };
export type PointsLine = InferSchemaType<typeof pointsSchema> & { _id: Types.ObjectId };

export function boardEntryModel(connection: Connection) {
  return connection.model('BoardEntry', entrySchema, 'board_entries');
}
export function boardSettingsModel(connection: Connection) {
  return connection.model('BoardSettings', settingsSchema, 'board_settings');
}
export function boardPointsModel(connection: Connection) {
  return connection.model('BoardPoints', pointsSchema, 'board_points');
}
export function boardLineModel(connection: Connection) {
  return connection.model('BoardLine', lineSchema, 'board_snapshot_lines');
}
export function boardSnapshotModel(connection: Connection) {
  return connection.model('BoardSnapshot', snapshotSchema, 'board_snapshots');
}
export function boardCorrectionModel(connection: Connection) {
  return connection.model('BoardCorrection', correctionSchema, 'board_corrections');
}
