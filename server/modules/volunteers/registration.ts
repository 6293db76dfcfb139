import { Types, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName, maskPhone } from '../../../shared/masking';
import type { RegisterVolunteerBody, VolunteerPage, VolunteerView } from '../../../shared/schemas/volunteers';
import { meanRating, volunteerStatusLabel, type ServiceKind, type VolunteerStatus } from '../../../shared/volunteers';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { ActorCache } from '../roles/actor-cache';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { Moderation } from '../moderation/service';
import type { Notifier } from '../notifications/service';
import type { Access, Actor } from '../roles/access';
import { communityStaff } from '../roles/staff';
import type { Ledger } from './ledger';
import type { Volunteer } from './model';

const SORT = ['createdAt', '_id'] as const;
const DISPATCH_ROLES = ['grid_worker', 'community_staff'];
const STREET_ROLES = ['street_staff', 'admin'];

/** Does the actor dispatch anywhere in the community (a grid worker of one of its grids, or staff)? */
export function dispatchesIn(actor: Actor, communityId: Types.ObjectId): boolean {
  return actor.grants.some(
    (g) =>
      (DISPATCH_ROLES.includes(g.role) && g.communityId?.equals(communityId)) ||
      (STREET_ROLES.includes(g.role) && actor.scope.communityIds.some((c) => c.equals(communityId))),
  );
}

/** The community a request is about: the one asked for when the caller belongs to it, else their first. */
export function communityFor(actor: Actor, requested?: string): Types.ObjectId {
  const id = requested ? actor.scope.communityIds.find((c) => c.equals(requested)) : actor.scope.communityIds[0];
  if (!id) throw new NotFoundError('No such community');
  return id;
}

type Decision = 'verify' | 'suspend' | 'reinstate';
const decisionMoves: Record<Decision, { from: VolunteerStatus[]; to: VolunteerStatus; label: string }> = {
  verify: { from: ['pending'], to: 'verified', label: '已通过认证' },
  suspend: { from: ['pending', 'verified'], to: 'suspended', label: '已被暂停' },
  reinstate: { from: ['suspended'], to: 'verified', label: '已恢复' },
};

/** Volunteer registration and its review by staff; profiles with hours, stars and ratings. */
export function createRegistration(deps: {
  connection: Connection;
  models: Pick<Models, 'Volunteer' | 'Node' | 'User' | 'RoleGrant'>;
  access: Access;
  ledger: Pick<Ledger, 'totalsFor'>;
  moderation: Pick<Moderation, 'screenText'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  actors: Pick<ActorCache, 'changed'>;
}) {
  const { models, access } = deps;

  /** Staff of the volunteer's community see names and phones whole; so does the volunteer. */
  async function isStaff(actor: Actor, communityId: Types.ObjectId): Promise<boolean> {
    return access.can(actor, 'volunteer.verify', await access.findNode(actor, communityId));
  }

  async function views(actor: Actor, volunteers: Volunteer[]): Promise<VolunteerView[]> {
    if (volunteers.length === 0) return [];
    const communityId = volunteers[0]!.communityId;
    const [areas, totals, staff] = await Promise.all([
      models.Node.find({ _id: { $in: volunteers.flatMap((v) => v.areaIds) }, communityId }, { name: 1 }).lean(),
      deps.ledger.totalsFor(
        communityId,
        volunteers.map((v) => v.userId),
      ),
      isStaff(actor, communityId),
    ]);
    return volunteers.map((v) => {
      const isMe = v.userId.equals(actor.userId);
      const whole = isMe || staff;
      return {
        id: String(v._id),
        userId: String(v.userId),
        communityId: String(v.communityId),
        realName: whole ? v.realName : maskName(v.realName),
        phone: whole ? v.phone : maskPhone(v.phone),
        skills: v.skills as ServiceKind[],
        areas: v.areaIds.map((id) => ({ id: String(id), name: areas.find((a) => a._id.equals(id))?.name ?? '' })),
        availability: v.availability.map((a) => ({ day: a.day!, part: a.part as 'morning' })),
        status: v.status as VolunteerStatus,
        statusReason: v.statusReason ?? null,
        totals: totals.get(String(v.userId))!,
        rating: meanRating(v.ratingSum, v.ratingCount),
        ratingCount: v.ratingCount,
        isMe,
        canManage: staff,
        createdAt: v.createdAt.toISOString(),
      };
    });
  }

  async function register(actor: Actor, body: RegisterVolunteerBody): Promise<VolunteerView> {
    const communityId = communityFor(actor, body.communityId);
    const areas = await models.Node.countDocuments({
      _id: { $in: body.areaIds },
      communityId,
      kind: { $in: ['community', 'estate'] },
    });
    if (areas !== body.areaIds.length)
      throw new BadRequestError('Serve the community or some of its estates', ErrorCode.VALIDATION_FAILED);
    await deps.moderation.screenText(actor, 1, { realName: body.realName }, communityId);
    const exists = await models.Volunteer.exists({ communityId, userId: actor.userId });
    if (exists) throw new ConflictError('Already registered in this community', ErrorCode.VOLUNTEER_EXISTS);
    let created: Volunteer;
    try {
      [created] = (await models.Volunteer.create([
        {
          communityId,
          userId: actor.userId,
          realName: body.realName,
          phone: body.phone,
          skills: body.skills,
          areaIds: body.areaIds,
          availability: body.availability,
        },
      ])) as unknown as [Volunteer];
    } catch (err) {
      if ((err as { code?: number }).code === 11000)
        throw new ConflictError('Already registered in this community', ErrorCode.VOLUNTEER_EXISTS);
      throw err;
    }
    await deps.audit.record({
      communityId,
      itemKind: 'volunteer',
      itemId: created._id,
      action: 'register',
      to: 'pending',
      actorId: actor.userId,
    });
    await deps.notifier.notify({
      userIds: await communityStaff(models, communityId),
      kind: 'volunteer.updated',
      title: '新的志愿者注册',
      body: `${maskName(body.realName)}申请成为志愿者，请审核`,
      link: 'packages/volunteer/index/index',
    });
    return (await views(actor, [created]))[0]!;
  }

  async function load(actor: Actor, id: string): Promise<Volunteer> {
    const found = Types.ObjectId.isValid(id)
      ? await models.Volunteer.findOne({ _id: id, ...inScope(actor.scope) }).lean<Volunteer>()
      : null;
    if (!found || !(found.userId.equals(actor.userId) || dispatchesIn(actor, found.communityId)))
      throw new NotFoundError('No such volunteer');
    return found;
  }

  async function get(actor: Actor, id: string): Promise<VolunteerView> {
    return (await views(actor, [await load(actor, id)]))[0]!;
  }

  /** The caller's registration in a community, or null. */
  async function mine(actor: Actor, communityId?: string): Promise<Volunteer | null> {
    const community = communityFor(actor, communityId);
    return models.Volunteer.findOne({ communityId: community, userId: actor.userId }).lean<Volunteer>();
  }

  /** The caller as a verified volunteer of the community, else 403 NOT_A_VOLUNTEER. */
  async function verified(actor: Actor, communityId: Types.ObjectId): Promise<Volunteer> {
    const found = await models.Volunteer.findOne({
      communityId,
      userId: actor.userId,
      status: 'verified',
    }).lean<Volunteer>();
    if (!found) throw new ForbiddenError('Only verified volunteers of this community', ErrorCode.NOT_A_VOLUNTEER);
    return found;
  }

  async function list(
    actor: Actor,
    query: { communityId?: string; status?: VolunteerStatus; cursor?: string; limit: number },
  ): Promise<VolunteerPage> {
    const communityId = communityFor(actor, query.communityId);
    if (!dispatchesIn(actor, communityId)) throw new ForbiddenError('Only dispatchers and staff list volunteers');
    const after = query.cursor ? afterCursor(SORT, decodeCursor(query.cursor, ['date', 'objectId'])) : {};
    const rows = await models.Volunteer.find({
      communityId,
      ...(query.status ? { status: query.status } : {}),
      ...after,
    })
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<Volunteer[]>();
    const { items, nextCursor } = pageOf(rows, query.limit, SORT);
    return { items: await views(actor, items), nextCursor };
  }

  /** Staff verify, suspend or reinstate: one conditional update, the badge follows, audited and told. */
  async function decide(actor: Actor, id: string, decision: Decision, reason: string): Promise<VolunteerView> {
    const found = await load(actor, id);
    await access.authorize(actor, 'volunteer.verify', found.communityId);
    const move = decisionMoves[decision];
    const updated = await deps.connection.transaction(async (session) => {
      const result = await models.Volunteer.findOneAndUpdate(
        { _id: found._id, communityId: found.communityId, status: { $in: move.from } },
        { $set: { status: move.to, statusReason: reason } },
        { returnDocument: 'after', session },
      ).lean<Volunteer>();
      if (!result)
        throw new ConflictError(`A ${found.status} volunteer cannot be ${decision}d`, ErrorCode.INVALID_TRANSITION);
      // The badge shows on the profile everywhere: it stays while any community has them verified.
      const verifiedSomewhere =
        move.to === 'verified' ||
        (await models.Volunteer.exists({ userId: found.userId, status: 'verified' })
          .setOptions(CROSS_COMMUNITY)
          .session(session));
      await models.User.updateOne(
        { _id: found.userId },
        verifiedSomewhere ? { $addToSet: { badges: 'volunteer' } } : { $pull: { badges: 'volunteer' } },
        { session },
      );
      await deps.actors.changed([found.userId], session); // GET /me shows the badge
      await deps.audit.record(
        {
          communityId: found.communityId,
          itemKind: 'volunteer',
          itemId: found._id,
          action: decision,
          from: found.status,
          to: move.to,
          actorId: actor.userId,
          actorRole: 'staff',
          note: reason,
        },
        session,
      );
      return result;
    });
    await deps.notifier.notify({
      userIds: [found.userId],
      kind: 'volunteer.updated',
      title: `志愿者${volunteerStatusLabel[move.to]}`,
      body: `您的志愿者身份${move.label}：${reason}`,
      link: 'packages/volunteer/index/index',
    });
    return (await views(actor, [updated]))[0]!;
  }

  return { register, load, get, mine, verified, list, decide, views };
}
export type Registration = ReturnType<typeof createRegistration>;
