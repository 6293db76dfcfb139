import dayjs from 'dayjs';
import { deadlineInForce, responseLevelLabel, type ResponseLevel } from '../../shared/reports';
import type { Role } from '../../shared/roles';
import type { Me, RoleGrantView } from '../../shared/schemas/people';
import type { TimelineEntry } from '../../shared/schemas/platform';
import type { ReportView } from '../../shared/schemas/reports';
import { roleText } from './format';

const pkg = '/packages/report';

/** The 随手拍 pages (the tab is pages/snap). */
export const reportRoutes = {
  snap: '/pages/snap/index',
  /** `draft`: reopen a report kept in the outbox to change it before it is sent. */
  new: (draft?: string) => `${pkg}/new/index${draft ? `?draft=${encodeURIComponent(draft)}` : ''}`,
  detail: (id: string) => `${pkg}/detail/index?id=${id}`,
  handle: `${pkg}/handle/index`,
  overdue: `${pkg}/overdue/index`,
  figures: `${pkg}/figures/index`,
} as const;

const handlerRoles: readonly Role[] = ['grid_worker', 'property_handler', 'community_staff', 'street_staff', 'admin'];
const staffRoles: readonly Role[] = ['community_staff', 'street_staff', 'admin'];

/** Accepts, dispatches or fixes reports somewhere: sees 待我处理. */
export function handlesReports(me: Me | undefined): boolean {
  return (me?.roles ?? []).some((grant) => handlerRoles.includes(grant.role));
}

/** Sees the overdue ledger and the figures: staff for their communities, grid workers for their grids. */
export function seesFigures(me: Me | undefined): boolean {
  return (me?.roles ?? []).some((grant) => isStaffGrant(grant) || grant.role === 'grid_worker');
}

/** A community staff, street staff or admin role: answers for the communities under its place. */
export function isStaffGrant(grant: Pick<RoleGrantView, 'role'>): boolean {
  return staffRoles.includes(grant.role);
}

export type StateTone = 'waiting' | 'working' | 'review' | 'done' | 'refused';

/** The colour family of a state's tag: waiting for an answer, being worked on, awaiting the reporter, over. */
export const stateTone: Record<ReportView['state'], StateTone> = {
  submitted: 'waiting',
  accepted: 'working',
  assigned: 'working',
  in_progress: 'working',
  resolved: 'review',
  closed: 'done',
  rejected: 'refused',
};

/**
 * The deadline a handler is measured against (accepting while submitted, resolving once accepted; none when it
 * is over): the one it missed while it stays overdue after an escalation, as the service sorts by it.
 */
export function currentDeadline(
  report: Pick<ReportView, 'acceptBy' | 'resolveBy' | 'overdueSince'>,
): { kind: 'accept' | 'resolve'; at: string } | null {
  return deadlineInForce(report);
}

/** '3小时', '2天', '25分钟': how long, in the largest unit that fits. */
export function spanText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m >= 48 * 60) return `${Math.floor(m / (24 * 60))}天`;
  if (m >= 60) return `${Math.floor(m / 60)}小时${m % 60 && m < 10 * 60 ? `${m % 60}分` : ''}`;
  return `${m}分钟`;
}

/** '剩 3小时' or '已超期 2天'. */
export function remainingText(at: string, now = dayjs()): string {
  const minutes = dayjs(at).diff(now, 'minute');
  return minutes < 0 ? `已超期 ${spanText(-minutes)}` : `剩 ${spanText(minutes)}`;
}

/** '受理剩 3小时' or '办结已超期 2天' for a handler's list. */
export function deadlineText(deadline: { kind: 'accept' | 'resolve'; at: string }, now = dayjs()): string {
  return `${deadline.kind === 'accept' ? '受理' : '办结'}${remainingText(deadline.at, now)}`;
}

/** How the reporter reads on a report: themselves as 我. */
export function reporterText(report: Pick<ReportView, 'reporter'>): string {
  return report.reporter.isMe ? '我' : report.reporter.displayName;
}

const stepLabel: Record<string, string> = {
  submit: '提交',
  accept: '受理',
  reject: '不予受理',
  assign: '派单',
  start: '开始处理',
  resolve: '办结',
  confirm: '确认',
  reopen: '重新处理',
  auto_close: '自动办结',
  'reporter-contact': '查看上报人联系方式',
};

/** A report timeline step in words: 提交, 受理, 派单 (改派 when it changes hands), 超时升级至社区… */
export function reportStepLabel(entry: Pick<TimelineEntry, 'action' | 'from' | 'to'>): string {
  if (entry.action.startsWith('escalate:')) {
    return `超时升级至${responseLevelLabel[entry.to as ResponseLevel] ?? entry.to ?? ''}`;
  }
  if (entry.action === 'assign' && entry.from !== 'accepted') return '改派';
  return stepLabel[entry.action] ?? entry.action;
}

const actorText: Record<string, string> = { reporter: '报告人', dispatcher: '受理人', handler: '处理人' };

/** Who took a report's step, in words: its part in the report (受理人, 处理人…) or, for older steps, their role. */
export function reportActorText(role: string): string {
  return actorText[role] ?? roleText(role);
}
