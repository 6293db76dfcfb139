import type { Types } from 'mongoose';
import type { WishListQuery, WishPage } from '../../../shared/schemas/wishes';
import { afterCursor, decodeCursor, pageOf, type CursorValue } from '../../data/pagination';
import { ForbiddenError } from '../../errors';
import { VISIBLE } from '../moderation/visibility';
import type { Actor } from '../roles/access';
import { communityFor } from '../volunteers/registration';
import type { WishDeps } from './context';
import type { Wish } from './model';
import type { WishViews } from './view';

interface Order {
  fields: readonly [string, string];
  types: readonly CursorValue[];
  direction: 'asc' | 'desc';
}
const NEAREST_FIRST: Order = { fields: ['wantedBy', '_id'], types: ['string', 'objectId'], direction: 'asc' };
const NEWEST_DONE: Order = { fields: ['confirmedAt', '_id'], types: ['date', 'objectId'], direction: 'desc' };
const NEWEST: Order = { fields: ['createdAt', '_id'], types: ['date', 'objectId'], direction: 'desc' };
const OLDEST: Order = { fields: ['createdAt', '_id'], types: ['date', 'objectId'], direction: 'asc' };

/** The wall, the done wall, mine, my claims and staff's queue: one community each, keyset-paged. */
export function createWishLists(deps: Pick<WishDeps, 'models' | 'access'>, views: WishViews) {
  const { models } = deps;

  async function filterOf(
    actor: Actor,
    view: WishListQuery['view'],
    communityId: Types.ObjectId,
  ): Promise<{ order: Order; where: Record<string, unknown> }> {
    switch (view) {
      case 'wall':
        return { order: NEAREST_FIRST, where: { state: 'published', ...VISIBLE } };
      case 'done':
        return { order: NEWEST_DONE, where: { state: 'confirmed', ...VISIBLE } };
      case 'mine':
        return { order: NEWEST, where: { postedBy: actor.userId } };
      case 'claims':
        return { order: NEWEST, where: { $or: [{ 'claim.userId': actor.userId }, { 'claims.userId': actor.userId }] } };
      case 'review': {
        const community = await deps.access.findNode(actor, communityId);
        if (!deps.access.can(actor, 'wish.review', community)) throw new ForbiddenError('Only staff review wishes');
        return { order: OLDEST, where: { state: { $in: ['pending', 'disputed'] } } };
      }
    }
  }

  async function list(actor: Actor, query: WishListQuery): Promise<WishPage> {
    const communityId = communityFor(actor, query.communityId);
    const { order, where } = await filterOf(actor, query.view, communityId);
    const limit = query.limit ?? 20;
    const [first, second] = order.fields;
    const dir = order.direction === 'asc' ? 1 : -1;
    const rows = await models.Wish.find({
      communityId,
      ...where,
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.cursor
        ? { $and: [afterCursor(order.fields, decodeCursor(query.cursor, order.types), order.direction)] }
        : {}),
    })
      .sort({ [first]: dir, [second]: dir })
      .limit(limit + 1)
      .lean<Wish[]>();
    const { items, nextCursor } = pageOf(rows, limit, order.fields);
    return { items: await views.views(actor, items), nextCursor };
  }

  return { list };
}
export type WishLists = ReturnType<typeof createWishLists>;
