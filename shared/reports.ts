/**
 * Snap-and-report (随手拍): the report state machine, categories with their deadlines, and graded response.
 * Pure and shared: the server enforces it, the mini-program uses it to show only the moves a person may make.
 */

export const ReportState = {
  submitted: 'submitted',
  accepted: 'accepted',
  rejected: 'rejected',
  assigned: 'assigned',
  inProgress: 'in_progress',
  resolved: 'resolved',
  closed: 'closed',
} as const;
export type ReportState = (typeof ReportState)[keyof typeof ReportState];

export const reportStateLabel: Record<ReportState, string> = {
  submitted: '待受理',
  accepted: '已受理',
  rejected: '不予受理',
  assigned: '已派单',
  in_progress: '处理中',
  resolved: '待确认',
  closed: '已办结',
};

/**
 * The deadline a report is measured against: while it waits past a deadline it missed (`overdueSince`), that
 * one — escalation gives the next level a fresh deadline, but the report stays overdue until handled — else the
 * one in force. `kind` says what it waits for. Handling lists sort by it, so overdue reports come first.
 */
export function deadlineInForce<T>(report: {
  overdueSince?: T | null;
  acceptBy: T | null;
  resolveBy: T | null;
}): { kind: 'accept' | 'resolve'; at: T } | null {
  const kind = report.acceptBy ? 'accept' : report.resolveBy ? 'resolve' : null;
  if (!kind) return null;
  return { kind, at: report.overdueSince ?? (kind === 'accept' ? report.acceptBy : report.resolveBy)! };
}

/** Open reports count towards duplicates, figures' open lists and the overdue ledger. */
export const OPEN_STATES: readonly ReportState[] = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved'];
export const isOpen = (state: ReportState) => OPEN_STATES.includes(state);

export type ReportAction = 'accept' | 'reject' | 'assign' | 'start' | 'resolve' | 'confirm' | 'reopen' | 'auto_close';

export const reportActionLabel: Record<ReportAction, string> = {
  accept: '受理',
  reject: '不予受理',
  assign: '派单',
  start: '开始处理',
  resolve: '办结',
  confirm: '确认并评价',
  reopen: '未解决，重新处理',
  auto_close: '7天未确认，自动办结',
};

/**
 * Who is acting, relative to this report. `dispatcher`: a grid worker of its grid or staff at or above its
 * current response level; `handler`: the person it is assigned to (or the property company's handlers on
 * its estate when assigned to the property company); `reporter`: who filed it; `system`: the scheduler.
 */
export type ReportActor = 'reporter' | 'dispatcher' | 'handler' | 'system';

/** The state machine: for each state and action, who may take it and the state it leads to. */
const transitions: Record<
  ReportState,
  Partial<Record<ReportAction, { by: readonly ReportActor[]; to: ReportState }>>
> = {
  submitted: {
    accept: { by: ['dispatcher'], to: 'accepted' },
    reject: { by: ['dispatcher'], to: 'rejected' },
  },
  accepted: {
    assign: { by: ['dispatcher'], to: 'assigned' },
  },
  assigned: {
    assign: { by: ['dispatcher'], to: 'assigned' },
    start: { by: ['handler'], to: 'in_progress' },
    resolve: { by: ['handler'], to: 'resolved' },
  },
  in_progress: {
    assign: { by: ['dispatcher'], to: 'assigned' },
    resolve: { by: ['handler'], to: 'resolved' },
  },
  resolved: {
    confirm: { by: ['reporter'], to: 'closed' },
    reopen: { by: ['reporter'], to: 'assigned' },
    auto_close: { by: ['system'], to: 'closed' },
  },
  rejected: {},
  closed: {},
};

/** The state `action` leads to when taken by someone in `roles`, or undefined when it is not allowed. */
export function nextState(
  state: ReportState,
  action: ReportAction,
  roles: readonly ReportActor[],
): ReportState | undefined {
  const rule = transitions[state][action];
  return rule && rule.by.some((r) => roles.includes(r)) ? rule.to : undefined;
}

/** The moves someone in `roles` may make on a report in `state` (for the buttons a page shows). */
export function allowedActions(state: ReportState, roles: readonly ReportActor[]): ReportAction[] {
  return (Object.keys(transitions[state]) as ReportAction[]).filter((action) => nextState(state, action, roles));
}

/** What each action needs from the person taking it. */
export const actionNeeds: Partial<
  Record<ReportAction, { note?: 'required'; photo?: 'required'; rating?: 'required' }>
> = {
  reject: { note: 'required' },
  resolve: { note: 'required', photo: 'required' },
  confirm: { rating: 'required' },
  reopen: { note: 'required' },
};

export type RejectReason = 'invalid' | 'duplicate';

/** Who handles a category by default. */
export type HandlerKind = 'grid_worker' | 'property' | 'staff' | 'mediator';
export type Priority = 'urgent' | 'high' | 'normal';

export interface ReportCategory {
  code: string;
  name: string;
  /** A taro-ui icon name. */
  icon: string;
  group: string;
  keywords: string[];
  handler: HandlerKind;
  priority: Priority;
  acceptWithinMinutes: number;
  resolveWithinMinutes: number;
  duplicateRadiusMeters: number;
  privateByDefault: boolean;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** The categories a community starts with; staff may change them. */
export const defaultCategories: ReportCategory[] = [
  {
    code: 'safety',
    name: '安全隐患',
    icon: 'alert-circle',
    group: '安全',
    keywords: ['消防通道', '飞线充电', '燃气', '电动车'],
    handler: 'grid_worker',
    priority: 'urgent',
    acceptWithinMinutes: HOUR,
    resolveWithinMinutes: DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
  {
    code: 'sanitation',
    name: '环境卫生',
    icon: 'trash',
    group: '环境',
    keywords: ['垃圾', '楼道杂物', '狗粪'],
    handler: 'property',
    priority: 'normal',
    acceptWithinMinutes: 8 * HOUR,
    resolveWithinMinutes: 3 * DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
  {
    code: 'facility',
    name: '设施损坏',
    icon: 'settings',
    group: '设施',
    keywords: ['路灯', '电梯', '门禁', '井盖'],
    handler: 'property',
    priority: 'normal',
    acceptWithinMinutes: 8 * HOUR,
    resolveWithinMinutes: 3 * DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
  {
    code: 'parking',
    name: '停车管理',
    icon: 'map-pin',
    group: '秩序',
    keywords: ['乱停车', '占用车位', '僵尸车'],
    handler: 'property',
    priority: 'normal',
    acceptWithinMinutes: 8 * HOUR,
    resolveWithinMinutes: 3 * DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
  {
    code: 'noise',
    name: '噪音扰民',
    icon: 'volume-plus',
    group: '秩序',
    keywords: ['装修', '广场舞', '深夜'],
    handler: 'grid_worker',
    priority: 'high',
    acceptWithinMinutes: 8 * HOUR,
    resolveWithinMinutes: 2 * DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
  {
    code: 'dispute',
    name: '邻里纠纷',
    icon: 'user',
    group: '调解',
    keywords: ['漏水', '噪音', '宠物'],
    handler: 'mediator',
    priority: 'high',
    acceptWithinMinutes: DAY,
    resolveWithinMinutes: 7 * DAY,
    duplicateRadiusMeters: 0,
    privateByDefault: true,
  },
  {
    code: 'other',
    name: '其他',
    icon: 'help',
    group: '其他',
    keywords: [],
    handler: 'staff',
    priority: 'normal',
    acceptWithinMinutes: 8 * HOUR,
    resolveWithinMinutes: 3 * DAY,
    duplicateRadiusMeters: 50,
    privateByDefault: false,
  },
];

/** Graded response (分级响应): a missed deadline moves a report one level up. */
export const ResponseLevel = { grid: 'grid', community: 'community', street: 'street' } as const;
export type ResponseLevel = (typeof ResponseLevel)[keyof typeof ResponseLevel];
export const responseLevelLabel: Record<ResponseLevel, string> = { grid: '网格', community: '社区', street: '街道' };

export function escalated(level: ResponseLevel): ResponseLevel {
  return level === 'grid' ? 'community' : 'street';
}

/** Deadlines: accepting is timed from submission, resolving from acceptance. */
export function acceptDeadline(category: Pick<ReportCategory, 'acceptWithinMinutes'>, submittedAt: Date): Date {
  return new Date(submittedAt.getTime() + category.acceptWithinMinutes * 60_000);
}
export function resolveDeadline(category: Pick<ReportCategory, 'resolveWithinMinutes'>, acceptedAt: Date): Date {
  return new Date(acceptedAt.getTime() + category.resolveWithinMinutes * 60_000);
}

/** A resolved report the reporter leaves unanswered closes by itself after this long. */
export const AUTO_CLOSE_AFTER_MS = 7 * 24 * 3600_000;

/** Great-circle distance in metres between two [longitude, latitude] points. */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** How the reporter is shown to other residents: 某居民 unless they chose to show their (masked) name. */
export const ANONYMOUS_REPORTER = '某居民';
