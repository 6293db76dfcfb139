import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { HouseholdRelation } from '../../../shared/places';
import { tenantScoped } from '../../data/tenant-scope';

/** An invite code for one unit, handed out by a captain or staff member (as text or a QR code). */
const inviteSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    unitId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true, unique: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    uses: { type: Number, default: 0 },
  },
  { timestamps: true },
);
inviteSchema.index({ unitId: 1, createdAt: -1 });
inviteSchema.plugin(tenantScoped);

const joinRequestSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    unitId: { type: Schema.Types.ObjectId, required: true },
    /** The unit's ancestors and the unit: reviewers find requests under the nodes they hold roles on. */
    ancestors: { type: [Schema.Types.ObjectId], required: true },
    householdId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    room: { type: String, required: true },
    relation: { type: String, required: true, enum: Object.values(HouseholdRelation) },
    note: { type: String, maxlength: 100 },
    inviteCode: { type: String, required: true },
    status: {
      type: String,
      required: true,
      enum: ['pending', 'approved', 'rejected', 'cancelled'],
      default: 'pending',
    },
    reason: { type: String },
    decidedBy: { type: Schema.Types.ObjectId },
    decidedAt: { type: Date },
  },
  { timestamps: true },
);
// One open request per person and household: a double tap or a retry cannot file two.
joinRequestSchema.index(
  { userId: 1, householdId: 1 },
  { unique: true, partialFilterExpression: { status: 'pending' } },
);
joinRequestSchema.index({ ancestors: 1, status: 1, createdAt: -1 });
joinRequestSchema.index({ userId: 1, createdAt: -1 });
joinRequestSchema.plugin(tenantScoped);

export type Invite = InferSchemaType<typeof inviteSchema> & { _id: Types.ObjectId };
export type JoinRequest = InferSchemaType<typeof joinRequestSchema> & { _id: Types.ObjectId };

export function inviteModel(connection: Connection) {
  return connection.model('Invite', inviteSchema, 'invites');
}
export function joinRequestModel(connection: Connection) {
  return connection.model('JoinRequest', joinRequestSchema, 'join_requests');
}
