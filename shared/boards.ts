/**
 * Civility red-black boards (文明行为红黑榜): the acts and their points, the entry state machine with who may make
 * each move, the month an entry belongs to and when a month freezes (Asia/Shanghai), how an entry is shown to the
 * public (PIPL Art. 25: a name only with the person's separate consent, a black entry never with a name or a
 * room), and the building ranking with its tie rule. Pure and shared: the server enforces it, the mini-program
 * shows the same words and only the buttons a person may press.
 */
import { chinaMonth, monthBounds } from './china-time';

export const colours = ['red', 'black'] as const;
export type Colour = (typeof colours)[number];
export const colourLabel: Record<Colour, string> = { red: '红榜', black: '黑榜' };

export interface ActDefinition {
  key: string;
  colour: Colour;
  label: string;
  /** Civility points a household gains (red, positive) or loses (black, negative) for one published entry. */
  points: number;
  enabled: boolean;
}

/** The community's list of acts when staff have not changed it. */
export const DEFAULT_ACTS: readonly ActDefinition[] = [
  { key: 'throwing_from_height', colour: 'black', label: '高空抛物', points: -10, enabled: true },
  { key: 'blocking_fire_lane', colour: 'black', label: '占用消防通道', points: -8, enabled: true },
  { key: 'hallway_clutter', colour: 'black', label: '楼道堆物', points: -3, enabled: true },
  { key: 'ebike_indoor', colour: 'black', label: '电动车入户充电', points: -8, enabled: true },
  { key: 'dog_mess', colour: 'black', label: '不清理犬只粪便', points: -2, enabled: true },
  { key: 'littering', colour: 'black', label: '乱扔垃圾', points: -2, enabled: true },
  { key: 'noise', colour: 'black', label: '噪音扰民', points: -2, enabled: true },
  { key: 'damaging_greenery', colour: 'black', label: '毁坏绿化', points: -3, enabled: true },
  { key: 'black_other', colour: 'black', label: '其他不文明行为', points: -1, enabled: true },
  { key: 'helping_neighbours', colour: 'red', label: '邻里互助', points: 5, enabled: true },
  { key: 'caring_for_elders', colour: 'red', label: '敬老爱幼', points: 5, enabled: true },
  { key: 'returning_lost_property', colour: 'red', label: '拾金不昧', points: 8, enabled: true },
  { key: 'brave_deed', colour: 'red', label: '见义勇为', points: 10, enabled: true },
  { key: 'beautifying', colour: 'red', label: '美化环境', points: 3, enabled: true },
  { key: 'red_other', colour: 'red', label: '其他好人好事', points: 2, enabled: true },
];
export const ACT_POINTS_BOUNDS: [number, number] = [-50, 50];

/** Is a community's act list acceptable: unique keys, points signed by colour within bounds, one enabled each. */
export function actsProblem(acts: readonly ActDefinition[]): string | null {
  const keys = new Set(acts.map((a) => a.key));
  if (keys.size !== acts.length) return '行为类型不能重复';
  for (const act of acts) {
    const [min, max] = ACT_POINTS_BOUNDS;
    if (act.points < min || act.points > max) return `「${act.label}」的分值应在${min}到${max}之间`;
    if (act.colour === 'red' ? act.points < 0 : act.points > 0) {
      return `「${act.label}」：红榜加分、黑榜减分`;
    }
  }
  for (const colour of colours) {
    if (!acts.some((a) => a.colour === colour && a.enabled)) return `${colourLabel[colour]}至少要保留一种行为`;
  }
  return null;
}

// —— Entries ——

export const entryStates = [
  'nominated',
  'more_info',
  'dismissed',
  'notified',
  'awaiting_decision',
  'published',
  'rectified',
  'appealed',
  'removed',
] as const;
export type EntryState = (typeof entryStates)[number];
export const entryStateLabel: Record<EntryState, string> = {
  nominated: '待核实',
  more_info: '待补充',
  dismissed: '不予采纳',
  notified: '待住户回应',
  awaiting_decision: '待决定',
  published: '已上榜',
  rectified: '已整改，不上榜',
  appealed: '申诉中',
  removed: '申诉成立，已撤榜',
};

export const entryActions = [
  'confirm',
  'ask_more',
  'add_info',
  'dismiss',
  'respond',
  'rectify',
  'window_closes',
  'publish',
  'withdraw_rectified',
  'appeal',
  'uphold_appeal',
  'reject_appeal',
] as const;
export type EntryAction = (typeof entryActions)[number];
export const entryActionLabel: Record<EntryAction, string> = {
  confirm: '核实属实',
  ask_more: '请补充材料',
  add_info: '补充材料',
  dismiss: '不予采纳',
  respond: '回应说明',
  rectify: '已整改（附照片）',
  window_closes: '回应期满，待决定',
  publish: '上榜公示',
  withdraw_rectified: '已整改，撤回不上榜',
  appeal: '申诉',
  uphold_appeal: '申诉成立，撤榜更正',
  reject_appeal: '申诉不成立',
};

/**
 * The parts a person can play on one entry:
 * - `nominator`: who nominated it;
 * - `household`: a member of the household a black entry concerns (it is told before anything is published);
 * - `staff`: community staff over the entry's place (verify, publish, decide appeals);
 * - `system`: the job runner (the household's response window closing).
 */
export const entryParties = ['nominator', 'household', 'staff', 'system'] as const;
export type EntryParty = (typeof entryParties)[number];

interface Move {
  from: readonly EntryState[];
  /** Where the move leads; `respond` and `rectify` record the household's answer and leave the state. */
  to: EntryState;
  by: readonly EntryParty[];
  colours: readonly Colour[];
}

const both = colours;
/**
 * The state machine. A confirmed red entry is published at once (its photos cleared first); a confirmed black
 * entry about a household goes to that household for its response window, one about no household (a common
 * area) waits for staff's decision. A rectified entry is never published.
 */
export const entryMoves: Record<EntryAction, Move> = {
  confirm: { from: ['nominated'], to: 'published', by: ['staff'], colours: both },
  ask_more: { from: ['nominated'], to: 'more_info', by: ['staff'], colours: both },
  add_info: { from: ['more_info'], to: 'nominated', by: ['nominator'], colours: both },
  dismiss: { from: ['nominated', 'more_info'], to: 'dismissed', by: ['staff'], colours: both },
  respond: { from: ['notified'], to: 'notified', by: ['household'], colours: ['black'] },
  rectify: { from: ['notified', 'awaiting_decision'], to: 'awaiting_decision', by: ['household'], colours: ['black'] },
  window_closes: { from: ['notified'], to: 'awaiting_decision', by: ['system'], colours: ['black'] },
  publish: { from: ['awaiting_decision'], to: 'published', by: ['staff'], colours: ['black'] },
  withdraw_rectified: {
    from: ['notified', 'awaiting_decision'],
    to: 'rectified',
    by: ['staff'],
    colours: ['black'],
  },
  appeal: { from: ['published'], to: 'appealed', by: ['household'], colours: ['black'] },
  uphold_appeal: { from: ['appealed'], to: 'removed', by: ['staff'], colours: ['black'] },
  reject_appeal: { from: ['appealed'], to: 'published', by: ['staff'], colours: ['black'] },
};

/** Where `confirm` leads: red to the board; black to the household's window, or to staff when no household. */
export function confirmedState(colour: Colour, hasHousehold: boolean): EntryState {
  if (colour === 'red') return 'published';
  return hasHousehold ? 'notified' : 'awaiting_decision';
}

/** May someone playing `parties` take `action` on an entry of `colour` in `state`? */
export function mayTakeEntry(
  action: EntryAction,
  entry: { state: EntryState; colour: Colour },
  parties: readonly EntryParty[],
): boolean {
  const move = entryMoves[action];
  if (!move.from.includes(entry.state) || !move.colours.includes(entry.colour)) return false;
  // Nobody decides about their own household's entry, nor confirms what they nominated themselves.
  if (parties.includes('household') && move.by.includes('staff') && !move.by.includes('household')) return false;
  if (action === 'confirm' && parties.includes('nominator')) return false;
  return move.by.some((party) => parties.includes(party));
}

/** The moves a person may make now, in the order of `entryActions`; system moves are never offered. */
export function availableEntryActions(
  entry: { state: EntryState; colour: Colour },
  parties: readonly EntryParty[],
): EntryAction[] {
  return entryActions.filter(
    (action) => !entryMoves[action].by.includes('system') && mayTakeEntry(action, entry, parties),
  );
}

/** Days a household has to respond to a confirmed black entry before staff decide. */
export const RESPONSE_WINDOW_DAYS = 7;
const DAY_MS = 24 * 3600_000;
export function respondBy(notifiedAt: Date): Date {
  return new Date(notifiedAt.getTime() + RESPONSE_WINDOW_DAYS * DAY_MS);
}

// —— Months (China time, shared/china-time.ts) ——

/** The board month ('YYYY-MM') a moment belongs to, China time. */
export const boardMonth = chinaMonth;

/** A month freezes at 00:00 Asia/Shanghai on the 1st of the next month. */
export function freezesAt(month: string): Date {
  return monthBounds(month).end;
}

export function previousMonth(month: string): string {
  return boardMonth(new Date(monthBounds(month).start.getTime() - 1));
}

// —— Privacy ——

/**
 * What the public sees of who an entry is about. Red: the person's name only with their recorded, unrevoked
 * consent, else "3栋2单元 一位居民". Black: never a name or a room — the building and unit, or the estate's
 * common area.
 */
export function subjectLabel(entry: {
  colour: Colour;
  /** The building and unit of the household, e.g. "3栋2单元"; null for a common area or no household. */
  unitPath: string | null;
  /** The estate's name, for common areas. */
  estateName: string;
  personName: string | null;
  consent: boolean;
}): string {
  if (entry.colour === 'red' && entry.consent && entry.personName) return entry.personName;
  if (!entry.unitPath) return `${entry.estateName}公共区域`;
  return entry.colour === 'red' ? `${entry.unitPath} 一位居民` : entry.unitPath;
}

// —— Ranking ——

export interface BuildingTally {
  buildingId: string;
  name: string;
  households: number;
  points: number;
  red: number;
  black: number;
}
export interface RankedBuilding extends BuildingTally {
  /** Points per household, rounded to two places for display; the ranking uses the exact value. */
  perHousehold: number;
  rank: number;
}

/** The tie rule, stated once for the page that shows the ranking. */
export const TIE_RULE = '积分相同时，红榜条目多者在前；仍相同时，黑榜条目少者在前；再相同则并列';

/**
 * Buildings ranked by points per household (a building with no households scores 0). Ties: more red entries
 * first, then fewer black; buildings still equal share a rank (and the order between them is by name).
 * The top building holds the 流动红旗 only if it is alone at rank 1 with points above zero.
 */
export function rankBuildings(tallies: readonly BuildingTally[]): {
  ranking: RankedBuilding[];
  redFlag: string | null;
} {
  const score = (t: BuildingTally) => (t.households > 0 ? t.points / t.households : 0);
  const sorted = [...tallies].sort(
    (a, b) => score(b) - score(a) || b.red - a.red || a.black - b.black || a.name.localeCompare(b.name, 'zh-Hans-CN'),
  );
  const ranking: RankedBuilding[] = [];
  sorted.forEach((t, i) => {
    const prev = ranking[i - 1];
    const tied = prev && score(prev) === score(t) && prev.red === t.red && prev.black === t.black;
    ranking.push({ ...t, perHousehold: Math.round(score(t) * 100) / 100, rank: tied ? prev.rank : i + 1 });
  });
  const top = ranking.filter((r) => r.rank === 1);
  const redFlag = top.length === 1 && score(top[0]!) > 0 ? top[0]!.buildingId : null;
  return { ranking, redFlag };
}
