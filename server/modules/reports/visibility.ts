import { Types } from 'mongoose';
import { type ReportActor, type ResponseLevel } from '../../../shared/reports';
import { inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import { memoOf } from '../roles/actor-cache';
import type { Report } from './model';
import type { ReportDeps } from './context';

const LEVEL_RANK: Record<ResponseLevel, number> = { grid: 1, community: 2, street: 3 };

const RANK_OF_ROLE: Partial<Record<string, number>> = {
  grid_worker: 1,
  community_staff: 2,
  street_staff: 3,
  admin: 3,
};
/** The highest rank the actor holds at each place (kept per cached actor: a list page asks for each report). */
const ranksOf = (actor: Actor) =>
  memoOf(actor, 'report-ranks', () => {
    const ranks = new Map<string, number>();
    for (const { nodeId, role } of actor.effective) {
      const rank = RANK_OF_ROLE[role] ?? 0;
      if (rank > (ranks.get(nodeId) ?? 0)) ranks.set(nodeId, rank);
    }
    return ranks;
  });

/** Who the actor is on a report (reporter, dispatcher, handler) and whether they may see it. */
export function createVisibility(deps: ReportDeps) {
  const { models } = deps;

  /** The actor's rank in graded response: grid worker, community staff, street staff/admin — 0 if none here. */
  function rankOver(actor: Actor, report: Pick<Report, 'ancestors'>): number {
    const ranks = ranksOf(actor);
    let rank = 0;
    for (const ancestor of report.ancestors) rank = Math.max(rank, ranks.get(ancestor.toHexString()) ?? 0);
    return rank;
  }

  /** Who the actor is relative to the report: reporter, dispatcher (at or above its level), handler. */
  function rolesOn(actor: Actor, report: Report, rank = rankOver(actor, report)): ReportActor[] {
    const roles: ReportActor[] = [];
    if (report.reporterId.equals(actor.userId)) roles.push('reporter');
    if (rank >= LEVEL_RANK[report.level as ResponseLevel]) roles.push('dispatcher');
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

  /**
   * Estates the actor lives in or looks after as a captain (their public reports are visible to them). Kept per
   * cached actor: they follow from its grants, and places do not move.
   */
  function estatesOf(actor: Actor): Promise<Types.ObjectId[]> {
    return memoOf(actor, 'report-estates', () => findEstates(actor));
  }

  async function findEstates(actor: Actor): Promise<Types.ObjectId[]> {
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

  /**
   * The actor's roles on the report, and whether they handle it (dispatch it, work on it, or rank over it): those
   * who do see photos before WeChat's check.
   */
  function standing(actor: Actor, report: Report): { roles: ReportActor[]; handles: boolean } {
    const rank = rankOver(actor, report);
    const roles = rolesOn(actor, report, rank);
    return { roles, handles: rank > 0 || roles.some((role) => role !== 'reporter') };
  }

  function handles(actor: Actor, report: Report): boolean {
    return standing(actor, report).handles;
  }

  /** May the actor see this report at all? */
  async function canSee(actor: Actor, report: Report): Promise<boolean> {
    const { roles, handles } = standing(actor, report);
    if (roles.length > 0 || handles) return true;
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

  return { rankOver, rolesOn, standing, estatesOf, handles, canSee, load };
}
export type Visibility = ReturnType<typeof createVisibility>;
