/**
 * Micro-wishes (微心愿): the kinds, the state machine with who may make each move, the community settings and
 * their bounds, the deadlines of a claim and of a fulfilment, and how a beneficiary is shown to people who may
 * not know who they are. Pure and shared: the server enforces it, the mini-program shows the same words and
 * only the buttons a person may press.
 */
import { chinaDate } from './china-time';
import { maskName } from './masking';

export const wishKinds = ['goods', 'service', 'companionship', 'other'] as const;
export type WishKind = (typeof wishKinds)[number];
export const wishKindLabel: Record<WishKind, string> = {
  goods: '物品',
  service: '服务',
  companionship: '陪伴',
  other: '其他',
};

export const beneficiaryKinds = ['elderly_alone', 'disabled', 'child', 'low_income', 'other'] as const;
export type BeneficiaryKind = (typeof beneficiaryKinds)[number];
export const beneficiaryKindLabel: Record<BeneficiaryKind, string> = {
  elderly_alone: '独居老人',
  disabled: '残障人士',
  child: '困境儿童',
  low_income: '低收入家庭',
  other: '有需要的居民',
};
/** How a beneficiary is named to people who may not know who they are, when no masked name may be shown. */
const anonymousLabel: Record<BeneficiaryKind, string> = {
  elderly_alone: '一位独居老人',
  disabled: '一位残障人士',
  child: '一位困境儿童',
  low_income: '一户低收入家庭',
  other: '一位有需要的居民',
};

/** Who may claim a wish: party members and volunteers by their badge, organisations by membership. */
export const claimantTypes = ['party_member', 'volunteer', 'organisation'] as const;
export type ClaimantType = (typeof claimantTypes)[number];
export const claimantTypeLabel: Record<ClaimantType, string> = {
  party_member: '党员',
  volunteer: '志愿者',
  organisation: '爱心组织',
};
/** How a claimant who did not consent to showing their name appears on the roll of honour. */
export const anonymousClaimantLabel: Record<ClaimantType, string> = {
  party_member: '一位党员',
  volunteer: '一位志愿者',
  organisation: '一家爱心组织',
};

export const wishStates = [
  'pending',
  'returned',
  'rejected',
  'published',
  'claimed',
  'fulfilled',
  'disputed',
  'confirmed',
  'withdrawn',
] as const;
export type WishState = (typeof wishStates)[number];
export const wishStateLabel: Record<WishState, string> = {
  pending: '待审核',
  returned: '待修改',
  rejected: '未通过',
  published: '待认领',
  claimed: '已认领',
  fulfilled: '待确认',
  disputed: '有异议',
  confirmed: '已圆梦',
  withdrawn: '已撤回',
};
/** States after which nothing more happens to a wish. */
export const FINAL_WISH_STATES: readonly WishState[] = ['rejected', 'confirmed', 'withdrawn'];

export const wishActions = [
  'publish',
  'return',
  'reject',
  'resubmit',
  'withdraw',
  'claim',
  'release',
  'lapse',
  'fulfil',
  'confirm',
  'dispute',
  'auto_confirm',
  'settle',
  'reopen',
] as const;
export type WishAction = (typeof wishActions)[number];
export const wishActionLabel: Record<WishAction, string> = {
  publish: '审核发布',
  return: '退回修改',
  reject: '不予发布',
  resubmit: '修改后重新提交',
  withdraw: '撤回',
  claim: '认领',
  release: '放弃认领',
  lapse: '认领超时，重回心愿墙',
  fulfil: '标记已实现',
  confirm: '确认已实现',
  dispute: '有异议',
  auto_confirm: '到期自动确认',
  settle: '裁定已实现',
  reopen: '裁定未实现，重回心愿墙',
};

/**
 * The parts a person can play on one wish (a person may play several):
 * - `owner`: the beneficiary who posted for their own household, or the proxy who recorded it for them (代录);
 * - `claimant`: the one holding the active claim;
 * - `staff`: community staff over the wish's place (they review and decide disputes);
 * - `eligible`: may claim wishes (a party member, a volunteer, or a member of a registered organisation);
 * - `system`: the job runner (lapse and auto-confirm).
 */
export const wishParties = ['owner', 'claimant', 'staff', 'eligible', 'system'] as const;
export type WishParty = (typeof wishParties)[number];

interface Move {
  from: readonly WishState[];
  to: WishState;
  by: readonly WishParty[];
}

/** The state machine: which move leads from which states to which, and who may make it. */
export const wishMoves: Record<WishAction, Move> = {
  publish: { from: ['pending'], to: 'published', by: ['staff'] },
  return: { from: ['pending'], to: 'returned', by: ['staff'] },
  reject: { from: ['pending'], to: 'rejected', by: ['staff'] },
  resubmit: { from: ['returned'], to: 'pending', by: ['owner'] },
  withdraw: { from: ['pending', 'returned', 'published'], to: 'withdrawn', by: ['owner', 'staff'] },
  claim: { from: ['published'], to: 'claimed', by: ['eligible'] },
  release: { from: ['claimed'], to: 'published', by: ['claimant'] },
  lapse: { from: ['claimed'], to: 'published', by: ['system'] },
  fulfil: { from: ['claimed'], to: 'fulfilled', by: ['claimant'] },
  confirm: { from: ['fulfilled'], to: 'confirmed', by: ['owner'] },
  dispute: { from: ['fulfilled'], to: 'disputed', by: ['owner'] },
  auto_confirm: { from: ['fulfilled'], to: 'confirmed', by: ['system'] },
  settle: { from: ['disputed'], to: 'confirmed', by: ['staff'] },
  reopen: { from: ['disputed'], to: 'published', by: ['staff'] },
};

/**
 * May someone playing `parties` take `action` on a wish in `state`? An owner never claims their own wish, and
 * a claimant never confirms or disputes their own fulfilment (a proxy may not claim what they recorded).
 */
export function mayTake(action: WishAction, state: WishState, parties: readonly WishParty[]): boolean {
  const move = wishMoves[action];
  if (!move.from.includes(state)) return false;
  if (action === 'claim' && parties.includes('owner')) return false;
  if ((action === 'confirm' || action === 'dispute') && parties.includes('claimant')) return false;
  return move.by.some((party) => parties.includes(party));
}

/** The moves a person may make now, in the order of `wishActions`; system moves are never offered. */
export function availableActions(state: WishState, parties: readonly WishParty[]): WishAction[] {
  return wishActions.filter((action) => !wishMoves[action].by.includes('system') && mayTake(action, state, parties));
}

/** Messages inside a wish pass between the beneficiary's side and the claimant while a claim stands. */
export function mayMessage(state: WishState, parties: readonly WishParty[]): boolean {
  return (
    (state === 'claimed' || state === 'fulfilled' || state === 'disputed') &&
    (parties.includes('owner') || parties.includes('claimant'))
  );
}

// —— Community settings ——

export interface WishSettings {
  /** The most a wish may be worth, in yuan. */
  maxValueYuan: number;
  /** Days an unfulfilled claim lasts before the wish returns to the wall. */
  claimLapseDays: number;
  /** Days a fulfilment waits for the beneficiary before it confirms itself. */
  autoConfirmDays: number;
}
export const DEFAULT_WISH_SETTINGS: WishSettings = { maxValueYuan: 300, claimLapseDays: 7, autoConfirmDays: 7 };
/** Bounds staff may set the settings within. */
export const WISH_SETTING_BOUNDS: Record<keyof WishSettings, [number, number]> = {
  maxValueYuan: [1, 5000],
  claimLapseDays: [1, 60],
  autoConfirmDays: [1, 60],
};

export const WISH_TEXT_MAX = 200;

const DAY_MS = 24 * 3600_000;

/** When a claim made at `claimedAt` lapses: exactly `claimLapseDays` later. */
export function lapsesAt(claimedAt: Date, settings: WishSettings): Date {
  return new Date(claimedAt.getTime() + settings.claimLapseDays * DAY_MS);
}

/** When a fulfilment marked at `fulfilledAt` confirms itself: exactly `autoConfirmDays` later. */
export function autoConfirmsAt(fulfilledAt: Date, settings: WishSettings): Date {
  return new Date(fulfilledAt.getTime() + settings.autoConfirmDays * DAY_MS);
}

/** A deadline is due at its exact moment, not a moment later. */
export function isDue(deadline: Date, now: Date): boolean {
  return now.getTime() >= deadline.getTime();
}

/** Whole days from today (China time) to a YYYY-MM-DD date; negative once it has passed. */
export function daysUntil(date: string, now: Date): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${chinaDate(now)}T00:00:00Z`)) / DAY_MS);
}

/** How near a wanted-by date is, as the wall says it. */
export function wantedByLabel(date: string, now: Date): string {
  const days = daysUntil(date, now);
  if (days < 0) return '已过期望日期';
  if (days === 0) return '今天截止';
  if (days === 1) return '明天截止';
  return `还剩${days}天`;
}

/** Why a new or edited wish is refused, or null: the value cap and a wanted-by date not already past. */
export function wishProblem(
  wish: { valueYuan: number; wantedBy: string },
  settings: WishSettings,
  now: Date,
): { code: 'WISH_VALUE_TOO_HIGH' | 'WISH_DATE_PAST'; message: string } | null {
  if (wish.valueYuan > settings.maxValueYuan) {
    return { code: 'WISH_VALUE_TOO_HIGH', message: `心愿价值不能超过${settings.maxValueYuan}元` };
  }
  if (daysUntil(wish.wantedBy, now) < 0) return { code: 'WISH_DATE_PAST', message: '期望日期不能早于今天' };
  return null;
}

// —— Privacy ——

/**
 * How the beneficiary is named to someone who is not on the wish's inside (poster, proxy, claimant, staff):
 * "3栋 王**" only with the beneficiary's recorded consent, otherwise only what kind of neighbour they are.
 */
export function beneficiaryLabel(beneficiary: {
  kind: BeneficiaryKind;
  consent: boolean;
  name: string;
  buildingName: string | null;
}): string {
  if (!beneficiary.consent) return anonymousLabel[beneficiary.kind];
  const name = maskName(beneficiary.name);
  return beneficiary.buildingName ? `${beneficiary.buildingName} ${name}` : name;
}

/** A claimant on the roll of honour: their name with consent, otherwise what kind of claimant they were. */
export function honourName(claimant: { type: ClaimantType; name: string; consent: boolean }): string {
  return claimant.consent ? claimant.name : anonymousClaimantLabel[claimant.type];
}

/** The ways a person may claim: by their badges and the organisations they belong to. */
export function claimantTypesOf(badges: readonly string[], organisations: number): ClaimantType[] {
  return claimantTypes.filter((type) => (type === 'organisation' ? organisations > 0 : badges.includes(type)));
}
