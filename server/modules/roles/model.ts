import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { Role } from '../../../shared/roles';

/**
 * A role held on a node (or, for grid workers, on a grid). Residents get theirs on their unit when a join
 * request is approved. Revoking deletes the grant; the audit trail keeps the history.
 */
const roleGrantSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    role: {
      type: String,
      required: true,
      enum: Object.values(Role),
    },
    nodeId: { type: Schema.Types.ObjectId, required: true },
    gridId: { type: Schema.Types.ObjectId, default: null },
    /** Null for grants on a street. */
    communityId: { type: Schema.Types.ObjectId, default: null },
    grantedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);
roleGrantSchema.index({ userId: 1, role: 1, nodeId: 1, gridId: 1 }, { unique: true });
roleGrantSchema.index({ nodeId: 1 });
roleGrantSchema.index({ gridId: 1 });

export type RoleGrant = InferSchemaType<typeof roleGrantSchema> & { _id: Types.ObjectId };

export function roleGrantModel(connection: Connection) {
  return connection.model('RoleGrant', roleGrantSchema, 'role_grants');
}
