import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { HouseholdRelation, nodeKindOrder } from '../../../shared/places';
import { tenantScoped } from '../../data/tenant-scope';

/**
 * A node of street → community → estate → building → unit. `ancestors` is the materialised path (ids from
 * the top down), so a node's ancestors are one lookup and its subtree one indexed query (`ancestors: id`).
 */
const nodeSchema = new Schema(
  {
    kind: { type: String, required: true, enum: nodeKindOrder },
    name: { type: String, required: true, maxlength: 40 },
    parentId: { type: Schema.Types.ObjectId, default: null },
    ancestors: { type: [Schema.Types.ObjectId], default: [] },
    /** The community the node belongs to (itself for a community); null for a street. */
    communityId: { type: Schema.Types.ObjectId, default: null },
    location: {
      type: { type: String, enum: ['Point'] },
      coordinates: { type: [Number], default: undefined },
    },
  },
  { timestamps: true },
);
nodeSchema.index({ parentId: 1, name: 1 }, { unique: true });
nodeSchema.index({ ancestors: 1 });
nodeSchema.index({ communityId: 1, kind: 1 });
nodeSchema.plugin(tenantScoped);

/** A household (户) in a unit, keyed by its room label. */
const householdSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    unitId: { type: Schema.Types.ObjectId, required: true },
    /** The unit's ancestors and the unit, so "households under this building" is one indexed query. */
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    room: { type: String, required: true },
    floor: { type: Number, required: true },
    /** Exclusive floor area (专有部分面积) from the property register, in hundredths of m². */
    areaHundredths: { type: Number, required: true, min: 1 },
    members: {
      type: [
        {
          _id: false,
          userId: { type: Schema.Types.ObjectId, required: true },
          relation: { type: String, required: true, enum: Object.values(HouseholdRelation) },
          joinedAt: { type: Date, required: true },
        },
      ],
      default: [],
    },
  },
  { timestamps: true },
);
householdSchema.index({ unitId: 1, room: 1 }, { unique: true });
householdSchema.index({ ancestors: 1 });
householdSchema.index({ 'members.userId': 1 });
householdSchema.plugin(tenantScoped);

/** A grid (网格): a named set of buildings in one community, looked after by its grid workers. */
const gridSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true, maxlength: 40 },
    buildingIds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);
gridSchema.index({ communityId: 1, name: 1 }, { unique: true });
gridSchema.index({ buildingIds: 1 });
gridSchema.plugin(tenantScoped);

export type PlaceNode = InferSchemaType<typeof nodeSchema> & { _id: Types.ObjectId };

/** The community a node belongs to; only streets have none, and nothing tenant-scoped hangs off a street. */
export function communityOf(node: Pick<PlaceNode, 'communityId' | 'kind'>): Types.ObjectId {
  if (!node.communityId) throw new Error(`a ${node.kind} has no community`);
  return node.communityId;
}
export type Household = InferSchemaType<typeof householdSchema> & { _id: Types.ObjectId };

/** Everyone in these households but the user (whose GET /me names the user). */
export function membersBesides(
  households: { members: { userId: Types.ObjectId }[] }[],
  userId: Types.ObjectId,
): Types.ObjectId[] {
  return households.flatMap((h) => h.members.map((m) => m.userId)).filter((id) => !id.equals(userId));
}

export type Grid = InferSchemaType<typeof gridSchema> & { _id: Types.ObjectId };

export function nodeModel(connection: Connection) {
  return connection.model('Node', nodeSchema, 'nodes');
}
export function householdModel(connection: Connection) {
  return connection.model('Household', householdSchema, 'households');
}
export function gridModel(connection: Connection) {
  return connection.model('Grid', gridSchema, 'grids');
}
