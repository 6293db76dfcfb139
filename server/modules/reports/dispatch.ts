import type { Types } from 'mongoose';
import { type ClientSession } from 'mongoose';
import { reportStateLabel, type ReportState, type ResponseLevel } from '../../../shared/reports';
import type { Role } from '../../../shared/roles';
import type { Report } from './model';
import type { ReportDeps } from './context';

export const DEADLINE_JOB = 'report.deadline';
export const AUTO_CLOSE_JOB = 'report.autoclose';

/** Who is told about a report and when its deadlines fire. */
export function createDispatch(deps: ReportDeps) {
  const { models } = deps;

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

  return { dispatchersOf, place, tell, scheduleDeadline };
}
export type Dispatch = ReturnType<typeof createDispatch>;
