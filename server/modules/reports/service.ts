import type { FastifyBaseLogger } from 'fastify';
import { Types, type ClientSession, type Connection } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import {
  acceptDeadline,
  allowedActions,
  ANONYMOUS_REPORTER,
  distanceMeters,
  AUTO_CLOSE_AFTER_MS,
  escalated,
  nextState,
  reportActionLabel,
  reportStateLabel,
  resolveDeadline,
  type ReportAction,
  type ReportActor,
  type ReportCategory,
  type ReportState,
  type ResponseLevel,
} from '../../../shared/reports';
import type { Role } from '../../../shared/roles';
import type { AssigneeCandidate, ReportPage, ReportView, SubmitReportBody } from '../../../shared/schemas/reports';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { itemIdFor } from '../../data/idempotency';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { JobRunner } from '../jobs/runner';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import type { Notifier } from '../notifications/service';
import { communityOf, type PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import type { Categories } from './categories';
import { recordConsent } from '../privacy/consents';
import type { Report } from './model';

export const DEADLINE_JOB = 'report.deadline';
export const AUTO_CLOSE_JOB = 'report.autoclose';

const LEVEL_RANK: Record<ResponseLevel, number> = { grid: 1, community: 2, street: 3 };
const LIST_SORT = ['createdAt', '_id'] as const;
/** Handling lists show the most urgent first: the deadline in force, soonest first. */
const DUE_SORT = ['dueAt', '_id'] as const;

/** How a report reaches us: the places it may be filed on, and what the filing records in the timeline. */
interface FilingChannel {
  source: 'app' | 'open311';
  kinds: readonly string[];
  note: string | null;
}
const RESIDENT_CHANNEL: FilingChannel = {
  source: 'app',
  kinds: ['unit', 'building', 'estate'],
  note: null,
};

export interface MoveInput {
  note?: string;
  mediaIds?: string[];
  rejectKind?: 'invalid' | 'duplicate';
  duplicateOf?: string;
  assignee?: { kind: 'person'; userId: string } | { kind: 'property' };
  score?: number;
  comment?: string;
}

/** Snap-and-report: filing, visibility, the moves of the state machine, deadlines and graded response. */
export function createReportService(deps: {
  connection: Connection;
  models: Pick<Models, 'Report' | 'ReportOverdue' | 'Node' | 'Grid' | 'Household' | 'RoleGrant' | 'User'>;
  access: Access;
  nodeRefs: NodeRefs;
  categories: Categories;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'views' | 'attach' | 'attachFor'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
  log: FastifyBaseLogger;
}) {
  const { models, access, categories } = deps;

  /** The actor's rank in graded response: grid worker, community staff, street staff/admin — 0 if none here. */
  function rankOver(actor: Actor, report: Pick<Report, 'ancestors'>): number {
    const path = new Set(report.ancestors.map(String));
    let rank = 0;
    for (const grant of actor.effective) {
      if (!path.has(grant.nodeId)) continue;
      if (grant.role === 'grid_worker') rank = Math.max(rank, 1);
      if (grant.role === 'community_staff') rank = Math.max(rank, 2);
      if (grant.role === 'street_staff' || grant.role === 'admin') rank = Math.max(rank, 3);
    }
    return rank;
  }

  /** Who the actor is relative to the report: reporter, dispatcher (at or above its level), handler. */
  function rolesOn(actor: Actor, report: Report): ReportActor[] {
    const roles: ReportActor[] = [];
    if (report.reporterId.equals(actor.userId)) roles.push('reporter');
    if (rankOver(actor, report) >= LEVEL_RANK[report.level as ResponseLevel]) roles.push('dispatcher');
    const assignee = report.assignee;
    if (assignee?.kind === 'person' && assignee.userId?.equals(actor.userId)) roles.push('handler');
    if (
      assignee?.kind === 'property' &&
      actor.effective.some((g) => g.role === 'property_handler' && report.ancestors.some((a) => a.equals(g.nodeId)))
    ) {
      roles.push('handler');
    }
    return roles;
  }

  /** Estates the actor lives in or looks after as a captain (their public reports are visible to them). */
  async function estatesOf(actor: Actor): Promise<Types.ObjectId[]> {
    const nodes = await models.Node.find(
      { _id: { $in: actor.effective.map((g) => new Types.ObjectId(g.nodeId)) }, ...inScope(actor.scope) },
      { kind: 1, ancestors: 1 },
    ).lean<PlaceNode[]>();
    const candidates = nodes.flatMap((n) => [n._id, ...n.ancestors]);
    const estates = await models.Node.find(
      { _id: { $in: candidates }, kind: 'estate', ...inScope(actor.scope) },
      { _id: 1 },
    ).lean();
    return estates.map((e) => e._id);
  }

  /** Does the actor handle the report (dispatch it, work on it, or rank over it)? They see photos before WeChat's check. */
  function handles(actor: Actor, report: Report): boolean {
    return rolesOn(actor, report).some((role) => role !== 'reporter') || rankOver(actor, report) > 0;
  }

  /** May the actor see this report at all? */
  async function canSee(actor: Actor, report: Report): Promise<boolean> {
    if (rolesOn(actor, report).length > 0 || rankOver(actor, report) > 0) return true;
    // What moderation hid is hidden from followers too; a report they followed while shared stays theirs.
    if (report.moderation.state !== 'visible') return false;
    if (report.followers.some((f) => f.equals(actor.userId))) return true;
    if (report.private || !report.estateId) return false;
    return (await estatesOf(actor)).some((e) => e.equals(report.estateId!));
  }

  async function load(actor: Actor, id: string): Promise<Report> {
    const report = Types.ObjectId.isValid(id)
      ? await models.Report.findOne({ _id: id, ...inScope(actor.scope) }).lean<Report>()
      : null;
    if (!report || !(await canSee(actor, report))) throw new NotFoundError('No such report');
    return report;
  }

  async function views(actor: Actor, reports: Report[]): Promise<ReportView[]> {
    if (reports.length === 0) return [];
    const communityIds = [...new Set(reports.map((r) => String(r.communityId)))].map((id) => new Types.ObjectId(id));
    const [nodes, users, categoryLists] = await Promise.all([
      models.Node.find({ _id: { $in: reports.map((r) => r.nodeId) }, communityId: { $in: communityIds } }).lean<
        PlaceNode[]
      >(),
      models.User.find(
        { _id: { $in: reports.flatMap((r) => [r.reporterId, ...(r.assignee?.userId ? [r.assignee.userId] : [])]) } },
        { displayName: 1 },
      ).lean(),
      Promise.all(communityIds.map(async (id) => [String(id), await categories.list(id)] as const)),
    ]);
    const refs = await deps.nodeRefs(nodes);
    const nameOf = (id: Types.ObjectId) => users.find((u) => u._id.equals(id))?.displayName ?? '';
    const categoryOf = (r: Report) =>
      new Map(categoryLists).get(String(r.communityId))?.find((c) => c.code === r.category);
    const now = deps.now();
    return Promise.all(
      reports.map(async (r) => {
        const isMe = r.reporterId.equals(actor.userId);
        // Those who dispatch or handle a report see its photos before WeChat's check, as staff do.
        const handling = handles(actor, r) ? { standing: 'handling' as const } : {};
        const category = categoryOf(r);
        const due = r.dueAt;
        return {
          id: String(r._id),
          category: { code: r.category, name: category?.name ?? r.category, icon: category?.icon ?? 'help' },
          description: r.description,
          state: r.state as ReportState,
          level: r.level as ResponseLevel,
          priority: r.priority as ReportView['priority'],
          private: r.private,
          place: refs.get(String(r.nodeId))!,
          location: r.location ? { longitude: r.location.coordinates[0]!, latitude: r.location.coordinates[1]! } : null,
          reporter: {
            displayName: isMe ? nameOf(r.reporterId) : r.showName ? maskName(nameOf(r.reporterId)) : ANONYMOUS_REPORTER,
            isMe,
          },
          media: await deps.media.views(actor, r.mediaIds, handling),
          assignee: r.assignee
            ? {
                kind: r.assignee.kind as 'person' | 'property',
                displayName: r.assignee.kind === 'property' ? '物业' : maskName(nameOf(r.assignee.userId!)),
              }
            : null,
          acceptBy: r.acceptBy?.toISOString() ?? null,
          resolveBy: r.resolveBy?.toISOString() ?? null,
          overdue: !!due && due < now,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
          resolvedAt: r.resolvedAt?.toISOString() ?? null,
          closedAt: r.closedAt?.toISOString() ?? null,
          autoClosed: r.autoClosed,
          rejection: r.rejection
            ? {
                kind: r.rejection.kind ?? 'invalid',
                note: r.rejection.note ?? '',
                duplicateOf: r.rejection.duplicateOf ? String(r.rejection.duplicateOf) : null,
              }
            : null,
          resolution: r.resolution
            ? {
                note: r.resolution.note ?? '',
                media: await deps.media.views(actor, r.resolution.mediaIds ?? [], handling),
              }
            : null,
          rating: r.rating ? { score: r.rating.score ?? 0, comment: r.rating.comment ?? '' } : null,
          reopenCount: r.reopenCount,
          followerCount: r.followers.length,
          following: r.followers.some((f) => f.equals(actor.userId)),
          moderation: r.moderation.state as ReportView['moderation'],
          actions: allowedActions(r.state as ReportState, rolesOn(actor, r)),
        };
      }),
    );
  }

  /** The place a report is filed on: the given unit/building/estate, or the reporter's own unit. */
  async function placeFor(
    actor: Actor,
    nodeId: string | undefined,
    kinds = RESIDENT_CHANNEL.kinds,
  ): Promise<PlaceNode> {
    if (nodeId) {
      const node = await access.findNode(actor, nodeId);
      if (!kinds.includes(node.kind))
        throw new AppError(400, ErrorCode.BAD_REQUEST, 'Report on a unit, building or estate');
      return node;
    }
    const household = await models.Household.findOne(
      { 'members.userId': actor.userId, ...inScope(actor.scope) },
      { unitId: 1, communityId: 1 },
    ).lean();
    if (!household)
      throw new AppError(400, ErrorCode.NO_HOUSEHOLD, 'Join your household first, or choose the place of the problem');
    return access.findNode(actor, household.unitId);
  }

  /** People to tell when a report needs dispatching at a level. */
  async function dispatchersOf(
    report: Pick<Report, 'ancestors' | 'gridId' | 'communityId'>,
    level: ResponseLevel,
  ): Promise<Types.ObjectId[]> {
    const roles: Role[] = level === 'street' ? ['street_staff', 'admin'] : ['community_staff'];
    const [byNode, byGrid] = await Promise.all([
      models.RoleGrant.find({ nodeId: { $in: report.ancestors }, role: { $in: roles } }, { userId: 1 }).lean(),
      level === 'grid' && report.gridId
        ? models.RoleGrant.find({ gridId: report.gridId, role: 'grid_worker' }, { userId: 1 }).lean()
        : [],
    ]);
    const gridWorkers = byGrid.map((g) => g.userId);
    return gridWorkers.length > 0 ? gridWorkers : byNode.map((g) => g.userId);
  }

  const place = (r: Pick<Report, 'description'>) => [...r.description].slice(0, 16).join('');

  async function tell(userIds: Types.ObjectId[], report: Report, title: string, body: string): Promise<void> {
    await deps.notifier.notify({
      userIds,
      kind: 'report.updated',
      title,
      body,
      link: `packages/report/detail/index?id=${report._id}`,
      data: {
        title: place(report),
        status: reportStateLabel[report.state as ReportState].slice(0, 5),
        time: deps.now().toISOString().slice(0, 16).replace('T', ' '),
      },
    });
  }

  async function scheduleDeadline(
    report: Pick<Report, '_id'>,
    kind: 'accept' | 'resolve',
    deadline: Date,
    session?: ClientSession,
  ) {
    await deps.jobs.schedule(
      DEADLINE_JOB,
      `report:${report._id}:${kind}`,
      deadline,
      { reportId: String(report._id), kind, deadline: deadline.toISOString() },
      { session },
    );
  }

  async function submit(actor: Actor, body: SubmitReportBody): Promise<{ created: boolean; report: ReportView }> {
    return file(actor, body, RESIDENT_CHANNEL);
  }

  /**
   * Files a report an external system (an Open311 client such as a city hotline) sends on a caller's behalf,
   * as that client's system user: no photos, the same text check, deadlines and dispatch as a resident's.
   * Without a finer place the client may name the community itself. A `media_url` the client sent is kept as
   * the note of the filing in the timeline; it is never downloaded.
   */
  async function submitExternal(
    client: Actor,
    body: Pick<SubmitReportBody, 'category' | 'description' | 'location' | 'idempotencyKey'> & {
      nodeId: string;
      mediaUrl?: string;
    },
  ): Promise<{ created: boolean; report: ReportView }> {
    const { mediaUrl, ...report } = body;
    return file(
      client,
      { ...report, mediaIds: [] },
      {
        source: 'open311',
        kinds: [...RESIDENT_CHANNEL.kinds, 'community'],
        note: mediaUrl ? `media_url: ${mediaUrl}` : null,
      },
    );
  }

  /** Files a report (or finds the one this idempotency key already filed) as it reaches us through `channel`. */
  async function file(
    actor: Actor,
    body: SubmitReportBody,
    channel: FilingChannel,
  ): Promise<{ created: boolean; report: ReportView }> {
    const existing = await models.Report.findOne({
      reporterId: actor.userId,
      idempotencyKey: body.idempotencyKey,
      ...inScope(actor.scope),
    }).lean<Report>();
    if (existing) return { created: false, report: (await views(actor, [existing]))[0]! };
    const node = await placeFor(actor, body.nodeId, channel.kinds);
    const communityId = communityOf(node);
    const category = await categories.get(communityId, body.category);
    const screening = await deps.moderation.screenText(actor, 3, { description: body.description }, communityId);
    const ancestors = ancestryOf(node).map((id) => new Types.ObjectId(id));
    const along = await models.Node.find(
      { _id: { $in: ancestors }, communityId, kind: { $in: ['estate', 'building'] } },
      { kind: 1 },
    ).lean<PlaceNode[]>();
    const building = along.find((n) => n.kind === 'building');
    const grid = building
      ? await models.Grid.findOne({ communityId, buildingIds: building._id }, { _id: 1 }).lean()
      : null;
    const now = deps.now();
    const _id = itemIdFor(actor.userId, body.idempotencyKey);
    const acceptBy = acceptDeadline(category, now);
    const photosOf = { kind: 'report', itemId: _id, communityId };
    let report: Report;
    try {
      report = await deps.media.attachFor(actor, body.mediaIds, photosOf, (mediaIds) =>
        deps.connection.transaction(async (session) => {
          const [created] = await models.Report.create(
            [
              {
                _id,
                communityId,
                nodeId: node._id,
                ancestors,
                estateId: along.find((n) => n.kind === 'estate')?._id ?? null,
                gridId: grid?._id ?? null,
                reporterId: actor.userId,
                source: channel.source,
                showName: body.showName ?? false,
                idempotencyKey: body.idempotencyKey,
                category: category.code,
                priority: category.priority,
                private: body.private ?? category.privateByDefault,
                description: body.description.trim(),
                mediaIds,
                location: body.location
                  ? { type: 'Point', coordinates: [body.location.longitude, body.location.latitude] }
                  : undefined,
                level: grid ? 'grid' : 'community',
                acceptBy,
                dueAt: acceptBy,
                firstAcceptBy: acceptBy,
                moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
                createdAt: now,
              },
            ],
            { session },
          );
          await deps.audit.record(
            {
              communityId,
              itemKind: 'report',
              itemId: _id,
              nodeId: node._id,
              action: 'submit',
              to: 'submitted',
              actorId: actor.userId,
              // The timeline names each step by the actor's part in the report (see shared/reports.ts).
              actorRole: 'reporter',
              note: channel.note,
            },
            session,
          );
          if (body.showName)
            await recordConsent(
              deps.connection,
              { userId: actor.userId, communityId, kind: 'report_name', itemId: _id, granted: true, at: now },
              session,
            );
          await scheduleDeadline(created!, 'accept', acceptBy, session);
          return created!.toObject<Report>();
        }),
      );
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // The same report sent twice at once (a retry racing the first try): answer with the one stored.
      const winner = await models.Report.findOne({ _id, communityId }).lean<Report>();
      return { created: false, report: (await views(actor, [winner!]))[0]! };
    }
    await deps.moderation.afterCreate('report', report, screening);
    await tell(
      await dispatchersOf(report, report.level as ResponseLevel),
      report,
      '新的随手拍待受理',
      `${category.name}：${place(report)}`,
    );
    return { created: true, report: (await views(actor, [report]))[0]! };
  }

  /** The changes a move makes, computed from the report as it was seen (the update is conditional on that). */
  async function changesFor(
    actor: Actor | null,
    report: Report,
    action: ReportAction,
    input: MoveInput,
    category: ReportCategory,
  ) {
    const now = deps.now();
    const set: Record<string, unknown> = {};
    const jobs: { schedule?: ['accept' | 'resolve', Date]; autoCloseAt?: Date; cancel: string[] } = { cancel: [] };
    const responded = () => {
      if (!report.respondedAt) Object.assign(set, { respondedAt: now, respondedOnTime: now <= report.firstAcceptBy });
    };
    switch (action) {
      case 'accept': {
        responded();
        const resolveBy = resolveDeadline(category, now);
        Object.assign(set, {
          acceptedAt: now,
          acceptBy: null,
          resolveBy,
          firstResolveBy: report.firstResolveBy ?? resolveBy,
        });
        jobs.cancel.push('accept');
        jobs.schedule = ['resolve', resolveBy];
        break;
      }
      case 'reject': {
        responded();
        let duplicateOf: Types.ObjectId | null = null;
        if (input.rejectKind === 'duplicate') {
          const original = input.duplicateOf
            ? await models.Report.findOne(
                { _id: input.duplicateOf, communityId: report.communityId },
                { _id: 1 },
              ).lean()
            : null;
          if (!original || original._id.equals(report._id))
            throw new AppError(400, ErrorCode.VALIDATION_FAILED, 'Name the report this duplicates');
          duplicateOf = original._id;
        }
        Object.assign(set, { acceptBy: null, rejection: { kind: input.rejectKind, note: input.note, duplicateOf } });
        jobs.cancel.push('accept');
        break;
      }
      case 'assign': {
        const assignee = input.assignee!;
        if (assignee.kind === 'person') {
          const candidates = await assigneesFor(report);
          if (!candidates.some((c) => c.userId === assignee.userId))
            throw new AppError(400, ErrorCode.VALIDATION_FAILED, 'That person cannot handle reports here');
          set.assignee = { kind: 'person', userId: new Types.ObjectId(assignee.userId) };
        } else {
          if (!report.estateId)
            throw new AppError(400, ErrorCode.VALIDATION_FAILED, 'Only estate reports go to the property company');
          set.assignee = { kind: 'property', userId: null };
        }
        break;
      }
      case 'start':
        break;
      case 'resolve': {
        const mediaIds = await deps.media.attach(actor!, input.mediaIds ?? [], {
          kind: 'report',
          itemId: report._id,
          communityId: report.communityId,
        });
        Object.assign(set, {
          resolvedAt: now,
          resolveBy: null,
          resolution: { note: input.note, mediaIds },
          ...(report.firstResolvedAt
            ? {}
            : { firstResolvedAt: now, resolvedOnTime: now <= (report.firstResolveBy ?? now) }),
        });
        jobs.cancel.push('resolve');
        jobs.autoCloseAt = new Date(now.getTime() + AUTO_CLOSE_AFTER_MS);
        break;
      }
      case 'confirm':
        Object.assign(set, { closedAt: now, rating: { score: input.score, comment: input.comment ?? '' } });
        jobs.cancel.push('autoclose');
        break;
      case 'reopen': {
        const resolveBy = resolveDeadline(category, now);
        Object.assign(set, { resolvedAt: null, resolution: null, resolveBy, reopenCount: report.reopenCount + 1 });
        jobs.cancel.push('autoclose');
        jobs.schedule = ['resolve', resolveBy];
        break;
      }
      case 'auto_close':
        Object.assign(set, { closedAt: now, autoClosed: true });
        break;
    }
    return { set, jobs };
  }

  /**
   * Makes a move: checks it against the state machine for the actor's roles on this report, then applies it
   * with one update conditional on the state and version seen, together with its audit event. Of two
   * concurrent moves, one wins and the other is told the report changed.
   */
  async function move(
    actor: Actor | null,
    report: Report,
    action: ReportAction,
    input: MoveInput = {},
  ): Promise<Report> {
    const roles: ReportActor[] = actor ? rolesOn(actor, report) : ['system'];
    const from = report.state as ReportState;
    const to = nextState(from, action, roles);
    if (!to) {
      const anyone = nextState(from, action, ['reporter', 'dispatcher', 'handler', 'system']);
      if (anyone) throw new ForbiddenError(`Your role on this report does not allow ${action}`);
      throw new ConflictError(`A report that is ${from} cannot be ${action}ed`, ErrorCode.INVALID_TRANSITION);
    }
    const category = await categories.get(report.communityId, report.category);
    const { set, jobs } = await changesFor(actor, report, action, input, category);
    // The deadline in force after the move, kept as one field so handling lists sort on an index.
    const after = (field: 'acceptBy' | 'resolveBy') => (field in set ? (set[field] as Date | null) : report[field]);
    set.dueAt = after('acceptBy') ?? after('resolveBy') ?? null;
    const updated = await deps.connection.transaction(async (session) => {
      const result = await models.Report.findOneAndUpdate(
        { _id: report._id, communityId: report.communityId, state: from, version: report.version },
        { $set: { ...set, state: to }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<Report>();
      if (!result) throw new ConflictError('The report changed meanwhile; reload it', ErrorCode.STALE_REPORT);
      await deps.audit.record(
        {
          communityId: report.communityId,
          itemKind: 'report',
          itemId: report._id,
          nodeId: report.nodeId,
          action,
          from,
          to,
          actorId: actor?.userId ?? null,
          actorRole: roles.find((r) => r !== 'reporter') ?? roles[0] ?? null,
          note: input.note ?? input.comment ?? null,
          attachments: (set.resolution as { mediaIds?: Types.ObjectId[] } | undefined)?.mediaIds ?? [],
        },
        session,
      );
      for (const kind of jobs.cancel) {
        await deps.jobs.cancel(
          kind === 'autoclose' ? `report:${report._id}:autoclose` : `report:${report._id}:${kind}`,
          session,
        );
      }
      if (jobs.schedule) await scheduleDeadline(report, jobs.schedule[0], jobs.schedule[1], session);
      if (jobs.autoCloseAt) {
        await deps.jobs.schedule(
          AUTO_CLOSE_JOB,
          `report:${report._id}:autoclose`,
          jobs.autoCloseAt,
          { reportId: String(report._id) },
          { session },
        );
      }
      return result;
    });
    const others = [updated.reporterId, ...updated.followers].filter((id) => !actor || !id.equals(actor.userId));
    await tell(
      others,
      updated,
      `随手拍${reportStateLabel[to]}`,
      `${reportActionLabel[action]}：${place(updated)}${input.note ? `（${input.note}）` : ''}`,
    );
    if (action === 'assign' && updated.assignee?.userId) {
      await tell([updated.assignee.userId], updated, '您有新的派单', place(updated));
    }
    return updated;
  }

  /** Who a report may be assigned to: grid workers of its grid, property (estate reports), community staff. */
  async function assigneesFor(report: Report): Promise<AssigneeCandidate[]> {
    const grants = await models.RoleGrant.find({
      $or: [
        { nodeId: { $in: report.ancestors }, role: { $in: ['community_staff', 'property_handler'] } },
        ...(report.gridId ? [{ gridId: report.gridId }] : []),
      ],
    }).lean();
    const people = grants.filter((g) => g.role !== 'property_handler');
    const users = await models.User.find({ _id: { $in: people.map((g) => g.userId) } }, { displayName: 1 }).lean();
    const seen = new Set<string>();
    const candidates: AssigneeCandidate[] = [];
    for (const grant of people) {
      if (seen.has(String(grant.userId))) continue;
      seen.add(String(grant.userId));
      candidates.push({
        kind: 'person',
        userId: String(grant.userId),
        displayName: users.find((u) => u._id.equals(grant.userId))?.displayName ?? '',
        role: grant.role,
      });
    }
    if (report.estateId && grants.some((g) => g.role === 'property_handler')) {
      candidates.push({ kind: 'property', userId: null, displayName: '物业', role: 'property_handler' });
    }
    return candidates;
  }

  async function act(actor: Actor, id: string, action: ReportAction, input: MoveInput): Promise<ReportView> {
    const report = await load(actor, id);
    return (await views(actor, [await move(actor, report, action, input)]))[0]!;
  }

  async function get(actor: Actor, id: string): Promise<ReportView> {
    return (await views(actor, [await load(actor, id)]))[0]!;
  }

  async function follow(actor: Actor, id: string, on: boolean): Promise<ReportView> {
    const report = await load(actor, id);
    const updated = await models.Report.findOneAndUpdate(
      { _id: report._id, communityId: report.communityId },
      on ? { $addToSet: { followers: actor.userId } } : { $pull: { followers: actor.userId } },
      { returnDocument: 'after' },
    ).lean<Report>();
    return (await views(actor, [updated!]))[0]!;
  }

  async function candidates(actor: Actor, id: string): Promise<AssigneeCandidate[]> {
    const report = await load(actor, id);
    if (!rolesOn(actor, report).includes('dispatcher')) throw new ForbiddenError('Only dispatchers assign reports');
    return assigneesFor(report);
  }

  /** Open reports of a category near a point, for the "me too" suggestion before filing. */
  async function nearby(actor: Actor, code: string, point: { longitude: number; latitude: number }) {
    const communityId = actor.scope.communityIds[0];
    if (!communityId) return [];
    const category = await categories.get(communityId, code);
    if (category.duplicateRadiusMeters === 0) return [];
    const found = await models.Report.find({
      communityId: { $in: actor.scope.communityIds },
      category: code,
      state: { $in: ['submitted', 'accepted', 'assigned', 'in_progress'] },
      private: false,
      'moderation.state': 'visible',
      location: {
        $nearSphere: {
          $geometry: { type: 'Point', coordinates: [point.longitude, point.latitude] },
          $maxDistance: category.duplicateRadiusMeters,
        },
      },
    })
      .limit(10)
      .lean<Report[]>();
    const visible: Report[] = [];
    for (const r of found) if (await canSee(actor, r)) visible.push(r);
    const reportViews = await views(actor, visible);
    return reportViews.map((view, i) => ({
      report: view,
      distanceMeters: Math.round(
        distanceMeters(visible[i]!.location!.coordinates as [number, number], [point.longitude, point.latitude]),
      ),
    }));
  }

  /** A page of reports for one of the list views. */
  async function list(
    actor: Actor,
    query: {
      view: 'mine' | 'estate' | 'handling' | 'all';
      state?: string;
      category?: string;
      cursor?: string;
      limit: number;
    },
  ): Promise<ReportPage> {
    const filters: Record<string, unknown>[] = [];
    if (query.state) filters.push({ state: query.state });
    if (query.category) filters.push({ category: query.category });
    if (query.view === 'mine') filters.push({ $or: [{ reporterId: actor.userId }, { followers: actor.userId }] });
    if (query.view === 'estate')
      filters.push({ estateId: { $in: await estatesOf(actor) }, private: false, 'moderation.state': 'visible' });
    if (query.view === 'handling' || query.view === 'all') {
      const covered = actor.effective
        .filter((g) => ['grid_worker', 'community_staff', 'street_staff', 'admin'].includes(g.role))
        .map((g) => new Types.ObjectId(g.nodeId));
      const mine: Record<string, unknown>[] = [{ 'assignee.userId': actor.userId }, { ancestors: { $in: covered } }];
      const estates = actor.effective
        .filter((g) => g.role === 'property_handler')
        .map((g) => new Types.ObjectId(g.nodeId));
      if (estates.length > 0) mine.push({ 'assignee.kind': 'property', ancestors: { $in: estates } });
      filters.push({ $or: mine });
      if (query.view === 'handling' && !query.state)
        filters.push({ state: { $in: ['submitted', 'accepted', 'assigned', 'in_progress'] } });
    }
    // Handling lists show the most urgent first: the deadline in force (dueAt), soonest first.
    const handling = query.view === 'handling';
    const sort = handling ? DUE_SORT : LIST_SORT;
    const values = query.cursor ? decodeCursor(query.cursor, ['date', 'objectId']) : undefined;
    if (values) filters.push(afterCursor(sort, values, handling ? 'asc' : 'desc'));
    // Walk the deadline index in order from the cursor (or the earliest date; reports with no deadline sort
    // before any date and are skipped by the bound), stopping at a page: the other conditions only filter.
    const due = handling ? { dueAt: { $gte: (values?.[0] as Date | undefined) ?? new Date(-8.64e15) } } : {};
    const page = await models.Report.find({ ...inScope(actor.scope), ...due, $and: [{}, ...filters] })
      .sort(handling ? { dueAt: 1, _id: 1 } : { createdAt: -1, _id: -1 })
      .hint(handling ? { communityId: 1, dueAt: 1, _id: 1 } : { communityId: 1, createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<Report[]>();
    const { items, nextCursor } = pageOf(page, query.limit, sort);
    return { items: await views(actor, items), nextCursor };
  }

  /**
   * A deadline job: if the report still waits on that very deadline, it is overdue — recorded in the ledger,
   * escalated one level with a fresh deadline for that level, and the new level told. At street level the
   * ledger still records it; there is no level above.
   */
  async function onDeadline(payload: {
    reportId: string;
    kind: 'accept' | 'resolve';
    deadline: string;
  }): Promise<void> {
    const deadline = new Date(payload.deadline);
    const waiting: ReportState[] = payload.kind === 'accept' ? ['submitted'] : ['accepted', 'assigned', 'in_progress'];
    const field = payload.kind === 'accept' ? 'acceptBy' : 'resolveBy';
    const report = await models.Report.findOne({ _id: payload.reportId, state: { $in: waiting }, [field]: deadline })
      .setOptions(CROSS_COMMUNITY)
      .lean<Report>();
    if (!report) return;
    const category = await categories.get(report.communityId, report.category);
    const fromLevel = report.level as ResponseLevel;
    const toLevel = escalated(fromLevel);
    const now = deps.now();
    const next =
      fromLevel === 'street'
        ? null
        : new Date(
            now.getTime() +
              (payload.kind === 'accept' ? category.acceptWithinMinutes : category.resolveWithinMinutes) * 60_000,
          );
    const updated = await deps.connection.transaction(async (session) => {
      const result = await models.Report.findOneAndUpdate(
        { _id: report._id, communityId: report.communityId, version: report.version, [field]: deadline },
        { $set: { level: toLevel, ...(next ? { [field]: next, dueAt: next } : {}) }, $inc: { version: 1 } },
        { returnDocument: 'after', session },
      ).lean<Report>();
      if (!result) return null;
      await models.ReportOverdue.create(
        [
          {
            communityId: report.communityId,
            reportId: report._id,
            gridId: report.gridId,
            kind: payload.kind,
            deadline,
            detectedAt: now,
            fromLevel,
            toLevel,
          },
        ],
        { session },
      );
      await deps.audit.record(
        {
          communityId: report.communityId,
          itemKind: 'report',
          itemId: report._id,
          nodeId: report.nodeId,
          action: `escalate:${payload.kind}`,
          from: fromLevel,
          to: toLevel,
          note: `超过${payload.kind === 'accept' ? '受理' : '办结'}时限`,
        },
        session,
      );
      if (next) await scheduleDeadline(report, payload.kind, next, session);
      return result;
    });
    if (updated && fromLevel !== 'street') {
      await tell(
        await dispatchersOf(updated, toLevel),
        updated,
        '随手拍超时升级',
        `${category.name}：${place(updated)}已超时，升级至${toLevel === 'community' ? '社区' : '街道'}处理`,
      );
    }
  }

  /** Resolved reports the reporter left unanswered for 7 days close by themselves. */
  async function onAutoClose(payload: { reportId: string }): Promise<void> {
    const report = await models.Report.findOne({ _id: payload.reportId, state: 'resolved' })
      .setOptions(CROSS_COMMUNITY)
      .lean<Report>();
    if (!report || !report.resolvedAt || report.resolvedAt.getTime() + AUTO_CLOSE_AFTER_MS > deps.now().getTime())
      return;
    await move(null, report, 'auto_close');
  }

  return {
    submit,
    submitExternal,
    get,
    load,
    handles,
    act,
    follow,
    candidates,
    nearby,
    list,
    onDeadline,
    onAutoClose,
  };
}
export type ReportService = ReturnType<typeof createReportService>;
