import {
  cycleStep,
  defaultCosignThreshold,
  defaultStages,
  nextStage,
  tallyArt278,
  tallyCounts,
  type Art278Input,
} from '../../shared/votes';

/** n owners of one unit each, `area` hundredths of m² apiece, keyed o0…o(n-1). */
function owners(n: number, area = 10000): Art278Input['owners'] {
  return Array.from({ length: n }, (_, i) => ({ owner: `o${i}`, areaHundredths: [area] }));
}
/** Five owners: a, b, c hold 300.00 m² each, d and e 50.00 m² (three of five heads, nine tenths of the area). */
const THREE_LARGE_TWO_SMALL: Art278Input['owners'] = [
  { owner: 'a', areaHundredths: [30000] },
  { owner: 'b', areaHundredths: [30000] },
  { owner: 'c', areaHundredths: [30000] },
  { owner: 'd', areaHundredths: [5000] },
  { owner: 'e', areaHundredths: [5000] },
];
const keys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `o${from + i}`);

describe('tallyArt278 participation (≥ 2/3 by area AND by head)', () => {
  test('exactly 2/3 by head and by area meets the quorum', () => {
    const r = tallyArt278({ matter: 'ordinary', owners: owners(3), participants: keys(0, 2), yes: keys(0, 2) });
    expect(r).toMatchObject({ quorumByHead: true, quorumByArea: true, quorum: true, passed: true });
    expect(r).toMatchObject({ totalHeads: 3, participatingHeads: 2, totalAreaHundredths: 30000 });
  });

  test('just below 2/3 by area (heads enough) fails the quorum', () => {
    // 3 owners: 100.00, 100.00, 100.01 m²; the two smaller ones take part: 20000/30001 < 2/3.
    const list = [...owners(2), { owner: 'big', areaHundredths: [10001] }];
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: keys(0, 2), yes: keys(0, 2) });
    expect(r.quorumByHead).toBe(true);
    expect(r.quorumByArea).toBe(false);
    expect(r.quorum).toBe(false);
    expect(r.passed).toBe(false);
  });

  test('just below 2/3 by head (area enough) fails the quorum', () => {
    // 5 owners, 3 take part (3/5 < 2/3) but hold 9/10 of the area.
    const list = THREE_LARGE_TWO_SMALL;
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: ['a', 'b', 'c'], yes: ['a', 'b', 'c'] });
    expect(r).toMatchObject({ quorumByArea: true, quorumByHead: false, quorum: false, passed: false });
  });

  test('zero participation: no quorum, nothing passes, no division by zero', () => {
    const r = tallyArt278({ matter: 'major', owners: owners(4), participants: [], yes: [] });
    expect(r).toMatchObject({ participatingHeads: 0, participatingAreaHundredths: 0, quorum: false, passed: false });
    expect(r.passByArea).toBe(false);
    expect(r.passByHead).toBe(false);
  });

  test('no owners at all passes nothing', () => {
    expect(tallyArt278({ matter: 'ordinary', owners: [], participants: [], yes: [] })).toMatchObject({
      quorum: false,
      passed: false,
    });
  });
});

describe('tallyArt278 major matters (≥ 3/4 of participating area AND heads)', () => {
  test('exactly 3/4 by head and area passes', () => {
    const r = tallyArt278({ matter: 'major', owners: owners(4), participants: keys(0, 4), yes: keys(0, 3) });
    expect(r).toMatchObject({ passByHead: true, passByArea: true, passed: true, yesHeads: 3 });
  });

  test('just below 3/4 by area fails though heads reach 3/4', () => {
    const list = [...owners(3), { owner: 'big', areaHundredths: [10001] }];
    const r = tallyArt278({ matter: 'major', owners: list, participants: [...keys(0, 3), 'big'], yes: keys(0, 3) });
    expect(r.passByHead).toBe(true);
    expect(r.passByArea).toBe(false); // 30000/40001 < 3/4
    expect(r.passed).toBe(false);
  });

  test('just below 3/4 by head fails though area reaches 3/4', () => {
    // 5 participants, 3 yes (3/5 < 3/4) holding 90% of the area.
    const list = THREE_LARGE_TWO_SMALL;
    const all = ['a', 'b', 'c', 'd', 'e'];
    const r = tallyArt278({ matter: 'major', owners: list, participants: all, yes: ['a', 'b', 'c'] });
    expect(r).toMatchObject({ quorum: true, passByArea: true, passByHead: false, passed: false });
  });
});

describe('tallyArt278 ordinary matters (more than 1/2 — 过半数 excludes the bound)', () => {
  test('exactly 1/2 by head and area fails', () => {
    const r = tallyArt278({ matter: 'ordinary', owners: owners(4), participants: keys(0, 4), yes: keys(0, 2) });
    expect(r).toMatchObject({ quorum: true, passByHead: false, passByArea: false, passed: false });
  });

  test('exactly 1/2 by area fails even with a head majority', () => {
    const list = [...owners(3, 10000), { owner: 'big', areaHundredths: [30000] }];
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: [...keys(0, 3), 'big'], yes: keys(0, 3) });
    expect(r).toMatchObject({ passByHead: true, passByArea: false, passed: false });
  });

  test('one hundredth of a m² over half passes by area', () => {
    const list = [
      { owner: 'a', areaHundredths: [10001] },
      { owner: 'b', areaHundredths: [10000] },
      { owner: 'c', areaHundredths: [1] },
    ];
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: ['a', 'b', 'c'], yes: ['a', 'c'] });
    expect(r).toMatchObject({ passByArea: true, passByHead: true, passed: true, yesAreaHundredths: 10002 });
  });
});

describe('tallyArt278 owners, developers and abstentions', () => {
  test('an owner of several units counts once by head with all their area', () => {
    const list = [
      { owner: 'multi', areaHundredths: [10000, 10000, 10000] },
      { owner: 'x', areaHundredths: [10000] },
    ];
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: ['multi', 'x'], yes: ['multi'] });
    expect(r).toMatchObject({ totalHeads: 2, totalAreaHundredths: 40000, yesHeads: 1, yesAreaHundredths: 30000 });
    // By area 3/4 yes, by head exactly 1/2: 过半数 fails.
    expect(r).toMatchObject({ passByArea: true, passByHead: false, passed: false });
  });

  test('an owner listed once per unit is merged into one head', () => {
    const list = [
      { owner: 'multi', areaHundredths: [10000] },
      { owner: 'multi', areaHundredths: [10000] },
      { owner: 'x', areaHundredths: [10000] },
    ];
    const r = tallyArt278({ matter: 'ordinary', owners: list, participants: ['multi'], yes: ['multi'] });
    expect(r).toMatchObject({ totalHeads: 2, totalAreaHundredths: 30000, participatingAreaHundredths: 20000 });
  });

  test("the developer's unsold units count as one owner together", () => {
    const list = [...owners(3), { owner: 'developer', areaHundredths: [10000, 10000, 10000, 10000, 10000, 10000] }];
    const r = tallyArt278({ matter: 'major', owners: list, participants: keys(0, 3), yes: keys(0, 3) });
    expect(r.totalHeads).toBe(4);
    expect(r.quorumByHead).toBe(true); // 3 of 4 heads
    expect(r.quorumByArea).toBe(false); // 3 of 9 units' area
  });

  test('an abstention participates and is not a yes', () => {
    const all = keys(0, 4);
    const r = tallyArt278({ matter: 'major', owners: owners(4), participants: all, yes: keys(0, 2) });
    expect(r).toMatchObject({ participatingHeads: 4, yesHeads: 2, passed: false });
  });

  test('a yes voter participates even if not listed as a participant; unknown keys are ignored', () => {
    const r = tallyArt278({ matter: 'ordinary', owners: owners(3), participants: ['stranger'], yes: keys(0, 2) });
    expect(r).toMatchObject({ participatingHeads: 2, yesHeads: 2, quorum: true, passed: true });
  });
});

describe('tallyCounts (households)', () => {
  const yesNo = ['yes', 'no', 'abstain'];
  test('simple majority: exactly half is not a majority, abstentions count as cast', () => {
    const half = tallyCounts({
      rule: 'simple',
      quorumPercent: 0,
      eligible: 10,
      options: yesNo,
      choices: ['yes', 'abstain'],
    });
    expect(half).toMatchObject({ cast: 2, passed: false });
    const more = tallyCounts({
      rule: 'simple',
      quorumPercent: 0,
      eligible: 10,
      options: yesNo,
      choices: ['yes', 'yes', 'no'],
    });
    expect(more).toMatchObject({ cast: 3, counts: { yes: 2, no: 1, abstain: 0 }, passed: true });
  });

  test('two-thirds includes the bound', () => {
    const exact = tallyCounts({
      rule: 'two_thirds',
      quorumPercent: 0,
      eligible: 3,
      options: yesNo,
      choices: ['yes', 'yes', 'no'],
    });
    expect(exact.passed).toBe(true);
    const below = tallyCounts({
      rule: 'two_thirds',
      quorumPercent: 0,
      eligible: 5,
      options: yesNo,
      choices: ['yes', 'yes', 'no', 'abstain', 'yes', 'no'].slice(0, 5),
    });
    expect(below.passed).toBe(false); // 3 of 5 < 2/3
  });

  test('quorum is a percentage of eligible households, bound included', () => {
    const base = { rule: 'simple' as const, eligible: 10, options: yesNo };
    expect(tallyCounts({ ...base, quorumPercent: 50, choices: Array(5).fill('yes') }).quorum).toBe(true);
    expect(tallyCounts({ ...base, quorumPercent: 50, choices: Array(4).fill('yes') })).toMatchObject({
      quorum: false,
      passed: false,
    });
  });

  test('choices: the leading option wins with a majority; a tie for the lead decides nothing', () => {
    const options = ['c1', 'c2', 'c3'];
    const won = tallyCounts({ rule: 'simple', quorumPercent: 0, eligible: 5, options, choices: ['c2', 'c2', 'c1'] });
    expect(won).toMatchObject({ leading: 'c2', passed: true });
    const tie = tallyCounts({ rule: 'simple', quorumPercent: 0, eligible: 5, options, choices: ['c1', 'c2'] });
    expect(tie).toMatchObject({ leading: null, passed: false });
  });

  test('no ballots: nothing passes', () => {
    expect(tallyCounts({ rule: 'simple', quorumPercent: 0, eligible: 0, options: yesNo, choices: [] })).toMatchObject({
      cast: 0,
      passed: false,
    });
  });
});

describe('co-sign thresholds and stages', () => {
  test('max(3, 5% rounded up)', () => {
    expect(defaultCosignThreshold(0)).toBe(3);
    expect(defaultCosignThreshold(60)).toBe(3);
    expect(defaultCosignThreshold(61)).toBe(4);
    expect(defaultCosignThreshold(10000)).toBe(500);
  });

  test('stages are taken in order, none skipped', () => {
    expect(nextStage(defaultStages, 0)).toBe('党组织提议');
    expect(nextStage(defaultStages, 3)).toBe('居民代表会议决议');
    expect(nextStage(defaultStages, defaultStages.length)).toBeUndefined();
  });

  test('statuses map to the five steps', () => {
    expect(cycleStep('proposed')).toBe('民提');
    expect(cycleStep('agenda')).toBe('民议');
    expect(cycleStep('decided')).toBe('民决');
    expect(cycleStep('implementing')).toBe('民办');
    expect(cycleStep('completed')).toBe('民评');
  });
});
