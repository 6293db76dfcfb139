import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import {
  deadlineInForce,
  AUTO_CLOSE_AFTER_MS,
  nextState,
  reportActionLabel,
  reportStateLabel,
  resolveDeadline,
  type ReportAction,
  type ReportActor,
  type ReportCategory,
  type ReportState,
} from '../../../shared/reports';
import type { AssigneeCandidate, ReportView } from '../../../shared/schemas/reports';
import { AppError, ConflictError, ForbiddenError } from '../../errors';
import type { Actor } from '../roles/access';
import type { Report } from './model';
import type { ReportDeps } from './context';
import { AUTO_CLOSE_JOB, type Dispatch } from './dispatch';
import type { Lists } from './lists';
import type { Visibility } from './visibility';

export interface MoveInput {
  note?: string;
  mediaIds?: string[];
  rejectKind?: 'invalid' | 'duplicate';
  duplicateOf?: string;
  assignee?: { kind: 'person'; userId: string } | { kind: 'property' };
  score?: number;
  comment?: string;
}

/**
 * What a move tells the reporter and the followers, in the words of what happened: only the reporter is asked
 * to confirm a fix, and a report sent back says so (its state alone would read 已受理 again).
 */
function updateTitle(action: ReportAction, to: ReportState, toReporter: boolean): string {
  if (action === 'reopen') return '随手拍已重新处理';
  if (action === 'resolve') return toReporter ? '随手拍已办结，请确认是否解决' : '随手拍已办结';
  return `随手拍${reportStateLabel[to]}`;
}

/** The moves of the state machine, following, and who a report may be assigned to. */
export function createMoves(
  deps: ReportDeps,
  visibility: Visibility,
  { views }: Pick<Lists, 'views'>,
  dispatch: Dispatch,
) {
  const { models, categories } = deps;
  const { rolesOn, load } = visibility;
  const { place, tell, scheduleDeadline } = dispatch;

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
    // A move that replaces the deadline the report waits on (answer, resolve, reopen) ends its being overdue.
    if ('acceptBy' in set || 'resolveBy' in set) set.overdueSince = null;
    // The deadline in force after the move, kept as one field so handling lists sort on an index.
    const after = (field: 'acceptBy' | 'resolveBy' | 'overdueSince') =>
      field in set ? (set[field] as Date | null) : report[field];
    set.dueAt =
      deadlineInForce({
        overdueSince: after('overdueSince'),
        acceptBy: after('acceptBy'),
        resolveBy: after('resolveBy'),
      })?.at ?? null;
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
    const body = `${reportActionLabel[action]}：${place(updated)}${input.note ? `（${input.note}）` : ''}`;
    const notActor = (id: Types.ObjectId) => !actor || !id.equals(actor.userId);
    await tell([updated.reporterId].filter(notActor), updated, updateTitle(action, to, true), body);
    await tell(updated.followers.filter(notActor), updated, updateTitle(action, to, false), body);
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

  return { move, act, follow, candidates };
}
