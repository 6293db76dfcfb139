import { randomInt } from 'node:crypto';
import type { Connection, Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import type { HouseholdRelation } from '../../../shared/places';
import { permissions } from '../../../shared/roles';
import type { InvitePreview, InviteView, JoinRequestView } from '../../../shared/schemas/places';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { AppError, ConflictError, NotFoundError, ServiceUnavailableError } from '../../errors';
import type { Models } from '../../plugins/models';
import { communityOf, type PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import type { Audit } from '../audit/service';
import type { Notifier } from '../notifications/service';
import type { Moderation } from '../moderation/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import type { ActorCache } from '../roles/actor-cache';
import type { WechatClient } from '../../wechat/client';
import type { Invite, JoinRequest } from './model';

/** Unambiguous letters and digits (no 0/O, 1/I/L) so a code read aloud or copied by hand still works. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** The mini-program page a scanned invite opens. */
const JOIN_PAGE = 'packages/community/join/index';

function inviteInvalid(): AppError {
  return new AppError(404, ErrorCode.INVITE_INVALID, 'The invite code is unknown, expired or revoked');
}

/** Joining a community: invite codes for units, join requests, and their review. */
export function createJoinService(deps: {
  connection: Connection;
  models: Pick<Models, 'Invite' | 'JoinRequest' | 'Household' | 'Node' | 'RoleGrant' | 'User'>;
  access: Access;
  actors: Pick<ActorCache, 'changed'>;
  nodeRefs: NodeRefs;
  notifier: Pick<Notifier, 'notify'>;
  audit: Pick<Audit, 'record'>;
  wechat: Pick<WechatClient, 'unlimitedQrCode'>;
  moderation: Pick<Moderation, 'screenText'>;
  now: () => Date;
}) {
  const { models, access, nodeRefs } = deps;

  /** Captains of the unit and its building review joins; staff only when there are none. */
  async function reviewersOf(unit: PlaceNode): Promise<Types.ObjectId[]> {
    const grants = await models.RoleGrant.find({
      nodeId: { $in: ancestryOf(unit) },
      role: { $in: ['unit_captain', 'building_captain', 'community_staff'] },
    }).lean();
    const captains = grants.filter((g) => g.role !== 'community_staff');
    return (captains.length > 0 ? captains : grants).map((g) => g.userId);
  }

  const placeName = (ref: { path: string[] }) => ref.path.slice(1).join('');

  async function inviteView(invite: Invite, unit: PlaceNode): Promise<InviteView> {
    return {
      code: invite.code,
      unit: (await nodeRefs([unit])).get(String(unit._id))!,
      expiresAt: invite.expiresAt.toISOString(),
      revoked: invite.revokedAt !== null,
      qrPayload: `${JOIN_PAGE}?code=${invite.code}`,
      uses: invite.uses,
    };
  }

  async function createInvite(actor: Actor, unitId: string, ttlHours: number): Promise<InviteView> {
    const unit = await access.authorize(actor, 'invite.manage', unitId);
    if (unit.kind !== 'unit') throw new AppError(400, ErrorCode.BAD_REQUEST, 'Invite codes are made for units');
    const invite = await models.Invite.create({
      communityId: communityOf(unit),
      unitId: unit._id,
      code: newCode(),
      createdBy: actor.userId,
      expiresAt: new Date(Date.now() + ttlHours * 3600_000),
    });
    return inviteView(invite.toObject<Invite>(), unit);
  }

  async function listInvites(actor: Actor, unitId: string): Promise<InviteView[]> {
    const unit = await access.authorize(actor, 'invite.manage', unitId);
    const invites = await models.Invite.find({ communityId: unit.communityId, unitId: unit._id })
      .sort({ createdAt: -1 })
      .limit(20)
      .lean<Invite[]>();
    return Promise.all(invites.map((invite) => inviteView(invite, unit)));
  }

  async function revokeInvite(actor: Actor, code: string): Promise<void> {
    const invite = await models.Invite.findOne({ code, ...inScope(actor.scope) }).lean<Invite>();
    if (!invite) throw inviteInvalid();
    await access.authorize(actor, 'invite.manage', invite.unitId);
    await models.Invite.updateOne(
      { _id: invite._id, communityId: invite.communityId, revokedAt: null },
      { $set: { revokedAt: new Date() } },
    );
  }

  /**
   * The invite as a WeChat mini-program code, for those who manage the unit's invites: scanned with WeChat, it
   * opens the join page with the code as its `scene`. Only a code that still works gets one.
   */
  async function inviteQrCode(actor: Actor, code: string): Promise<{ contentType: string; data: string }> {
    const invite = await models.Invite.findOne({
      code,
      revokedAt: null,
      expiresAt: { $gt: deps.now() },
      ...inScope(actor.scope),
    }).lean<Invite>();
    if (!invite) throw inviteInvalid();
    await access.authorize(actor, 'invite.manage', invite.unitId);
    try {
      const image = await deps.wechat.unlimitedQrCode({ scene: invite.code, page: JOIN_PAGE, checkPath: false });
      return { contentType: image.contentType, data: image.bytes.toString('base64') };
    } catch (err) {
      // The log gets WeChat's answer (as the cause); the caller is told to share the code as text instead.
      throw Object.assign(
        new ServiceUnavailableError('WeChat could not make the mini-program code', ErrorCode.WECHAT_UNAVAILABLE),
        { cause: err },
      );
    }
  }

  /** Resolving a code crosses communities on purpose: it is how a newcomer finds theirs. */
  async function usableInvite(code: string): Promise<{ invite: Invite; unit: PlaceNode }> {
    const invite = await models.Invite.findOne({
      code: code.trim().toUpperCase(),
      revokedAt: null,
      expiresAt: { $gt: new Date() },
    })
      .setOptions(CROSS_COMMUNITY)
      .lean<Invite>();
    if (!invite) throw inviteInvalid();
    const unit = await models.Node.findOne({ _id: invite.unitId, communityId: invite.communityId }).lean<PlaceNode>();
    if (!unit) throw inviteInvalid();
    return { invite, unit };
  }

  async function previewInvite(code: string): Promise<InvitePreview> {
    const { invite, unit } = await usableInvite(code);
    const rooms = await models.Household.find(
      { communityId: unit.communityId, unitId: unit._id },
      { room: 1, floor: 1 },
    )
      .sort({ floor: 1, room: 1 })
      .lean();
    return {
      unit: (await nodeRefs([unit])).get(String(unit._id))!,
      rooms: rooms.map((r) => ({ room: r.room, floor: r.floor })),
      expiresAt: invite.expiresAt.toISOString(),
    };
  }

  async function views(requests: JoinRequest[], actor: Actor): Promise<JoinRequestView[]> {
    const units = await models.Node.find({
      _id: { $in: requests.map((r) => r.unitId) },
      communityId: { $in: [...new Set(requests.map((r) => r.communityId))] },
    }).lean<PlaceNode[]>();
    const refs = await nodeRefs(units);
    const users = await models.User.find({ _id: { $in: requests.map((r) => r.userId) } }, { displayName: 1 }).lean();
    return requests.map((r) => {
      const name = users.find((u) => u._id.equals(r.userId))?.displayName ?? '';
      return {
        id: String(r._id),
        status: r.status as JoinRequestView['status'],
        unit: refs.get(String(r.unitId))!,
        room: r.room,
        relation: r.relation as HouseholdRelation,
        ...(r.note ? { note: r.note } : {}),
        applicant: { id: String(r.userId), displayName: r.userId.equals(actor.userId) ? name : maskName(name) },
        ...(r.reason ? { reason: r.reason } : {}),
        createdAt: (r as unknown as { createdAt: Date }).createdAt.toISOString(),
        ...(r.decidedAt ? { decidedAt: r.decidedAt.toISOString() } : {}),
      };
    });
  }

  /**
   * Files a request to join a household. Idempotent: repeating it (a retry after a dropped network)
   * answers with the request already pending instead of filing a second.
   */
  async function requestToJoin(
    actor: Actor,
    body: { code: string; room: string; relation: HouseholdRelation; note?: string },
  ): Promise<{ created: boolean; request: JoinRequestView }> {
    const { invite, unit } = await usableInvite(body.code);
    const household = await models.Household.findOne({
      communityId: unit.communityId,
      unitId: unit._id,
      room: body.room.trim(),
    }).lean();
    if (!household) throw new AppError(404, ErrorCode.ROOM_NOT_FOUND, `Room ${body.room} is not in this unit`);
    if (household.members.some((m) => m.userId.equals(actor.userId))) {
      throw new ConflictError('You already belong to this household', ErrorCode.ALREADY_MEMBER);
    }
    // The note goes to the captains only: risky text is refused, doubtful text still reaches them.
    const note = body.note?.trim() || undefined;
    if (note) await deps.moderation.screenText(actor, 1, { note }, communityOf(unit));
    const pendingFilter = {
      communityId: communityOf(unit),
      userId: actor.userId,
      householdId: household._id,
      status: 'pending' as const,
    };
    try {
      const created = await models.JoinRequest.create({
        communityId: communityOf(unit),
        unitId: unit._id,
        ancestors: [...unit.ancestors, unit._id],
        householdId: household._id,
        userId: actor.userId,
        room: household.room,
        relation: body.relation,
        note,
        inviteCode: invite.code,
      });
      await models.Invite.updateOne({ _id: invite._id, communityId: invite.communityId }, { $inc: { uses: 1 } });
      await deps.actors.changed([actor.userId]); // GET /me counts the pending requests
      const view = (await views([created.toObject<JoinRequest>()], actor))[0]!;
      await deps.audit.record({
        communityId: created.communityId,
        itemKind: 'join-request',
        itemId: created._id,
        nodeId: unit._id,
        action: 'requested',
        to: 'pending',
        actorId: actor.userId,
      });
      await deps.notifier.notify({
        userIds: await reviewersOf(unit),
        kind: 'join.requested',
        title: '新的入户申请',
        body: `${placeName(view.unit)}${view.room}室有一份入户申请待审核`,
        link: 'packages/community/approvals/index',
        data: {
          place: `${placeName(view.unit)}${view.room}`,
          applicant: view.applicant.displayName,
          time: deps.now().toISOString().slice(0, 16).replace('T', ' '),
        },
      });
      return { created: true, request: view };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const pending = await models.JoinRequest.findOne(pendingFilter).lean<JoinRequest>();
      if (!pending) throw err;
      return { created: false, request: (await views([pending], actor))[0]! };
    }
  }

  async function list(
    actor: Actor,
    view: 'mine' | 'review',
    status?: JoinRequest['status'],
  ): Promise<JoinRequestView[]> {
    const byStatus = status ? { status } : {};
    if (view === 'mine') {
      // The caller's own requests, in whichever community they applied to.
      const mine = await models.JoinRequest.find({ userId: actor.userId, ...byStatus })
        .setOptions(CROSS_COMMUNITY)
        .sort({ createdAt: -1 })
        .limit(50)
        .lean<JoinRequest[]>();
      return views(mine, actor);
    }
    const reviewRoles: readonly string[] = permissions['join.review'];
    const nodeIds = actor.effective.filter((g) => reviewRoles.includes(g.role)).map((g) => g.nodeId);
    if (nodeIds.length === 0) return [];
    const requests = await models.JoinRequest.find({
      ...inScope(actor.scope),
      ancestors: { $in: nodeIds },
      ...byStatus,
    })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean<JoinRequest[]>();
    return views(requests, actor);
  }

  async function reviewable(actor: Actor, id: string): Promise<JoinRequest> {
    const request = await models.JoinRequest.findOne({ _id: id, ...inScope(actor.scope) }).lean<JoinRequest>();
    if (!request) throw new NotFoundError('No such join request');
    await access.authorize(actor, 'join.review', request.unitId);
    return request;
  }

  const decided = () => new ConflictError('This request was already decided', ErrorCode.JOIN_REQUEST_DECIDED);

  /** Approves: the request, the household membership and the resident role change together or not at all. */
  async function approve(actor: Actor, id: string): Promise<JoinRequestView> {
    const request = await reviewable(actor, id);
    const now = deps.now();
    await deps.connection.transaction(async (session) => {
      const updated = await models.JoinRequest.findOneAndUpdate(
        { _id: request._id, communityId: request.communityId, status: 'pending' },
        { $set: { status: 'approved', decidedBy: actor.userId, decidedAt: now } },
        { session },
      );
      if (!updated) throw decided();
      const household = await models.Household.findOneAndUpdate(
        { _id: request.householdId, communityId: request.communityId, 'members.userId': { $ne: request.userId } },
        { $push: { members: { userId: request.userId, relation: request.relation, joinedAt: now } } },
        { session, projection: { members: 1 } },
      ).lean();
      await models.RoleGrant.updateOne(
        { userId: request.userId, role: 'resident', nodeId: request.unitId, gridId: null },
        { $setOnInsert: { communityId: request.communityId, grantedBy: actor.userId } },
        { upsert: true, session },
      );
      // The applicant's grants and GET /me change, and so does every member's (the household lists its members).
      await deps.actors.changed([request.userId, ...(household?.members.map((m) => m.userId) ?? [])], session);
      await deps.audit.record(decisionEvent(actor, request, 'approved'), session);
    });
    const view = (await views([{ ...request, status: 'approved', decidedAt: now }], actor))[0]!;
    await tellApplicant(request, view, '已通过');
    return view;
  }

  function decisionEvent(actor: Actor, request: JoinRequest, to: 'approved' | 'rejected', note?: string) {
    return {
      communityId: request.communityId,
      itemKind: 'join-request',
      itemId: request._id,
      nodeId: request.unitId,
      action: to === 'approved' ? 'approve' : 'reject',
      from: 'pending',
      to,
      actorId: actor.userId,
      note: note ?? null,
    };
  }

  async function tellApplicant(request: JoinRequest, view: JoinRequestView, status: string): Promise<void> {
    await deps.notifier.notify({
      userIds: [request.userId],
      kind: 'join.decided',
      title: `入户申请${status}`,
      body: `您申请加入${placeName(view.unit)}${view.room}室${status}${view.reason ? `：${view.reason}` : ''}`,
      link: 'pages/me/index',
      data: {
        place: `${placeName(view.unit)}${view.room}`,
        status,
        time: deps.now().toISOString().slice(0, 16).replace('T', ' '),
      },
    });
  }

  async function reject(actor: Actor, id: string, reason: string): Promise<JoinRequestView> {
    const request = await reviewable(actor, id);
    const updated = await models.JoinRequest.findOneAndUpdate(
      { _id: request._id, communityId: request.communityId, status: 'pending' },
      { $set: { status: 'rejected', reason, decidedBy: actor.userId, decidedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean<JoinRequest>();
    if (!updated) throw decided();
    await deps.actors.changed([updated.userId]);
    await deps.audit.record(decisionEvent(actor, updated, 'rejected', reason));
    const view = (await views([updated], actor))[0]!;
    await tellApplicant(updated, view, '未通过');
    return view;
  }

  async function cancel(actor: Actor, id: string): Promise<JoinRequestView> {
    const updated = await models.JoinRequest.findOneAndUpdate(
      { _id: id, userId: actor.userId, status: 'pending' },
      { $set: { status: 'cancelled', decidedAt: new Date() } },
      { returnDocument: 'after' },
    )
      .setOptions(CROSS_COMMUNITY)
      .lean<JoinRequest>();
    if (!updated) throw new NotFoundError('No pending request of yours with that id');
    await deps.actors.changed([actor.userId]);
    return (await views([updated], actor))[0]!;
  }

  return {
    createInvite,
    listInvites,
    revokeInvite,
    inviteQrCode,
    previewInvite,
    requestToJoin,
    list,
    approve,
    reject,
    cancel,
  };
}
