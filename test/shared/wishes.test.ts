import {
  autoConfirmsAt,
  availableActions,
  beneficiaryLabel,
  claimantTypesOf,
  DEFAULT_WISH_SETTINGS,
  honourName,
  isDue,
  lapsesAt,
  mayMessage,
  mayTake,
  wantedByLabel,
  wishActions,
  wishParties,
  wishProblem,
  wishStates,
  type WishAction,
  type WishParty,
  type WishState,
} from '../../shared/wishes';

/**
 * The expected state machine, written out by hand: in each state, which move each single party may make.
 * Two exceptions hold across it: an owner never claims (their own wish), a claimant never confirms or
 * disputes (their own fulfilment), whatever other part they also play.
 */
const table: Record<WishState, Partial<Record<WishAction, WishParty[]>>> = {
  pending: { publish: ['staff'], return: ['staff'], reject: ['staff'], withdraw: ['owner', 'staff'] },
  returned: { resubmit: ['owner'], withdraw: ['owner', 'staff'] },
  rejected: {},
  published: { withdraw: ['owner', 'staff'], claim: ['eligible'] },
  claimed: { release: ['claimant'], lapse: ['system'], fulfil: ['claimant'] },
  fulfilled: { confirm: ['owner'], dispute: ['owner'], auto_confirm: ['system'] },
  disputed: { settle: ['staff'], reopen: ['staff'] },
  confirmed: {},
  withdrawn: {},
};

/** Every combination of parties, the empty one included (32). */
const combinations: WishParty[][] = Array.from({ length: 1 << wishParties.length }, (_, mask) =>
  wishParties.filter((_, i) => mask & (1 << i)),
);

function expected(action: WishAction, state: WishState, parties: WishParty[]): boolean {
  if (action === 'claim' && parties.includes('owner')) return false;
  if ((action === 'confirm' || action === 'dispute') && parties.includes('claimant')) return false;
  return (table[state][action] ?? []).some((p) => parties.includes(p));
}

describe('the state machine', () => {
  test('every party combination × state × action matches the table', () => {
    const wrong: string[] = [];
    for (const state of wishStates)
      for (const action of wishActions)
        for (const parties of combinations)
          if (mayTake(action, state, parties) !== expected(action, state, parties))
            wrong.push(`${parties.join('+') || 'nobody'} ${action} in ${state}`);
    expect(combinations).toHaveLength(32);
    expect(wrong).toEqual([]);
  });

  test('the moves offered: never a system move, in the order of wishActions', () => {
    expect(availableActions('pending', ['staff'])).toEqual(['publish', 'return', 'reject', 'withdraw']);
    expect(availableActions('claimed', ['system', 'claimant'])).toEqual(['release', 'fulfil']);
    expect(availableActions('fulfilled', ['owner', 'staff'])).toEqual(['confirm', 'dispute']);
    expect(availableActions('fulfilled', ['system'])).toEqual([]);
    expect(availableActions('published', ['owner', 'eligible'])).toEqual(['withdraw']);
    expect(availableActions('published', ['eligible'])).toEqual(['claim']);
    for (const state of wishStates)
      for (const parties of combinations) {
        const offered = availableActions(state, parties);
        expect(offered.filter((a) => a === 'lapse' || a === 'auto_confirm')).toEqual([]);
      }
  });

  test('messages pass between the owner side and the claimant while a claim stands', () => {
    for (const state of wishStates)
      for (const parties of combinations) {
        const standing = ['claimed', 'fulfilled', 'disputed'].includes(state);
        const side = parties.includes('owner') || parties.includes('claimant');
        expect([state, parties, mayMessage(state, parties)]).toEqual([state, parties, standing && side]);
      }
  });
});

describe('deadlines', () => {
  const claimedAt = new Date('2027-03-10T02:00:00Z');
  test('a claim lapses exactly claimLapseDays later, due at that moment and not a millisecond before', () => {
    const at = lapsesAt(claimedAt, DEFAULT_WISH_SETTINGS);
    expect(at.toISOString()).toBe('2027-03-17T02:00:00.000Z');
    expect(isDue(at, new Date(at.getTime() - 1))).toBe(false);
    expect(isDue(at, at)).toBe(true);
    expect(lapsesAt(claimedAt, { ...DEFAULT_WISH_SETTINGS, claimLapseDays: 1 }).toISOString()).toBe(
      '2027-03-11T02:00:00.000Z',
    );
  });

  test('a fulfilment confirms itself exactly autoConfirmDays later', () => {
    const at = autoConfirmsAt(claimedAt, { ...DEFAULT_WISH_SETTINGS, autoConfirmDays: 3 });
    expect(at.toISOString()).toBe('2027-03-13T02:00:00.000Z');
    expect(isDue(at, new Date(at.getTime() - 1))).toBe(false);
    expect(isDue(at, new Date(at.getTime() + 1))).toBe(true);
  });

  test('wanted-by dates count in China time', () => {
    // 23:30 UTC on the 9th is already the 10th in Beijing.
    const now = new Date('2027-03-09T23:30:00Z');
    expect(wantedByLabel('2027-03-10', now)).toBe('今天截止');
    expect(wantedByLabel('2027-03-11', now)).toBe('明天截止');
    expect(wantedByLabel('2027-03-15', now)).toBe('还剩5天');
    expect(wantedByLabel('2027-03-09', now)).toBe('已过期望日期');
  });
});

describe('wishProblem', () => {
  const now = new Date('2027-03-10T02:00:00Z');
  test('the value cap is inclusive; a date today is fine, yesterday is not', () => {
    expect(wishProblem({ valueYuan: 300, wantedBy: '2027-03-10' }, DEFAULT_WISH_SETTINGS, now)).toBeNull();
    expect(wishProblem({ valueYuan: 301, wantedBy: '2027-03-10' }, DEFAULT_WISH_SETTINGS, now)).toEqual({
      code: 'WISH_VALUE_TOO_HIGH',
      message: '心愿价值不能超过300元',
    });
    expect(wishProblem({ valueYuan: 1, wantedBy: '2027-03-09' }, DEFAULT_WISH_SETTINGS, now)?.code).toBe(
      'WISH_DATE_PAST',
    );
    expect(
      wishProblem({ valueYuan: 450, wantedBy: '2027-04-01' }, { ...DEFAULT_WISH_SETTINGS, maxValueYuan: 500 }, now),
    ).toBeNull();
  });
});

describe('privacy labels', () => {
  test('a masked name with the building only with consent, else only the kind of neighbour', () => {
    const base = { kind: 'elderly_alone' as const, name: '孙桂英', buildingName: '3栋' };
    expect(beneficiaryLabel({ ...base, consent: true })).toBe('3栋 孙**');
    expect(beneficiaryLabel({ ...base, consent: true, buildingName: null })).toBe('孙**');
    expect(beneficiaryLabel({ ...base, consent: false })).toBe('一位独居老人');
    expect(beneficiaryLabel({ ...base, consent: false, kind: 'low_income' })).toBe('一户低收入家庭');
    expect(beneficiaryLabel({ ...base, consent: false, kind: 'child' })).not.toContain('孙');
  });

  test('the roll of honour names a claimant only with consent', () => {
    expect(honourName({ type: 'volunteer', name: '吴志愿', consent: true })).toBe('吴志愿');
    expect(honourName({ type: 'party_member', name: '吴志愿', consent: false })).toBe('一位党员');
  });

  test('claimant types follow badges and organisation membership', () => {
    expect(claimantTypesOf([], 0)).toEqual([]);
    expect(claimantTypesOf(['volunteer', 'party_member'], 0)).toEqual(['party_member', 'volunteer']);
    expect(claimantTypesOf(['volunteer'], 2)).toEqual(['volunteer', 'organisation']);
  });
});
