import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import type { OrderView, SuggestionView } from '../../../shared/schemas/volunteers';
import {
  ACTIVE_ORDER_STATES,
  rankVolunteers,
  type AvailabilitySlot,
  type ServiceKind,
} from '../../../shared/volunteers';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { JobRunner } from '../jobs/runner';
import type { Actor } from '../roles/access';
import { totalsOf } from './ledger';
import type { Volunteer, VolunteerOrder } from './model';
import type { Orders } from './orders';

export const ACCEPT_TIMEOUT_JOB = 'volunteer.accept-timeout';
const SUGGESTIONS = 20;

export const acceptJobKey = (order: Pick<VolunteerOrder, '_id'>) => `volunteer-order:${order._id}:accept`;

/** 派单 and 接单: the explained suggestion list, dispatch, open to all, accept, decline, take, the accept timeout. */
export function createDispatch(deps: {
  models: Pick<Models, 'VolunteerOrder' | 'Volunteer' | 'User'>;
  orders: Orders;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
  /** The community's accept timeout (its volunteer settings), read at each dispatch. */
  acceptTimeoutMinutes: (communityId: Types.ObjectId) => Promise<number>;
}) {
  const { models, orders } = deps;

  async function asDispatcher(actor: Actor, id: string): Promise<VolunteerOrder> {
    const order = await orders.load(actor, id);
    if (!orders.rolesOn(actor, order).includes('dispatcher')) throw new ForbiddenError('Only dispatchers dispatch');
    return order;
  }

  /**
   * Verified volunteers of the community with (or without) the order's skill, but not those who already declined
   * it or let it time out (left out here rather than in the filter: a `$nin` costs more than it saves).
   */
  async function candidates(order: VolunteerOrder, skilled: boolean): Promise<Volunteer[]> {
    const found = await models.Volunteer.find(
      { communityId: order.communityId, status: 'verified', skills: skilled ? order.kind : { $ne: order.kind } },
      { userId: 1, realName: 1, skills: 1, areaIds: 1, availability: 1, ratingSum: 1, ratingCount: 1, halfHours: 1 },
    ).lean<Volunteer[]>();
    return found.filter((v) => !order.offers.some((f) => f.volunteerId.equals(v.userId)));
  }

  /**
   * Verified volunteers ranked for the order (skill, area, availability, load, rating), each with its reasons.
   * Those with the skill are ranked; the others only when too few have it (reading every volunteer of a large
   * community is most of the cost).
   */
  async function suggestions(actor: Actor, id: string): Promise<SuggestionView[]> {
    const order = await asDispatcher(actor, id);
    const [skilled, onHand] = await Promise.all([
      candidates(order, true),
      models.VolunteerOrder.find(
        { communityId: order.communityId, state: { $in: ACTIVE_ORDER_STATES } },
        { volunteerId: 1 },
      ).lean<Pick<VolunteerOrder, 'volunteerId'>[]>(),
    ]);
    const volunteers = skilled.length < SUGGESTIONS ? [...skilled, ...(await candidates(order, false))] : skilled;
    const loadOf = new Map<string, number>();
    for (const o of onHand) loadOf.set(String(o.volunteerId), (loadOf.get(String(o.volunteerId)) ?? 0) + 1);
    const byId = new Map(volunteers.map((v) => [String(v.userId), v]));
    const ranked = rankVolunteers(
      { kind: order.kind as ServiceKind, places: order.ancestors.map(String), windowStart: order.windowStart },
      volunteers.map((v) => ({
        id: String(v.userId),
        skills: v.skills as ServiceKind[],
        areaIds: v.areaIds.map(String),
        availability: v.availability as AvailabilitySlot[],
        load: loadOf.get(String(v.userId)) ?? 0,
        ratingSum: v.ratingSum,
        ratingCount: v.ratingCount,
      })),
    ).slice(0, SUGGESTIONS);
    return ranked.map((s) => ({
      volunteerId: s.id,
      displayName: maskName(byId.get(s.id)!.realName),
      score: s.score,
      reasons: s.reasons,
      stars: totalsOf(byId.get(s.id)!.halfHours).stars,
    }));
  }

  async function dispatch(actor: Actor, id: string, volunteerId: string): Promise<OrderView> {
    const order = await asDispatcher(actor, id);
    const volunteer = await models.Volunteer.findOne({
      communityId: order.communityId,
      userId: volunteerId,
      status: 'verified',
    }).lean<Volunteer>();
    if (!volunteer) throw new NotFoundError('No such verified volunteer in this community');
    const now = deps.now();
    const acceptBy = new Date(now.getTime() + (await deps.acceptTimeoutMinutes(order.communityId)) * 60_000);
    const updated = await orders.move(actor, order, 'dispatch', ['dispatcher'], {
      set: { volunteerId: volunteer.userId, acceptBy, firstDispatchedAt: order.firstDispatchedAt ?? now },
      note: maskName(volunteer.realName),
      within: (o, session) =>
        deps.jobs.schedule(
          ACCEPT_TIMEOUT_JOB,
          acceptJobKey(o),
          acceptBy,
          { orderId: String(o._id), acceptBy: acceptBy.toISOString() },
          { session },
        ),
    });
    await orders.tell([volunteer.userId], updated, '您有新的志愿服务派单', orders.moved('dispatch', updated));
    return orders.one(actor, updated);
  }

  async function publish(actor: Actor, id: string): Promise<OrderView> {
    const order = await asDispatcher(actor, id);
    const now = deps.now();
    const updated = await orders.move(actor, order, 'publish', ['dispatcher'], {
      set: { firstDispatchedAt: order.firstDispatchedAt ?? now },
    });
    const qualified = await models.Volunteer.find(
      { communityId: order.communityId, status: 'verified', skills: order.kind },
      { userId: 1 },
    ).lean();
    await orders.tell(
      qualified.map((v) => v.userId),
      updated,
      '有新的志愿服务可以认领',
      orders.moved('publish', updated),
    );
    return orders.one(actor, updated);
  }

  async function accept(actor: Actor, id: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    const updated = await orders.move(actor, order, 'accept', orders.rolesOn(actor, order), {
      set: { acceptedAt: deps.now(), acceptBy: null },
      within: (o, session) => deps.jobs.cancel(acceptJobKey(o), session),
    });
    await orders.tell([updated.requesterId], updated, '志愿者已接单', orders.moved('accept', updated));
    return orders.one(actor, updated);
  }

  /** Back to dispatch, the offer kept in the history. */
  function returned(order: VolunteerOrder, outcome: 'declined' | 'timeout', note: string) {
    return {
      set: { volunteerId: null, acceptBy: null },
      update: { $push: { offers: { volunteerId: order.volunteerId, outcome, note, at: deps.now() } } },
      note,
    };
  }

  async function decline(actor: Actor, id: string, reason?: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    const updated = await orders.move(actor, order, 'decline', orders.rolesOn(actor, order), {
      ...returned(order, 'declined', reason ?? ''),
      within: (o, session) => deps.jobs.cancel(acceptJobKey(o), session),
    });
    await orders.tell(
      await orders.dispatchersOf(updated),
      updated,
      '志愿者婉拒了派单',
      orders.moved('decline', updated),
    );
    return orders.one(actor, updated);
  }

  /**
   * An open order goes to the first verified volunteer with the skill who takes it: one conditional update
   * on the state, so of concurrent takers exactly one wins and the others get 409 ORDER_TAKEN.
   */
  async function take(actor: Actor, id: string): Promise<OrderView> {
    const order = Types.ObjectId.isValid(id)
      ? await models.VolunteerOrder.findOne({ _id: id, ...inScope(actor.scope) }).lean<VolunteerOrder>()
      : null;
    if (!order) throw new NotFoundError('No such order');
    const qualified = await models.Volunteer.exists({
      communityId: order.communityId,
      userId: actor.userId,
      status: 'verified',
      skills: order.kind,
    });
    if (!qualified) {
      // Those who could not see it learn nothing of it.
      if (orders.rolesOn(actor, order).length === 0) throw new NotFoundError('No such order');
      throw new ForbiddenError('Only verified volunteers with the skill take open orders', ErrorCode.NOT_A_VOLUNTEER);
    }
    const taken = () => new ConflictError('Another volunteer took this order first', ErrorCode.ORDER_TAKEN);
    if (order.state !== 'open') throw taken();
    const now = deps.now();
    const updated = await orders.move(actor, order, 'take', ['taker'], {
      set: { volunteerId: actor.userId, acceptedAt: now },
      where: { volunteerId: null },
      conflict: taken,
    });
    await orders.tell([updated.requesterId], updated, '志愿者已接单', orders.moved('take', updated));
    return orders.one(actor, updated);
  }

  /** The accept timeout: still offered to the same volunteer with the same deadline → back to dispatch. */
  async function onTimeout(payload: { orderId: string; acceptBy: string }): Promise<void> {
    const order = await models.VolunteerOrder.findOne({
      _id: payload.orderId,
      state: 'dispatched',
      acceptBy: new Date(payload.acceptBy),
    })
      .setOptions(CROSS_COMMUNITY)
      .lean<VolunteerOrder>();
    if (!order) return;
    const volunteer = order.volunteerId!;
    const updated = await orders.move(null, order, 'timeout', ['system'], returned(order, 'timeout', '超时未接单'));
    const text = orders.moved('timeout', updated);
    await orders.tell(await orders.dispatchersOf(updated), updated, '派单超时未接，请重新派单', text);
    await orders.tell([volunteer], updated, '派单已超时', text);
  }

  return { suggestions, dispatch, publish, accept, decline, take, onTimeout };
}
export type Dispatch = ReturnType<typeof createDispatch>;
