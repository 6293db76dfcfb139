import { AUTO_CLOSE_AFTER_MS, escalated, type ReportState, type ResponseLevel } from '../../../shared/reports';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import type { Report } from './model';
import type { ReportDeps } from './context';
import type { Dispatch } from './dispatch';

/** Deadline jobs (overdue → escalate one level) and the auto-close of resolved reports. */
export function createDeadlines(
  deps: ReportDeps,
  dispatch: Dispatch,
  move: (actor: null, report: Report, action: 'auto_close') => Promise<Report>,
) {
  const { models, categories } = deps;
  const { dispatchersOf, place, tell, scheduleDeadline } = dispatch;

  /**
   * A deadline job: if the report still waits on that very deadline, it is overdue — recorded in the ledger,
   * marked overdue (`overdueSince`, first on its new level's handling list), escalated one level with a fresh
   * deadline for that level, and the new level told. At street level the ledger still records it; there is no
   * level above.
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
    // Overdue from the first deadline it missed, through later escalations, until handled.
    const overdueSince = report.overdueSince ?? deadline;
    const updated = await deps.connection.transaction(async (session) => {
      const result = await models.Report.findOneAndUpdate(
        { _id: report._id, communityId: report.communityId, version: report.version, [field]: deadline },
        {
          $set: { level: toLevel, overdueSince, dueAt: overdueSince, ...(next ? { [field]: next } : {}) },
          $inc: { version: 1 },
        },
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

  return { onDeadline, onAutoClose };
}
