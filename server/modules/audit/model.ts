import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { appendOnly } from '../../data/append-only';
import { tenantScoped } from '../../data/tenant-scope';

/**
 * One state change of one item (a report, a wish, a notice…): who, in what role, on which node, when,
 * from which state to which, with a note and attachments. Append-only.
 */
const eventSchema = new Schema({
  communityId: { type: Schema.Types.ObjectId, required: true },
  itemKind: { type: String, required: true },
  itemId: { type: Schema.Types.ObjectId, required: true },
  nodeId: { type: Schema.Types.ObjectId, default: null },
  action: { type: String, required: true },
  from: { type: String, default: null },
  to: { type: String, default: null },
  /** Null for the system (a scheduled escalation, an auto-close). */
  actorId: { type: Schema.Types.ObjectId, default: null },
  actorRole: { type: String, default: null },
  note: { type: String, default: null, maxlength: 500 },
  attachments: { type: [Schema.Types.ObjectId], default: [] },
  at: { type: Date, required: true },
});
eventSchema.index({ itemKind: 1, itemId: 1, at: 1 });
eventSchema.plugin(tenantScoped);

// Events are never edited or deleted: every write path other than insert is refused here.
appendOnly(eventSchema, 'Audit events are append-only');

export type AuditEvent = InferSchemaType<typeof eventSchema> & { _id: Types.ObjectId };

export function eventModel(connection: Connection) {
  return connection.model('Event', eventSchema, 'events');
}
