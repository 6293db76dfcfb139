import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * The id of the item a person's idempotency key creates. One filing, one id: a retry racing the first try
 * attaches the same photos to the same item, and the unique `_id` lets exactly one of them store it.
 */
export function itemIdFor(userId: Types.ObjectId, idempotencyKey: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`${userId}:${idempotencyKey}`).digest().subarray(0, 12));
}
