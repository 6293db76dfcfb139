import type { ClientSession, Connection, Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { OrderView } from '../../../shared/schemas/volunteers';
import { COMPLAINABLE, type OrderState } from '../../../shared/volunteers';
import { ConflictError, ForbiddenError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { JobRunner } from '../jobs/runner';
import type { Moderation } from '../moderation/service';
import type { Actor } from '../roles/access';
import { acceptJobKey } from './dispatch';
import type { Ledger } from './ledger';
import type { VolunteerOrder } from './model';
import type { Orders } from './orders';

/** 评单: the rating, complaints and their decision (an upheld one voids the hours), and cancelling an order. */
export function createFeedback(deps: {
  connection: Connection;
  models: Pick<Models, 'VolunteerOrder' | 'Volunteer' | 'RoleGrant'>;
  orders: Orders;
  ledger: Pick<Ledger, 'voidOrder'>;
  moderation: Pick<Moderation, 'screenText'>;
  audit: Pick<Audit, 'record'>;
  jobs: Pick<JobRunner, 'cancel'>;
}) {
  const { models, orders } = deps;

  async function rate(actor: Actor, id: string, score: number, comment = ''): Promise<OrderView> {
    const order = await orders.load(actor, id);
    await deps.moderation.screenText(actor, 2, { comment }, order.communityId);
    const updated = await orders.move(actor, order, 'rate', orders.rolesOn(actor, order), {
      set: { rating: { score, comment } },
      note: comment || null,
      // The volunteer's rating is kept as a running sum, so ranking reads it without a scan.
      within: async (o, session) => {
        await models.Volunteer.updateOne(
          { communityId: o.communityId, userId: o.volunteerId },
          { $inc: { ratingSum: score, ratingCount: 1 } },
          { session },
        );
      },
    });
    await orders.tell([updated.volunteerId!], updated, `居民评价了您的服务：${score}星`, orders.moved('rate', updated));
    return orders.one(actor, updated);
  }

  async function staffOf(communityId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const grants = await models.RoleGrant.find({ nodeId: communityId, role: 'community_staff' }, { userId: 1 }).lean();
    return grants.map((g) => g.userId);
  }

  /** One conditional update of the complaint (not the state: a complaint does not move the order) and its event. */
  async function changeComplaint(
    actor: Actor,
    order: VolunteerOrder,
    where: Record<string, unknown>,
    complaint: Record<string, unknown>,
    event: { action: string; note: string },
    also?: (session: ClientSession) => Promise<void>,
  ): Promise<VolunteerOrder> {
    return deps.connection.transaction(async (session) => {
      const updated = await models.VolunteerOrder.findOneAndUpdate(
        { _id: order._id, communityId: order.communityId, ...where },
        { $set: complaint, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<VolunteerOrder>();
      if (!updated) throw new ConflictError('The complaint changed meanwhile', ErrorCode.ALREADY_COMPLAINED);
      await deps.audit.record(
        {
          communityId: order.communityId,
          itemKind: 'volunteer_order',
          itemId: order._id,
          nodeId: order.nodeId,
          action: event.action,
          actorId: actor.userId,
          note: event.note,
        },
        session,
      );
      await also?.(session);
      return updated;
    });
  }

  async function complain(actor: Actor, id: string, text: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    if (!orders.rolesOn(actor, order).includes('requester')) throw new ForbiddenError('Only the resident complains');
    if (!COMPLAINABLE.includes(order.state as OrderState))
      throw new ConflictError('Only a served order can be complained about', ErrorCode.ORDER_STATE_CHANGED);
    await deps.moderation.screenText(actor, 2, { text }, order.communityId);
    const updated = await changeComplaint(
      actor,
      order,
      { state: { $in: COMPLAINABLE }, complaint: null },
      { complaint: { text, status: 'open', note: null } },
      { action: 'complain', note: text },
    );
    await orders.tell(await staffOf(order.communityId), updated, '收到志愿服务投诉', text);
    return orders.one(actor, updated);
  }

  /** Staff decide a complaint; upheld, the order's hours are reversed in the ledger in the same transaction. */
  async function decideComplaint(actor: Actor, id: string, upheld: boolean, note: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    if (!orders.rolesOn(actor, order).includes('staff')) throw new ForbiddenError('Only staff decide complaints');
    const updated = await changeComplaint(
      actor,
      order,
      { 'complaint.status': 'open' },
      { 'complaint.status': upheld ? 'upheld' : 'dismissed', 'complaint.note': note },
      { action: upheld ? 'complaint_upheld' : 'complaint_dismissed', note },
      upheld ? (session) => deps.ledger.voidOrder(order.communityId, order._id, note, session) : undefined,
    );
    const text = upheld ? `投诉成立，该单服务时长已作废：${note}` : `投诉未成立：${note}`;
    await orders.tell(
      [updated.requesterId, ...(updated.volunteerId ? [updated.volunteerId] : [])],
      updated,
      '投诉处理结果',
      text,
    );
    return orders.one(actor, updated);
  }

  async function cancel(actor: Actor, id: string, reason?: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    const updated = await orders.move(actor, order, 'cancel', orders.rolesOn(actor, order), {
      note: reason ?? null,
      within: (o, session) => deps.jobs.cancel(acceptJobKey(o), session),
    });
    const others = [updated.requesterId, ...(updated.volunteerId ? [updated.volunteerId] : [])].filter(
      (u) => !u.equals(actor.userId),
    );
    await orders.tell(others, updated, '志愿服务已取消', orders.moved('cancel', updated));
    return orders.one(actor, updated);
  }

  return { rate, complain, decideComplaint, cancel };
}
export type Feedback = ReturnType<typeof createFeedback>;
