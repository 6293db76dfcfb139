import { randomInt } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { ActivityPage, ActivityView, CreateActivityBody } from '../../../shared/schemas/volunteers';
import { creditedHalfHours, type ActivityKind } from '../../../shared/volunteers';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { Moderation } from '../moderation/service';
import type { Notifier } from '../notifications/service';
import { communityOf, type PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import type { Access, Actor } from '../roles/access';
import type { Ledger } from './ledger';
import type { Activity } from './model';
import type { Registration } from './registration';
import { communityFor } from './registration';

const SORT = ['startAt', '_id'] as const;

/** Without `me` in an array field. */
const without = (field: string, me: Types.ObjectId) => ({
  $filter: { input: `$${field}`, cond: { $ne: ['$$this', me] } },
});

/**
 * Activities: staff publish one with places; volunteers sign up (a place, else the waiting list), cancel (the
 * first waiting moves up, in the same single update), check in with the organiser's code; completing it credits
 * the checked-in their hours in the ledger.
 */
export function createActivities(deps: {
  connection: Connection;
  models: Pick<Models, 'VolunteerActivity' | 'Volunteer' | 'Node'>;
  access: Access;
  nodeRefs: NodeRefs;
  registration: Pick<Registration, 'verified'>;
  ledger: Pick<Ledger, 'credit'>;
  moderation: Pick<Moderation, 'screenText'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  now: () => Date;
}) {
  const { models, access } = deps;

  async function views(actor: Actor, activities: Activity[]): Promise<ActivityView[]> {
    if (activities.length === 0) return [];
    const nodes = await models.Node.find({
      _id: { $in: activities.map((a) => a.nodeId) },
      ...inScope(actor.scope),
    }).lean<PlaceNode[]>();
    const refs = await deps.nodeRefs(nodes);
    return activities.map((a) => {
      const manage = access.can(
        actor,
        'activity.manage',
        nodes.find((n) => n._id.equals(a.nodeId))!,
      );
      const has = (list: Types.ObjectId[]) => list.some((id) => id.equals(actor.userId));
      const position = a.waiting.findIndex((id) => id.equals(actor.userId));
      return {
        id: String(a._id),
        title: a.title,
        kind: a.kind as ActivityKind,
        description: a.description,
        place: refs.get(String(a.nodeId))!,
        startAt: a.startAt.toISOString(),
        endAt: a.endAt.toISOString(),
        places: a.places,
        signedUp: a.participants.length,
        waiting: a.waiting.length,
        mine: has(a.checkedIn) ? 'checked_in' : has(a.participants) ? 'signed_up' : position >= 0 ? 'waiting' : null,
        waitingPosition: position >= 0 ? position + 1 : null,
        checkInCode: manage ? a.checkInCode : null,
        canManage: manage,
        completed: !!a.completedAt,
      };
    });
  }

  async function load(actor: Actor, id: string): Promise<Activity> {
    const found = Types.ObjectId.isValid(id)
      ? await models.VolunteerActivity.findOne({ _id: id, ...inScope(actor.scope) }).lean<Activity>()
      : null;
    if (!found) throw new NotFoundError('No such activity');
    return found;
  }

  async function get(actor: Actor, id: string): Promise<ActivityView> {
    return (await views(actor, [await load(actor, id)]))[0]!;
  }

  async function record(actor: Actor, activity: Activity, action: string, note: string | null = null) {
    await deps.audit.record({
      communityId: activity.communityId,
      itemKind: 'volunteer_activity',
      itemId: activity._id,
      nodeId: activity.nodeId,
      action,
      actorId: actor.userId,
      note,
    });
  }

  async function tell(userIds: Types.ObjectId[], activity: Activity, title: string) {
    await deps.notifier.notify({
      userIds,
      kind: 'volunteer.activity',
      title,
      body: `${activity.title}（${activity.startAt.toISOString().slice(0, 16).replace('T', ' ')}）`,
      link: `packages/volunteer/activity/index?id=${activity._id}`,
    });
  }

  async function create(actor: Actor, body: CreateActivityBody): Promise<ActivityView> {
    const node = await access.authorize(actor, 'activity.manage', body.nodeId);
    const startAt = new Date(body.startAt);
    const endAt = new Date(body.endAt);
    if (!(startAt < endAt) || endAt.getTime() - startAt.getTime() > 24 * 3600_000)
      throw new BadRequestError('An activity ends after it starts, within a day');
    if (node.kind === 'street') throw new BadRequestError('Publish on a community or one of its places');
    const communityId = communityOf(node);
    await deps.moderation.screenText(actor, 3, { title: body.title, description: body.description }, communityId);
    const [created] = (await models.VolunteerActivity.create([
      {
        communityId,
        nodeId: node._id,
        organiserId: actor.userId,
        title: body.title,
        kind: body.kind,
        description: body.description,
        startAt,
        endAt,
        places: body.places,
        checkInCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      },
    ])) as unknown as [Activity];
    await record(actor, created, 'publish');
    const volunteers = await models.Volunteer.find({ communityId, status: 'verified' }, { userId: 1 }).lean();
    await tell(
      volunteers.map((v) => v.userId),
      created,
      `新的志愿活动：${body.title}`,
    );
    return (await get(actor, String(created._id)))!;
  }

  async function list(actor: Actor, query: { communityId?: string; cursor?: string; limit: number }) {
    const communityId = communityFor(actor, query.communityId);
    const after = query.cursor ? afterCursor(SORT, decodeCursor(query.cursor, ['date', 'objectId'])) : {};
    const rows = await models.VolunteerActivity.find({ communityId, ...after })
      .sort({ startAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<Activity[]>();
    const { items, nextCursor } = pageOf(rows, query.limit, SORT);
    return { items: await views(actor, items), nextCursor } satisfies ActivityPage;
  }

  /** A place if one is free, else the end of the waiting list: one update deciding on the document itself. */
  async function signUp(actor: Actor, id: string): Promise<ActivityView> {
    const activity = await load(actor, id);
    await deps.registration.verified(actor, activity.communityId);
    const me = actor.userId;
    const hasRoom = { $lt: [{ $size: '$participants' }, '$places'] };
    const updated = await models.VolunteerActivity.findOneAndUpdate(
      {
        _id: activity._id,
        communityId: activity.communityId,
        completedAt: null,
        participants: { $ne: me },
        waiting: { $ne: me },
      },
      [
        {
          $set: {
            participants: { $cond: [hasRoom, { $concatArrays: ['$participants', [me]] }, '$participants'] },
            waiting: { $cond: [hasRoom, '$waiting', { $concatArrays: ['$waiting', [me]] }] },
          },
        },
      ],
      { returnDocument: 'after', updatePipeline: true },
    ).lean<Activity>();
    if (!updated) throw new ConflictError('Already signed up, or the activity is over', ErrorCode.ALREADY_SIGNED_UP);
    const placed = updated.participants.some((p) => p.equals(me));
    await record(actor, updated, placed ? 'sign_up' : 'wait');
    await tell([me], updated, placed ? '活动报名成功' : '已进入候补名单');
    return (await views(actor, [updated]))[0]!;
  }

  /**
   * Cancelling a sign-up: out of the places or the waiting list; a freed place goes to the first waiting, in the
   * same update, so no two cancellations can hand the same place out twice.
   */
  async function cancel(actor: Actor, id: string): Promise<ActivityView> {
    const activity = await load(actor, id);
    const me = actor.userId;
    const rest = { participants: without('participants', me), waiting: without('waiting', me) };
    const moveUp = { $and: [{ $lt: [{ $size: '$$p' }, '$places'] }, { $gt: [{ $size: '$$w' }, 0] }] };
    const updated = await models.VolunteerActivity.findOneAndUpdate(
      {
        _id: activity._id,
        communityId: activity.communityId,
        completedAt: null,
        $or: [{ participants: me }, { waiting: me }],
      },
      [
        {
          $set: {
            participants: {
              $let: {
                vars: { p: rest.participants, w: rest.waiting },
                in: { $cond: [moveUp, { $concatArrays: ['$$p', [{ $arrayElemAt: ['$$w', 0] }]] }, '$$p'] },
              },
            },
            waiting: {
              $let: {
                vars: { p: rest.participants, w: rest.waiting },
                in: { $cond: [moveUp, { $slice: ['$$w', 1, { $size: '$$w' }] }, '$$w'] },
              },
            },
            checkedIn: without('checkedIn', me),
          },
        },
      ],
      { returnDocument: 'after', updatePipeline: true },
    ).lean<Activity>();
    if (!updated) throw new ConflictError('Not signed up, or the activity is over', ErrorCode.ORDER_STATE_CHANGED);
    await record(actor, updated, 'cancel_sign_up');
    const promoted = updated.participants.find((p) => !activity.participants.some((q) => q.equals(p)));
    if (promoted) await tell([promoted], updated, '候补成功，您已获得活动名额');
    return (await views(actor, [updated]))[0]!;
  }

  async function checkIn(actor: Actor, id: string, code: string): Promise<ActivityView> {
    const activity = await load(actor, id);
    if (code !== activity.checkInCode)
      throw new BadRequestError('Wrong check-in code', ErrorCode.ACTIVITY_CODE_INVALID);
    const updated = await models.VolunteerActivity.findOneAndUpdate(
      { _id: activity._id, communityId: activity.communityId, completedAt: null, participants: actor.userId },
      { $addToSet: { checkedIn: actor.userId } },
      { returnDocument: 'after' },
    ).lean<Activity>();
    if (!updated) throw new ConflictError('Sign up for a place first', ErrorCode.ORDER_STATE_CHANGED);
    await record(actor, updated, 'check_in');
    await tell([actor.userId], updated, '活动签到成功');
    return (await views(actor, [updated]))[0]!;
  }

  /** The organiser completes it: each checked-in volunteer is credited the activity's length, once. */
  async function complete(actor: Actor, id: string): Promise<ActivityView> {
    const activity = await load(actor, id);
    await access.authorize(actor, 'activity.manage', activity.nodeId);
    const minutes = Math.floor((activity.endAt.getTime() - activity.startAt.getTime()) / 60_000);
    const updated = await deps.connection.transaction(async (session) => {
      const done = await models.VolunteerActivity.findOneAndUpdate(
        { _id: activity._id, communityId: activity.communityId, completedAt: null },
        { $set: { completedAt: deps.now() } },
        { returnDocument: 'after', session },
      ).lean<Activity>();
      if (!done) throw new ConflictError('Already completed', ErrorCode.ORDER_STATE_CHANGED);
      for (const userId of done.checkedIn) {
        await deps.ledger.credit(
          {
            communityId: done.communityId,
            userId,
            kind: 'activity',
            serviceKind: 'activity',
            activityId: done._id,
            minutes,
            halfHours: creditedHalfHours(minutes),
            title: `活动：${done.title}`,
            note: null,
          },
          session,
        );
      }
      await deps.audit.record(
        {
          communityId: done.communityId,
          itemKind: 'volunteer_activity',
          itemId: done._id,
          nodeId: done.nodeId,
          action: 'complete',
          actorId: actor.userId,
        },
        session,
      );
      return done;
    });
    await tell(updated.checkedIn, updated, '活动已结束，服务时长已计入');
    return (await views(actor, [updated]))[0]!;
  }

  return { create, list, get, signUp, cancel, checkIn, complete };
}
export type Activities = ReturnType<typeof createActivities>;
