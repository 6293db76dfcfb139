import type { ReporterContact } from '../../../shared/schemas/reports';
import { ForbiddenError } from '../../errors';
import type { Actor } from '../roles/access';
import type { ReportDeps } from './context';
import type { Visibility } from './visibility';

/**
 * The reporter's name and phone, for those who handle the report (its grid worker, staff, the assigned handler)
 * to call and check: never part of a report's view, given only on this ask, and each ask is in the timeline.
 */
export function createReporterContact(deps: ReportDeps, visibility: Visibility) {
  async function reveal(actor: Actor, reportId: string): Promise<ReporterContact> {
    const report = await visibility.load(actor, reportId);
    if (report.reporterId.equals(actor.userId) || !visibility.handles(actor, report)) {
      throw new ForbiddenError("Only those who handle a report may see its reporter's contact");
    }
    const reporter = await deps.models.User.findById(report.reporterId, { displayName: 1, phone: 1 }).lean();
    await deps.audit.record({
      communityId: report.communityId,
      itemKind: 'report',
      itemId: report._id,
      nodeId: report.nodeId,
      action: 'reporter-contact',
      to: report.state,
      actorId: actor.userId,
      actorRole: visibility.rolesOn(actor, report).find((role) => role !== 'reporter') ?? null,
    });
    return { displayName: reporter?.displayName ?? '', phone: reporter?.phone ?? null };
  }
  return { reveal };
}
