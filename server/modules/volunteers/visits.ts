import { ErrorCode } from '../../../shared/errors';
import type { DoorCode, OrderView } from '../../../shared/schemas/volunteers';
import { creditedHalfHours, serviceKindLabel, type ServiceKind } from '../../../shared/volunteers';
import { AppError, BadRequestError, ConflictError, ForbiddenError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Actor } from '../roles/access';
import {
  DOOR_LOCK_MS,
  DOOR_STEP_MS,
  doorCode,
  matchDoorCode,
  MAX_DOOR_FAILURES,
  stepAt,
  type DoorPurpose,
} from './door-codes';
import type { Ledger } from './ledger';
import type { VolunteerOrder } from './model';
import type { Orders } from './orders';

const purposeIn: Partial<Record<string, DoorPurpose>> = { accepted: 'check_in', in_service: 'check_out' };

/**
 * At the door: the resident's rotating one-time code, check-in and check-out with it (no code, no hours), and
 * hours staff add by hand with a reason, capped by the order's window and marked as such.
 */
export function createVisits(deps: {
  models: Pick<Models, 'VolunteerOrder'>;
  orders: Orders;
  ledger: Pick<Ledger, 'credit'>;
  now: () => Date;
}) {
  const { models, orders } = deps;

  async function secretOf(order: VolunteerOrder): Promise<string> {
    const found = await models.VolunteerOrder.findOne(
      { _id: order._id, communityId: order.communityId },
      { doorSecret: 1 },
    ).lean();
    return found!.doorSecret;
  }

  /** The code the resident's phone shows now, for the next step the order waits for. */
  async function code(actor: Actor, id: string): Promise<DoorCode> {
    const order = await orders.load(actor, id);
    if (!orders.rolesOn(actor, order).includes('requester'))
      throw new ForbiddenError('Only the resident served sees the door code');
    const purpose = purposeIn[order.state];
    if (!purpose) throw new ConflictError('No visit waits for a code now', ErrorCode.ORDER_STATE_CHANGED);
    const step = stepAt(deps.now());
    return {
      code: doorCode(await secretOf(order), purpose, step),
      purpose,
      // The code of the step before is still taken: it is good until the end of the next step.
      expiresAt: new Date((step + 2) * DOOR_STEP_MS).toISOString(),
    };
  }

  /** Checks a code the volunteer entered; a wrong one counts towards the lock. Answers its step. */
  async function verify(order: VolunteerOrder, purpose: DoorPurpose, entered: string): Promise<number> {
    const now = deps.now();
    if (order.doorLockedUntil && order.doorLockedUntil > now)
      throw new AppError(429, ErrorCode.DOOR_CODE_LOCKED, 'Too many wrong codes; wait and try again');
    const step = matchDoorCode(await secretOf(order), purpose, entered, now, order.doorUsedStep);
    if (step !== null) return step;
    const failed = await models.VolunteerOrder.findOneAndUpdate(
      { _id: order._id, communityId: order.communityId },
      { $inc: { doorFailures: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if ((failed?.doorFailures ?? 0) >= MAX_DOOR_FAILURES) {
      await models.VolunteerOrder.updateOne(
        { _id: order._id, communityId: order.communityId },
        { $set: { doorFailures: 0, doorLockedUntil: new Date(now.getTime() + DOOR_LOCK_MS) } },
      );
    }
    throw new BadRequestError('The code is wrong, expired or used', ErrorCode.DOOR_CODE_INVALID);
  }

  async function asVolunteer(actor: Actor, id: string): Promise<VolunteerOrder> {
    const order = await orders.load(actor, id);
    if (!orders.rolesOn(actor, order).includes('volunteer'))
      throw new ForbiddenError('Only the volunteer serving the order checks in');
    return order;
  }

  async function checkIn(actor: Actor, id: string, entered: string): Promise<OrderView> {
    const order = await asVolunteer(actor, id);
    if (order.state !== 'accepted') throw new ConflictError('Not waiting for check-in', ErrorCode.ORDER_STATE_CHANGED);
    const step = await verify(order, 'check_in', entered);
    const updated = await orders.move(actor, order, 'check_in', ['volunteer'], {
      set: { checkInAt: deps.now(), doorUsedStep: step, doorFailures: 0 },
      where: { doorUsedStep: { $lt: step } },
    });
    await orders.tell([updated.requesterId], updated, '志愿者已上门签到', orders.moved('check_in', updated));
    return orders.one(actor, updated);
  }

  function title(order: VolunteerOrder): string {
    return `${serviceKindLabel[order.kind as ServiceKind]}：${[...order.description].slice(0, 20).join('')}`;
  }

  async function checkOut(actor: Actor, id: string, entered: string): Promise<OrderView> {
    const order = await asVolunteer(actor, id);
    if (order.state !== 'in_service') throw new ConflictError('Not in service', ErrorCode.ORDER_STATE_CHANGED);
    const step = await verify(order, 'check_out', entered);
    const now = deps.now();
    const minutes = Math.floor((now.getTime() - order.checkInAt!.getTime()) / 60_000);
    const halfHours = creditedHalfHours(minutes);
    const updated = await orders.move(actor, order, 'check_out', ['volunteer'], {
      set: { checkOutAt: now, doorUsedStep: step, doorFailures: 0, credited: { halfHours, minutes, manual: false } },
      where: { doorUsedStep: { $lt: step } },
      within: (o, session) =>
        deps.ledger.credit(
          {
            communityId: o.communityId,
            userId: o.volunteerId!,
            kind: 'order',
            serviceKind: o.kind,
            orderId: o._id,
            minutes,
            halfHours,
            title: title(o),
            note: null,
          },
          session,
        ),
    });
    await orders.tell([updated.requesterId], updated, '服务已完成，请评价', orders.moved('check_out', updated));
    return orders.one(actor, updated);
  }

  /** Staff add hours by hand (a forgotten check-out…): with a reason, at most the order's window, marked manual. */
  async function manualHours(actor: Actor, id: string, minutes: number, reason: string): Promise<OrderView> {
    const order = await orders.load(actor, id);
    const window = Math.floor((order.windowEnd.getTime() - order.windowStart.getTime()) / 60_000);
    if (minutes > window) throw new BadRequestError(`At most the order's window: ${window} minutes`);
    const halfHours = creditedHalfHours(minutes);
    const updated = await orders.move(actor, order, 'manual_hours', orders.rolesOn(actor, order), {
      set: { credited: { halfHours, minutes, manual: true } },
      note: reason,
      within: (o, session) =>
        deps.ledger.credit(
          {
            communityId: o.communityId,
            userId: o.volunteerId!,
            kind: 'manual',
            serviceKind: o.kind,
            orderId: o._id,
            minutes,
            halfHours,
            title: `${title(o)}（补录）`,
            note: reason,
          },
          session,
        ),
    });
    await orders.tell(
      [updated.volunteerId!, updated.requesterId],
      updated,
      '服务时长已补录',
      orders.moved('manual_hours', updated),
    );
    return orders.one(actor, updated);
  }

  return { code, checkIn, checkOut, manualHours };
}
export type Visits = ReturnType<typeof createVisits>;
