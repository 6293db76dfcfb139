import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** An entry of a person's in-app inbox. Personal, not community data: it is keyed by its owner. */
const notificationSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true, maxlength: 60 },
    body: { type: String, required: true, maxlength: 300 },
    link: { type: String, default: null },
    readAt: { type: Date, default: null },
  },
  { timestamps: true },
);
notificationSchema.index({ userId: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ userId: 1, readAt: 1 });

/**
 * Subscribe-message consents a person gave by tapping 允许 in wx.requestSubscribeMessage: one consent
 * allows one message of that kind.
 */
const consentSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, required: true },
  remaining: { type: Number, required: true, min: 0 },
});
consentSchema.index({ userId: 1, kind: 1 }, { unique: true });

/** What happened to each subscribe message: sent, or why not. */
const deliverySchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    notificationId: { type: Schema.Types.ObjectId, required: true },
    result: { type: String, required: true, enum: ['sent', 'no-consent', 'refused', 'quota', 'failed', 'no-template'] },
    errcode: { type: Number, default: null },
  },
  { timestamps: true },
);
deliverySchema.index({ userId: 1, createdAt: -1 });

export type Notification = InferSchemaType<typeof notificationSchema> & { _id: Types.ObjectId; createdAt: Date };

export function notificationModel(connection: Connection) {
  return connection.model('Notification', notificationSchema, 'notifications');
}
export function consentModel(connection: Connection) {
  return connection.model('SubscribeConsent', consentSchema, 'subscribe_consents');
}
export function deliveryModel(connection: Connection) {
  return connection.model('Delivery', deliverySchema, 'deliveries');
}
