import { Types, type ClientSession, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName, maskPhone } from '../../../shared/masking';
import type { CreateOrderBody, OrderPage, OrderView } from '../../../shared/schemas/volunteers';
import {
  allowedOrderActions,
  COMPLAINABLE,
  MAX_ORDER_WINDOW_HOURS,
  nextOrderState,
  orderActionLabel,
  orderStateLabel,
  serviceKindLabel,
  type OrderAction,
  type OrderActor,
  type OrderState,
  type ServiceKind,
} from '../../../shared/volunteers';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { itemIdFor } from '../../data/idempotency';
import { inScope } from '../../data/tenant-scope';
import { AppError, BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import { isVisible, VISIBLE } from '../moderation/visibility';
import { minuteOf } from '../notifications/moves';
import type { Notifier } from '../notifications/service';
import { communityOf, type PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import { newDoorSecret } from './door-codes';
import type { VolunteerOrder } from './model';
import { communityFor, dispatchesIn } from './registration';

const BY_CREATED = ['createdAt', '_id'] as const;
const BY_WINDOW = ['windowStart', '_id'] as const;
const HOUR = 3600_000;
/** Moves that put the order before volunteers: only once moderation let its text through. */
const TO_VOLUNTEERS: readonly OrderAction[] = ['dispatch', 'publish', 'take'];

export interface MoveSpec {
  /** Fields the move sets besides the state. */
  set?: Record<string, unknown>;
  /** Other update operators ($push…). */
  update?: Record<string, unknown>;
  /** Extra conditions the update needs (e.g. a door code step not yet used). */
  where?: Record<string, unknown>;
  note?: string | null;
  /** Work in the same transaction: ledger entries, jobs. */
  within?: (updated: VolunteerOrder, session: ClientSession) => Promise<void>;
  /** The error when the conditional update finds the order changed. */
  conflict?: () => AppError;
}

/**
 * Service orders: filing (点单), who may see one and what they see, lists, and the one primitive every move
 * goes through — a single update conditional on the state and version seen, with its audit event.
 */
export function createOrders(deps: {
  connection: Connection;
  models: Pick<Models, 'VolunteerOrder' | 'Household' | 'User' | 'Volunteer' | 'Grid' | 'RoleGrant' | 'Node'>;
  access: Access;
  nodeRefs: NodeRefs;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'attachFor' | 'views'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  now: () => Date;
}) {
  const { models, access } = deps;
  const nodeOf = (o: Pick<VolunteerOrder, 'nodeId' | 'ancestors'>) => ({
    _id: o.nodeId,
    ancestors: o.ancestors.filter((a) => !a.equals(o.nodeId)),
  });

  /** Who the actor is relative to the order (`taker` is decided by take itself: it needs the registration). */
  function rolesOn(actor: Actor, order: VolunteerOrder): OrderActor[] {
    const roles: OrderActor[] = [];
    if (order.requesterId.equals(actor.userId) || order.orderedBy.equals(actor.userId)) roles.push('requester');
    if (access.can(actor, 'order.dispatch', nodeOf(order))) roles.push('dispatcher');
    if (access.can(actor, 'volunteer.verify', nodeOf(order))) roles.push('staff');
    if (order.volunteerId?.equals(actor.userId)) roles.push('volunteer');
    return roles;
  }

  /** Verified volunteers of the community with the order's skill may see an open order, to take it. */
  async function mayTake(actor: Actor, order: VolunteerOrder): Promise<boolean> {
    return (
      order.state === 'open' &&
      !!(await models.Volunteer.exists({
        communityId: order.communityId,
        userId: actor.userId,
        status: 'verified',
        skills: order.kind,
      }))
    );
  }

  async function load(actor: Actor, id: string): Promise<VolunteerOrder> {
    const order = Types.ObjectId.isValid(id)
      ? await models.VolunteerOrder.findOne({ _id: id, ...inScope(actor.scope) }).lean<VolunteerOrder>()
      : null;
    if (!order) throw new NotFoundError('No such order');
    const roles = rolesOn(actor, order);
    // Text staff have not let through (or hid) stays with whoever ordered it and those who dispatch it.
    const seen = isVisible(order)
      ? roles.length > 0 || (await mayTake(actor, order))
      : roles.some((r) => r === 'requester' || r === 'dispatcher' || r === 'staff');
    if (!seen) throw new NotFoundError('No such order');
    return order;
  }

  async function views(actor: Actor, orders: VolunteerOrder[]): Promise<OrderView[]> {
    if (orders.length === 0) return [];
    const communityIds = [...new Set(orders.map((o) => String(o.communityId)))].map((id) => new Types.ObjectId(id));
    const people = orders.flatMap((o) => [
      o.requesterId,
      ...(o.volunteerId ? [o.volunteerId] : []),
      ...o.offers.map((f) => f.volunteerId),
    ]);
    const [nodes, users, volunteers] = await Promise.all([
      models.Node.find({ _id: { $in: orders.map((o) => o.nodeId) }, communityId: { $in: communityIds } }).lean<
        PlaceNode[]
      >(),
      models.User.find({ _id: { $in: people } }, { displayName: 1, phone: 1 }).lean(),
      models.Volunteer.find(
        { communityId: { $in: communityIds }, userId: { $in: orders.flatMap((o) => o.volunteerId ?? []) } },
        { userId: 1, realName: 1, phone: 1, communityId: 1 },
      ).lean(),
    ]);
    const refs = await deps.nodeRefs(nodes);
    return Promise.all(
      orders.map(async (o) => {
        const roles = rolesOn(actor, o);
        // Phones and names are whole for staff only (and for oneself).
        const whole = roles.includes('staff');
        const user = (id: Types.ObjectId) => users.find((u) => u._id.equals(id));
        const shown = (id: Types.ObjectId, name: string, phone: string | null | undefined) => {
          const isMe = id.equals(actor.userId);
          return {
            id: String(id),
            displayName: whole || isMe ? name : maskName(name),
            phone: phone ? (whole || isMe ? phone : maskPhone(phone)) : null,
            isMe,
          };
        };
        const requester = user(o.requesterId);
        const registration = volunteers.find(
          (v) => o.volunteerId?.equals(v.userId) && v.communityId.equals(o.communityId),
        );
        const complaint = o.complaint?.status ? o.complaint : null;
        return {
          id: String(o._id),
          kind: o.kind as ServiceKind,
          description: o.description,
          media: await deps.media.views(actor, o.mediaIds ?? [], handles(actor, o) ? { standing: 'handling' } : {}),
          state: o.state as OrderState,
          place: refs.get(String(o.nodeId))!,
          requester: shown(o.requesterId, requester?.displayName ?? '', requester?.phone),
          volunteer: o.volunteerId
            ? shown(
                o.volunteerId,
                registration?.realName ?? user(o.volunteerId)?.displayName ?? '',
                registration?.phone,
              )
            : null,
          windowStart: o.windowStart.toISOString(),
          windowEnd: o.windowEnd.toISOString(),
          acceptBy: o.acceptBy?.toISOString() ?? null,
          checkInAt: o.checkInAt?.toISOString() ?? null,
          checkOutAt: o.checkOutAt?.toISOString() ?? null,
          credited: o.credited
            ? { halfHours: o.credited.halfHours ?? 0, minutes: o.credited.minutes ?? 0, manual: !!o.credited.manual }
            : null,
          rating: o.rating ? { score: o.rating.score ?? 0, comment: o.rating.comment ?? '' } : null,
          complaint: complaint
            ? { text: complaint.text ?? '', status: complaint.status as 'open', note: complaint.note ?? null }
            : null,
          history: o.offers.map((f) => ({
            volunteer: maskName(user(f.volunteerId)?.displayName ?? ''),
            outcome: f.outcome as 'declined' | 'timeout',
            note: f.note,
            at: f.at.toISOString(),
          })),
          actions: [
            ...allowedOrderActions(o.state as OrderState, roles),
            // Anyone who may see an open order without another role on it sees it to take it.
            ...(o.state === 'open' && !roles.includes('requester') ? (['take'] as const) : []),
          ].filter((a, i, all) => all.indexOf(a) === i),
          canComplain: roles.includes('requester') && COMPLAINABLE.includes(o.state as OrderState) && !complaint,
          canDecideComplaint: roles.includes('staff') && complaint?.status === 'open',
          createdAt: o.createdAt.toISOString(),
        };
      }),
    );
  }

  async function one(actor: Actor, order: VolunteerOrder): Promise<OrderView> {
    return (await views(actor, [order]))[0]!;
  }

  /** Grid workers of the order's grid and the community's staff: those who dispatch it. */
  async function dispatchersOf(order: Pick<VolunteerOrder, 'ancestors' | 'communityId'>): Promise<Types.ObjectId[]> {
    const grids = await models.Grid.find(
      { communityId: order.communityId, buildingIds: { $in: order.ancestors } },
      { _id: 1 },
    ).lean();
    const grants = await models.RoleGrant.find(
      {
        $or: [
          { gridId: { $in: grids.map((g) => g._id) }, role: 'grid_worker' },
          { nodeId: order.communityId, role: 'community_staff' },
        ],
      },
      { userId: 1 },
    ).lean();
    return grants.map((g) => g.userId);
  }

  async function tell(userIds: Types.ObjectId[], order: VolunteerOrder, title: string, body: string) {
    if (userIds.length === 0) return;
    await deps.notifier.notify({
      userIds,
      kind: 'volunteer.order',
      title,
      body,
      link: `packages/volunteer/order/index?id=${order._id}`,
      data: {
        title: serviceKindLabel[order.kind as ServiceKind],
        status: orderStateLabel[order.state as OrderState].slice(0, 5),
        time: minuteOf(deps.now()),
      },
    });
  }

  /** The unit of the person's household in the community, for an order placed without a place. */
  async function homeOf(actor: Actor, userId: Types.ObjectId): Promise<PlaceNode> {
    const household = await models.Household.findOne(
      { 'members.userId': userId, ...inScope(actor.scope) },
      { unitId: 1 },
    ).lean();
    if (!household) throw new AppError(400, ErrorCode.NO_HOUSEHOLD, 'Join a household first, or choose the place');
    return access.findNode(actor, household.unitId);
  }

  async function create(actor: Actor, body: CreateOrderBody): Promise<{ created: boolean; order: OrderView }> {
    const existing = await models.VolunteerOrder.findOne({
      orderedBy: actor.userId,
      idempotencyKey: body.idempotencyKey,
      ...inScope(actor.scope),
    }).lean<VolunteerOrder>();
    if (existing) return { created: false, order: await one(actor, existing) };
    const start = new Date(body.windowStart);
    const end = new Date(body.windowEnd);
    if (!(start < end) || end.getTime() - start.getTime() > MAX_ORDER_WINDOW_HOURS * HOUR)
      throw new BadRequestError(`The window must end after it starts, within ${MAX_ORDER_WINDOW_HOURS} hours`);
    if (end <= deps.now()) throw new BadRequestError('The window is already over');
    const forOther = body.forUserId && !actor.userId.equals(body.forUserId);
    const requesterId = forOther ? new Types.ObjectId(body.forUserId) : actor.userId;
    const node = body.nodeId ? await access.findNode(actor, body.nodeId) : await homeOf(actor, requesterId);
    if (node.kind === 'street') throw new BadRequestError('Order for a place of a community');
    const communityId = communityOf(node);
    if (forOther) {
      await access.authorize(actor, 'order.on_behalf', node._id);
      const member = await models.Household.exists({ communityId, 'members.userId': requesterId });
      if (!member) throw new NotFoundError('No such neighbour in this community');
    }
    const screening = await deps.moderation.screenText(actor, 3, { description: body.description }, communityId);
    const _id = itemIdFor(actor.userId, body.idempotencyKey);
    const photosOf = { kind: 'order', itemId: _id, communityId };
    let order: VolunteerOrder;
    try {
      order = await deps.media.attachFor(actor, body.mediaIds ?? [], photosOf, (mediaIds) =>
        deps.connection.transaction(async (session) => {
          const [created] = (await models.VolunteerOrder.create(
            [
              {
                _id,
                communityId,
                nodeId: node._id,
                ancestors: ancestryOf(node).map((id) => new Types.ObjectId(id)),
                requesterId,
                orderedBy: actor.userId,
                idempotencyKey: body.idempotencyKey,
                kind: body.kind,
                description: body.description,
                moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
                mediaIds,
                windowStart: start,
                windowEnd: end,
                doorSecret: newDoorSecret(),
              },
            ],
            { session },
          )) as unknown as [VolunteerOrder];
          await deps.audit.record(
            {
              communityId,
              itemKind: 'volunteer_order',
              itemId: created._id,
              nodeId: node._id,
              action: 'order',
              to: 'ordered',
              actorId: actor.userId,
              actorRole: 'requester',
            },
            session,
          );
          return created;
        }),
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same order sent twice at once: answer with the one stored.
      const winner = await models.VolunteerOrder.findOne({ _id, communityId }).lean<VolunteerOrder>();
      return { created: false, order: await one(actor, winner!) };
    }
    await deps.moderation.afterCreate('order', order, screening);
    await tell(
      await dispatchersOf(order),
      order,
      '新的志愿服务点单',
      `${serviceKindLabel[body.kind]}：${[...body.description].slice(0, 20).join('')}`,
    );
    return { created: true, order: await one(actor, order) };
  }

  /**
   * Makes a move: checks it against the state machine for the given roles, then applies it as one update
   * conditional on the state and version seen, with its audit event (and `within`) in the same transaction.
   */
  async function move(
    actor: Actor | null,
    order: VolunteerOrder,
    action: OrderAction,
    roles: OrderActor[],
    spec: MoveSpec = {},
  ): Promise<VolunteerOrder> {
    const from = order.state as OrderState;
    const to = nextOrderState(from, action, roles);
    if (!to) {
      const anyone = nextOrderState(from, action, ['requester', 'dispatcher', 'volunteer', 'taker', 'staff', 'system']);
      if (anyone) throw new ForbiddenError(`Your role on this order does not allow ${action}`);
      throw new ConflictError(`An order that is ${from} cannot take ${action}`, ErrorCode.ORDER_STATE_CHANGED);
    }
    const toVolunteers = TO_VOLUNTEERS.includes(action);
    if (toVolunteers && !isVisible(order))
      throw new ConflictError('The order awaits moderation', ErrorCode.ORDER_UNDER_REVIEW);
    return deps.connection.transaction(async (session) => {
      const updated = await models.VolunteerOrder.findOneAndUpdate(
        {
          _id: order._id,
          communityId: order.communityId,
          state: from,
          version: order.version,
          ...(toVolunteers ? VISIBLE : {}),
          ...spec.where,
        },
        { ...spec.update, $set: { ...spec.set, state: to }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<VolunteerOrder>();
      if (!updated)
        throw spec.conflict?.() ?? new ConflictError('The order changed meanwhile', ErrorCode.ORDER_STATE_CHANGED);
      await deps.audit.record(
        {
          communityId: order.communityId,
          itemKind: 'volunteer_order',
          itemId: order._id,
          nodeId: order.nodeId,
          action,
          from,
          to,
          actorId: actor?.userId ?? null,
          actorRole: roles[0] ?? null,
          note: spec.note ?? null,
        },
        session,
      );
      await spec.within?.(updated, session);
      return updated;
    });
  }

  /** The words of a move for a notification. */
  const moved = (action: OrderAction, order: VolunteerOrder) =>
    `${serviceKindLabel[order.kind as ServiceKind]}：${orderActionLabel[action]}，${orderStateLabel[order.state as OrderState]}`;

  async function get(actor: Actor, id: string): Promise<OrderView> {
    return one(actor, await load(actor, id));
  }

  async function list(
    actor: Actor,
    query: { view: 'mine' | 'tasks' | 'open' | 'queue'; state?: OrderState; cursor?: string; limit: number },
  ): Promise<OrderPage> {
    const communityId = communityFor(actor);
    const byWindow = query.view === 'open' || query.view === 'queue';
    const sort = byWindow ? BY_WINDOW : BY_CREATED;
    const filter: Record<string, unknown>[] = [];
    if (query.view === 'mine') filter.push({ $or: [{ requesterId: actor.userId }, { orderedBy: actor.userId }] });
    if (query.view === 'tasks') filter.push({ volunteerId: actor.userId }, VISIBLE);
    if (query.view === 'open') {
      const registration = await models.Volunteer.findOne({
        communityId,
        userId: actor.userId,
        status: 'verified',
      }).lean();
      filter.push({ state: 'open', kind: { $in: registration?.skills ?? [] } }, VISIBLE);
    }
    if (query.view === 'queue') {
      if (!dispatchesIn(actor, communityId)) throw new ForbiddenError('Only dispatchers see the queue');
      const covered = actor.effective
        .filter((g) => ['grid_worker', 'community_staff', 'street_staff', 'admin'].includes(g.role))
        .map((g) => new Types.ObjectId(g.nodeId));
      filter.push({ ancestors: { $in: covered } });
      if (!query.state) filter.push({ state: { $in: ['ordered', 'open', 'dispatched'] } });
    }
    if (query.state) filter.push({ state: query.state });
    if (query.cursor)
      filter.push(afterCursor(sort, decodeCursor(query.cursor, ['date', 'objectId']), byWindow ? 'asc' : 'desc'));
    const rows = await models.VolunteerOrder.find({ communityId, $and: [{}, ...filter] })
      .sort(byWindow ? { windowStart: 1, _id: 1 } : { createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<VolunteerOrder[]>();
    const { items, nextCursor } = pageOf(rows, query.limit, sort);
    return { items: await views(actor, items), nextCursor };
  }

  /** Those who work on the order see its photos before WeChat's check: dispatchers, staff, its volunteer. */
  function handles(actor: Actor, order: VolunteerOrder): boolean {
    return rolesOn(actor, order).some((r) => r === 'dispatcher' || r === 'staff' || r === 'volunteer');
  }

  return { create, load, get, list, views, one, move, moved, rolesOn, handles, tell, dispatchersOf };
}
export type Orders = ReturnType<typeof createOrders>;
