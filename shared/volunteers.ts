/**
 * Volunteer order-taking (点单—派单—接单—评单): service kinds, the order state machine, the hours rounding rule,
 * points and star levels, and the explained ranking of volunteers for an order. Pure and shared: the server
 * enforces it, the mini-program shows the same words and only the moves a person may make.
 */
import { CHINA_OFFSET_MS } from './china-time';

export const serviceKinds = [
  'elderly_help',
  'repairs',
  'companionship',
  'errands',
  'tutoring',
  'legal',
  'psychological',
  'other',
] as const;
export type ServiceKind = (typeof serviceKinds)[number];

export const serviceKindLabel: Record<ServiceKind, string> = {
  elderly_help: '助老服务',
  repairs: '小修小补',
  companionship: '陪伴聊天',
  errands: '跑腿代办',
  tutoring: '课业辅导',
  legal: '法律咨询',
  psychological: '心理疏导',
  other: '其他',
};

/** A volunteer's skills come from the same list as the kinds of service a resident may order. */
export const skillLabel = serviceKindLabel;

export const volunteerStatuses = ['pending', 'verified', 'suspended'] as const;
export type VolunteerStatus = (typeof volunteerStatuses)[number];
export const volunteerStatusLabel: Record<VolunteerStatus, string> = {
  pending: '待审核',
  verified: '已认证',
  suspended: '已暂停',
};

/** Weekly availability in three parts of the day, China time. */
export const dayParts = ['morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof dayParts)[number];
export const dayPartLabel: Record<DayPart, string> = { morning: '上午', afternoon: '下午', evening: '晚上' };
/** The hours (China time, [from, to)) each part covers. */
const dayPartHours: Record<DayPart, [number, number]> = { morning: [6, 12], afternoon: [12, 18], evening: [18, 23] };
export const weekdayLabel = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

export interface AvailabilitySlot {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  part: DayPart;
}

/** The weekday and part of the day a moment falls in, China time; null at night (23:00–06:00). */
export function slotOf(at: Date): AvailabilitySlot | null {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const hour = local.getUTCHours();
  const part = dayParts.find((p) => hour >= dayPartHours[p][0] && hour < dayPartHours[p][1]);
  return part ? { day: local.getUTCDay(), part } : null;
}

// —— Orders ——

export const orderStates = [
  'ordered',
  'dispatched',
  'open',
  'accepted',
  'in_service',
  'completed',
  'rated',
  'cancelled',
] as const;
export type OrderState = (typeof orderStates)[number];

export const orderStateLabel: Record<OrderState, string> = {
  ordered: '待派单',
  dispatched: '待接单',
  open: '待认领',
  accepted: '已接单',
  in_service: '服务中',
  completed: '待评价',
  rated: '已评价',
  cancelled: '已取消',
};

/** States in which an order still occupies its volunteer (their current load). */
export const ACTIVE_ORDER_STATES: readonly OrderState[] = ['dispatched', 'accepted', 'in_service'];

export const orderActions = [
  'dispatch',
  'publish',
  'accept',
  'decline',
  'timeout',
  'take',
  'check_in',
  'check_out',
  'manual_hours',
  'rate',
  'cancel',
] as const;
export type OrderAction = (typeof orderActions)[number];

export const orderActionLabel: Record<OrderAction, string> = {
  dispatch: '派单',
  publish: '公开认领',
  accept: '接单',
  decline: '婉拒',
  timeout: '超时未接，退回派单',
  take: '认领',
  check_in: '上门签到',
  check_out: '服务签退',
  manual_hours: '补录时长',
  rate: '评价',
  cancel: '取消',
};

/**
 * Who is acting, relative to the order: `requester` (the resident served, or whoever ordered for them),
 * `dispatcher` (grid worker or staff over its place), `volunteer` (the one it is offered to or taken by),
 * `taker` (any verified volunteer with the skill, for an open order), `staff` (community staff: hours by hand),
 * `system` (the accept timeout).
 */
export type OrderActor = 'requester' | 'dispatcher' | 'volunteer' | 'taker' | 'staff' | 'system';

const transitions: Record<OrderState, Partial<Record<OrderAction, { by: readonly OrderActor[]; to: OrderState }>>> = {
  ordered: {
    dispatch: { by: ['dispatcher'], to: 'dispatched' },
    publish: { by: ['dispatcher'], to: 'open' },
    cancel: { by: ['requester', 'dispatcher'], to: 'cancelled' },
  },
  dispatched: {
    accept: { by: ['volunteer'], to: 'accepted' },
    decline: { by: ['volunteer'], to: 'ordered' },
    timeout: { by: ['system'], to: 'ordered' },
    cancel: { by: ['requester', 'dispatcher'], to: 'cancelled' },
  },
  open: {
    take: { by: ['taker'], to: 'accepted' },
    dispatch: { by: ['dispatcher'], to: 'dispatched' },
    cancel: { by: ['requester', 'dispatcher'], to: 'cancelled' },
  },
  accepted: {
    check_in: { by: ['volunteer'], to: 'in_service' },
    manual_hours: { by: ['staff'], to: 'completed' },
    cancel: { by: ['requester', 'dispatcher'], to: 'cancelled' },
  },
  in_service: {
    check_out: { by: ['volunteer'], to: 'completed' },
    manual_hours: { by: ['staff'], to: 'completed' },
  },
  completed: {
    rate: { by: ['requester'], to: 'rated' },
  },
  rated: {},
  cancelled: {},
};

/** The state `action` leads to when taken by someone with `roles`, or null when it is not allowed. */
export function nextOrderState(from: OrderState, action: OrderAction, roles: readonly OrderActor[]): OrderState | null {
  const move = transitions[from][action];
  return move && move.by.some((role) => roles.includes(role)) ? move.to : null;
}

/** Every move someone with `roles` may make on an order in `state` (the buttons to show). */
export function allowedOrderActions(state: OrderState, roles: readonly OrderActor[]): OrderAction[] {
  return orderActions.filter((action) => action !== 'timeout' && nextOrderState(state, action, roles) !== null);
}

/** A complaint may be lodged on a served order, once; staff uphold (voiding its hours) or dismiss it. */
export const COMPLAINABLE: readonly OrderState[] = ['completed', 'rated'];

/** How long a volunteer has to accept a dispatched order: a community setting, 2 h unless staff change it. */
export const DEFAULT_ACCEPT_TIMEOUT_MINUTES = 120;
export const MIN_ACCEPT_TIMEOUT_MINUTES = 15;
export const MAX_ACCEPT_TIMEOUT_MINUTES = 24 * 60;
export const MAX_ORDER_WINDOW_HOURS = 12;

// —— Hours, points and stars ——

/**
 * Hours credited for `minutes` of service, in half-hours (integers: no floating point in the ledger). Each
 * started hour counts: under 15 minutes nothing, 15 up to 45 minutes half an hour, 45 to 60 a full hour.
 */
export function creditedHalfHours(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  const whole = Math.floor(minutes);
  const rest = whole % 60;
  return Math.floor(whole / 60) * 2 + (rest < 15 ? 0 : rest < 45 ? 1 : 2);
}

/** Half-hours as hours for people: 3 → '1.5'. */
export function hoursText(halfHours: number): string {
  return halfHours % 2 === 0 ? String(halfHours / 2) : (halfHours / 2).toFixed(1);
}

/** Points equal hours (one point per hour): kept in half-points like the hours. */
export const pointsOf = (halfHours: number) => halfHours;

/** Hours at which each star is earned. */
export const STAR_THRESHOLD_HOURS = [100, 300, 600, 1000, 1500] as const;

/** The star level (0–5) for a total in half-hours. */
export function starLevel(halfHours: number): number {
  return STAR_THRESHOLD_HOURS.filter((hours) => halfHours >= hours * 2).length;
}

/** Hours still to go to the next star, in half-hours; null at five stars. */
export function toNextStar(halfHours: number): number | null {
  const next = STAR_THRESHOLD_HOURS.find((hours) => halfHours < hours * 2);
  return next === undefined ? null : next * 2 - halfHours;
}

// —— Suggestions ——

export interface SuggestionOrder {
  kind: ServiceKind;
  /** The order's place and its ancestors (ids). */
  places: readonly string[];
  windowStart: Date;
}

export interface SuggestionCandidate {
  id: string;
  skills: readonly ServiceKind[];
  /** The communities or estates the volunteer serves (ids). */
  areaIds: readonly string[];
  availability: readonly AvailabilitySlot[];
  /** Orders the volunteer has on hand (offered, accepted, in service). */
  load: number;
  ratingSum: number;
  ratingCount: number;
}

export interface Suggestion {
  id: string;
  score: number;
  /** Why it ranks where it does, in Chinese, strongest first. */
  reasons: string[];
}

/** Points each criterion gives: a skill match weighs most, then area and time, then load and rating. */
export const SUGGESTION_WEIGHTS = { skill: 40, area: 25, availability: 20, perLoad: 8, maxLoad: 24, rating: 15 };

/** The mean rating shown with one decimal, or null without ratings. */
export function meanRating(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 10) / 10 : null;
}

/**
 * Ranks volunteers for an order: skill match, serving the order's area, available in the wanted window, fewest
 * orders on hand, best rated. Each suggestion carries its reasons. Ties keep the candidates' order (stable).
 */
export function rankVolunteers(order: SuggestionOrder, candidates: readonly SuggestionCandidate[]): Suggestion[] {
  const w = SUGGESTION_WEIGHTS;
  const places = new Set(order.places);
  const slot = slotOf(order.windowStart);
  const scored = candidates.map((c, index) => {
    const reasons: string[] = [];
    let score = 0;
    if (c.skills.includes(order.kind)) {
      score += w.skill;
      reasons.push(`擅长${serviceKindLabel[order.kind]}`);
    } else reasons.push(`不擅长${serviceKindLabel[order.kind]}`);
    if (c.areaIds.some((id) => places.has(id))) {
      score += w.area;
      reasons.push('在服务片区内');
    } else reasons.push('不在服务片区');
    if (slot && c.availability.some((a) => a.day === slot.day && a.part === slot.part)) {
      score += w.availability;
      reasons.push(`${weekdayLabel[slot.day]}${dayPartLabel[slot.part]}有空`);
    } else reasons.push('该时段未登记有空');
    const loadPenalty = Math.min(w.maxLoad, c.load * w.perLoad);
    score -= loadPenalty;
    reasons.push(c.load === 0 ? '手上没有在办订单' : `手上有 ${c.load} 单在办`);
    const mean = meanRating(c.ratingSum, c.ratingCount);
    if (mean === null) reasons.push('暂无评价');
    else {
      score += Math.round((c.ratingSum / c.ratingCount / 5) * w.rating);
      reasons.push(`评分 ${mean.toFixed(1)}（${c.ratingCount} 次）`);
    }
    return { id: c.id, score, reasons, index };
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map(({ id, score, reasons }) => ({ id, score, reasons }));
}

// —— Activities ——

export const activityKinds = ['patrol', 'cleanup', 'event'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const activityKindLabel: Record<ActivityKind, string> = { patrol: '巡逻', cleanup: '清洁', event: '活动' };
