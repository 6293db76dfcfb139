import { Types } from 'mongoose';
import { type ReportActor, type ResponseLevel } from '../../../shared/reports';
import { inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import type { Report } from './model';
import type { ReportDeps } from './context';

const LEVEL_RANK: Record<ResponseLevel, number> = { grid: 1, community: 2, street: 3 };

/** Who the actor is on a report (reporter, dispatcher, handler) and whether they may see it. */
export function createVisibility(deps: ReportDeps) {
  const { models } = deps;

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

  return { rankOver, rolesOn, estatesOf, handles, canSee, load };
}
export type Visibility = ReturnType<typeof createVisibility>;
