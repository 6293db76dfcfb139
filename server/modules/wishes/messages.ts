import { ErrorCode } from '../../../shared/errors';
import type { WishMessagePage, WishMessageView } from '../../../shared/schemas/wishes';
import { mayMessage, type WishState } from '../../../shared/wishes';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { ConflictError, NotFoundError } from '../../errors';
import type { Actor } from '../roles/access';
import type { WishCore, WishDeps } from './context';
import type { Wish, WishMessage } from './model';

const NEWEST = ['at', '_id'] as const;
/** Mainland mobile numbers and long digit runs: no phone number passes between the two sides. */
const PHONE_LIKE = /(?:\+?86[\s-]?)?1[3-9](?:[\s-]?\d){9}|\d{7,}/g;

/**
 * Short messages inside a wish between the beneficiary's side (poster or proxy) and the claimant while a claim
 * stands. Each passes the text check; one held for review is shown to its author only. Numbers that look like
 * phones are starred out. A claimant reads only what was said since they claimed; staff read, to decide disputes.
 */
export function createWishMessages(deps: Pick<WishDeps, 'models' | 'moderation' | 'now'>, core: WishCore) {
  const { models } = deps;

  function view(actor: Actor, m: WishMessage): WishMessageView {
    return {
      id: String(m._id),
      from: m.from as 'claimant',
      text: m.text,
      isMe: m.authorId.equals(actor.userId),
      at: m.at.toISOString(),
    };
  }

  function readable(actor: Actor, wish: Wish) {
    const parties = core.partiesOf(actor, wish);
    if (parties.length === 0) throw new NotFoundError('No such wish');
    const since = parties.includes('claimant') && !parties.includes('owner') && !parties.includes('staff');
    return since ? { at: { $gte: wish.claim!.claimedAt } } : {};
  }

  async function list(actor: Actor, id: string, query: { cursor?: string; limit?: number }): Promise<WishMessagePage> {
    const wish = await core.loadInside(actor, id);
    const limit = query.limit ?? 20;
    const rows = await models.WishMessage.find({
      communityId: wish.communityId,
      wishId: wish._id,
      ...readable(actor, wish),
      $and: [
        { $or: [{ held: false }, { authorId: actor.userId }] },
        ...(query.cursor ? [afterCursor(NEWEST, decodeCursor(query.cursor, ['date', 'objectId']))] : []),
      ],
    })
      .sort({ at: -1, _id: -1 })
      .limit(limit + 1)
      .lean<WishMessage[]>();
    const { items, nextCursor } = pageOf(rows, limit, NEWEST);
    return { items: items.map((m) => view(actor, m)), nextCursor };
  }

  async function post(actor: Actor, id: string, text: string): Promise<WishMessageView> {
    const wish = await core.loadInside(actor, id);
    const parties = core.partiesOf(actor, wish);
    const side = parties.includes('owner') ? 'beneficiary' : parties.includes('claimant') ? 'claimant' : null;
    if (!side || !mayMessage(wish.state as WishState, parties))
      throw new ConflictError('Messages pass between the two sides while a claim stands', ErrorCode.WISH_STATE);
    const screening = await deps.moderation.screenText(actor, 2, { text }, wish.communityId);
    const [message] = (await models.WishMessage.create([
      {
        communityId: wish.communityId,
        wishId: wish._id,
        authorId: actor.userId,
        from: side,
        text: text.replace(PHONE_LIKE, (match) => '*'.repeat(match.length)),
        held: screening.verdict !== 'pass',
        at: deps.now(),
      },
    ])) as unknown as [WishMessage];
    if (!message.held)
      await core.tell([side === 'beneficiary' ? wish.claim?.userId : wish.postedBy], wish, '微心愿有新留言');
    return view(actor, message);
  }

  return { list, post };
}
export type WishMessages = ReturnType<typeof createWishMessages>;
