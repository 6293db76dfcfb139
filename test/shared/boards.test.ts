import {
  actsProblem,
  availableEntryActions,
  boardMonth,
  colours,
  confirmedState,
  DEFAULT_ACTS,
  entryActions,
  entryParties,
  entryStates,
  freezesAt,
  mayTakeEntry,
  previousMonth,
  rankBuildings,
  respondBy,
  subjectLabel,
  type ActDefinition,
  type BuildingTally,
  type EntryParty,
} from '../../shared/boards';
import { median, monthBounds } from '../../shared/china-time';

/**
 * Who may make each move from where, written out by hand: "action: states / colours / party". The test
 * checks every combination of parties, states, actions and colours against it.
 */
const ALLOWED = `
confirm: nominated / red black / staff
ask_more: nominated / red black / staff
add_info: more_info / red black / nominator
dismiss: nominated more_info / red black / staff
respond: notified / black / household
rectify: notified awaiting_decision / black / household
window_closes: notified / black / system
publish: awaiting_decision / black / staff
withdraw_rectified: notified awaiting_decision / black / staff
appeal: published / black / household
uphold_appeal: appealed / black / staff
reject_appeal: appealed / black / staff
`;
const table = new Map(
  ALLOWED.trim()
    .split('\n')
    .map((line) => {
      const [action, rest] = line.split(': ') as [string, string];
      const [states, cols, party] = rest.split(' / ').map((p) => p.split(' ')) as [string[], string[], string[]];
      return [action, { states, colours: cols, party: party[0]! }];
    }),
);
const staffOnly = new Set([
  'confirm',
  'ask_more',
  'dismiss',
  'publish',
  'withdraw_rectified',
  'uphold_appeal',
  'reject_appeal',
]);

/** Every non-empty set of parties. */
const combos: EntryParty[][] = Array.from({ length: 2 ** entryParties.length - 1 }, (_, i) =>
  entryParties.filter((_, bit) => (i + 1) & (1 << bit)),
);

describe('the entry state machine', () => {
  test('every party combination × state × action × colour against the hand-written table', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const parties of combos)
      for (const state of entryStates)
        for (const action of entryActions)
          for (const colour of colours) {
            const row = table.get(action)!;
            let expected =
              row.states.includes(state) && row.colours.includes(colour) && parties.includes(row.party as EntryParty);
            // Nobody decides about their own household's entry, nor confirms their own nomination.
            if (parties.includes('household') && staffOnly.has(action)) expected = false;
            if (action === 'confirm' && parties.includes('nominator')) expected = false;
            checked += 1;
            if (mayTakeEntry(action, { state, colour }, parties) !== expected)
              wrong.push(`${parties.join('+')} ${action} ${colour} ${state} → expected ${expected}`);
          }
    expect(wrong).toEqual([]);
    expect(checked).toBe(15 * 9 * 12 * 2);
  });

  test('offered moves: never the system’s; a rectified entry has none, so it is never published', () => {
    expect(availableEntryActions({ state: 'notified', colour: 'black' }, ['system'])).toEqual([]);
    for (const parties of combos) {
      expect(availableEntryActions({ state: 'rectified', colour: 'black' }, parties)).toEqual([]);
      expect(availableEntryActions({ state: 'dismissed', colour: 'red' }, parties)).toEqual([]);
      expect(availableEntryActions({ state: 'removed', colour: 'black' }, parties)).toEqual([]);
    }
    expect(availableEntryActions({ state: 'awaiting_decision', colour: 'black' }, ['staff'])).toEqual([
      'publish',
      'withdraw_rectified',
    ]);
    expect(availableEntryActions({ state: 'notified', colour: 'black' }, ['household'])).toEqual([
      'respond',
      'rectify',
    ]);
    expect(availableEntryActions({ state: 'nominated', colour: 'red' }, ['staff', 'nominator'])).toEqual([
      'ask_more',
      'dismiss',
    ]);
  });

  test('confirm leads red to the board, black to the household or, without one, to staff', () => {
    expect(confirmedState('red', true)).toBe('published');
    expect(confirmedState('red', false)).toBe('published');
    expect(confirmedState('black', true)).toBe('notified');
    expect(confirmedState('black', false)).toBe('awaiting_decision');
  });
});

describe('acts', () => {
  const act = (fields: Partial<ActDefinition>): ActDefinition => ({
    key: 'x',
    colour: 'red',
    label: '测试',
    points: 1,
    enabled: true,
    ...fields,
  });
  test('the defaults pass; each rule refuses with its message', () => {
    expect(actsProblem(DEFAULT_ACTS)).toBeNull();
    const pair = [act({ key: 'good' }), act({ key: 'bad', colour: 'black', points: -1 })];
    expect(actsProblem(pair)).toBeNull();
    expect(actsProblem([...pair, act({ key: 'good' })])).toBe('行为类型不能重复');
    expect(actsProblem([pair[0]!, act({ key: 'bad', colour: 'black', points: 2 })])).toContain('红榜加分、黑榜减分');
    expect(actsProblem([act({ key: 'good', points: -1 }), pair[1]!])).toContain('红榜加分、黑榜减分');
    expect(actsProblem([act({ key: 'good', points: 51 }), pair[1]!])).toContain('-50到50');
    expect(
      actsProblem([act({ key: 'good', points: 50 }), act({ key: 'bad', colour: 'black', points: -50 })]),
    ).toBeNull();
    expect(actsProblem([act({ key: 'good', enabled: false }), pair[1]!])).toBe('红榜至少要保留一种行为');
    expect(actsProblem([pair[0]!])).toBe('黑榜至少要保留一种行为');
    // Zero is both: a red act worth nothing and a black act costing nothing are allowed.
    expect(actsProblem([act({ key: 'good', points: 0 }), act({ key: 'bad', colour: 'black', points: 0 })])).toBeNull();
  });
});

describe('months in Asia/Shanghai', () => {
  test('the last millisecond of a month in China is that month; midnight is the next', () => {
    expect(boardMonth(new Date('2027-05-31T23:59:59.999+08:00'))).toBe('2027-05');
    expect(boardMonth(new Date('2027-05-31T23:59:59+08:00'))).toBe('2027-05');
    expect(boardMonth(new Date('2027-06-01T00:00:00+08:00'))).toBe('2027-06');
    // 16:00 UTC on the 31st is already June in China.
    expect(boardMonth(new Date('2027-05-31T16:00:00Z'))).toBe('2027-06');
    expect(boardMonth(new Date('2027-05-31T15:59:59.999Z'))).toBe('2027-05');
    expect(boardMonth(new Date('2026-12-31T23:59:59.999+08:00'))).toBe('2026-12');
    expect(boardMonth(new Date('2027-01-01T00:00:00+08:00'))).toBe('2027-01');
    expect(boardMonth(new Date('2028-02-29T12:00:00+08:00'))).toBe('2028-02');
  });

  test('bounds, the freezing moment and the month before', () => {
    expect(monthBounds('2027-02')).toEqual({
      start: new Date('2027-02-01T00:00:00+08:00'),
      end: new Date('2027-03-01T00:00:00+08:00'),
    });
    expect(freezesAt('2027-05')).toEqual(new Date('2027-06-01T00:00:00+08:00'));
    expect(freezesAt('2026-12')).toEqual(new Date('2027-01-01T00:00:00+08:00'));
    expect(boardMonth(new Date(freezesAt('2027-05').getTime() - 1))).toBe('2027-05');
    expect(boardMonth(freezesAt('2027-05'))).toBe('2027-06');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2027-03')).toBe('2027-02');
  });

  test('the household has exactly seven days', () => {
    expect(respondBy(new Date('2027-05-25T10:00:00+08:00'))).toEqual(new Date('2027-06-01T10:00:00+08:00'));
  });
});

describe('subject labels (PIPL Art. 25)', () => {
  const base = { unitPath: '3栋2单元', estateName: '阳光花园', personName: '王阿姨' };
  test('red shows the name only with consent', () => {
    expect(subjectLabel({ ...base, colour: 'red', consent: true })).toBe('王阿姨');
    expect(subjectLabel({ ...base, colour: 'red', consent: false })).toBe('3栋2单元 一位居民');
    expect(subjectLabel({ ...base, colour: 'red', consent: true, personName: null })).toBe('3栋2单元 一位居民');
    expect(subjectLabel({ ...base, colour: 'red', consent: false, unitPath: null })).toBe('阳光花园公共区域');
  });
  test('black never shows a name, even with consent', () => {
    expect(subjectLabel({ ...base, colour: 'black', consent: true })).toBe('3栋2单元');
    expect(subjectLabel({ ...base, colour: 'black', consent: false })).toBe('3栋2单元');
    expect(subjectLabel({ ...base, colour: 'black', consent: true, unitPath: null })).toBe('阳光花园公共区域');
  });
});

describe('the building ranking', () => {
  const b = (name: string, households: number, points: number, red = 0, black = 0): BuildingTally => ({
    buildingId: name,
    name,
    households,
    points,
    red,
    black,
  });
  const ranks = (tallies: BuildingTally[]) => rankBuildings(tallies).ranking.map((r) => `${r.name}:${r.rank}`);

  test('by points per household, exact: 10 over 2 ties 5 over 1', () => {
    const { ranking, redFlag } = rankBuildings([b('1栋', 2, 10, 2), b('2栋', 1, 5, 2), b('3栋', 3, 3, 1)]);
    expect(ranking.map((r) => [r.name, r.rank, r.perHousehold])).toEqual([
      ['1栋', 1, 5],
      ['2栋', 1, 5],
      ['3栋', 3, 1],
    ]);
    expect(redFlag).toBeNull();
  });
  test('ties: more red first, then fewer black, then a shared rank ordered by name', () => {
    expect(ranks([b('1栋', 10, 10, 1), b('2栋', 10, 10, 2)])).toEqual(['2栋:1', '1栋:2']);
    expect(ranks([b('1栋', 10, 10, 2, 1), b('2栋', 10, 10, 2, 0)])).toEqual(['2栋:1', '1栋:2']);
    expect(ranks([b('2栋', 10, 10, 2, 1), b('1栋', 10, 10, 2, 1), b('3栋', 10, 1, 1)])).toEqual([
      '1栋:1',
      '2栋:1',
      '3栋:3',
    ]);
  });
  test('the red flag goes to a lone top building with points above zero; no households scores zero', () => {
    expect(rankBuildings([b('1栋', 10, 11, 2), b('2栋', 10, 10, 2)]).redFlag).toBe('1栋');
    expect(rankBuildings([b('1栋', 10, 0), b('2栋', 10, -5, 0, 1)]).redFlag).toBeNull();
    const empty = rankBuildings([b('1栋', 0, 50, 5), b('2栋', 10, 1, 1)]);
    expect(empty.redFlag).toBe('2栋');
    expect(empty.ranking.find((r) => r.name === '1栋')).toMatchObject({ perHousehold: 0, rank: 2 });
    expect(rankBuildings([]).redFlag).toBeNull();
  });
  test('per household is rounded to two places for display only', () => {
    const { ranking } = rankBuildings([b('2栋', 201, 100, 1), b('1栋', 2, 1, 1)]);
    expect(ranking.map((r) => [r.name, r.perHousehold])).toEqual([
      ['1栋', 0.5],
      ['2栋', 0.5],
    ]);
    expect(ranking.map((r) => r.rank)).toEqual([1, 2]);
  });
});

describe('China time', () => {
  test('the median of none is null, of an even count the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
