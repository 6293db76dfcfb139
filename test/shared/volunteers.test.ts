import {
  allowedOrderActions,
  creditedHalfHours,
  hoursText,
  nextOrderState,
  orderActions,
  orderStates,
  rankVolunteers,
  slotOf,
  starLevel,
  toNextStar,
  type OrderAction,
  type OrderActor,
  type OrderState,
  type SuggestionCandidate,
} from '../../shared/volunteers';

describe('the order state machine', () => {
  // Every allowed move: from, action, who, to. Everything not listed is refused.
  const table: [OrderState, OrderAction, OrderActor, OrderState][] = [
    ['ordered', 'dispatch', 'dispatcher', 'dispatched'],
    ['ordered', 'publish', 'dispatcher', 'open'],
    ['ordered', 'cancel', 'requester', 'cancelled'],
    ['ordered', 'cancel', 'dispatcher', 'cancelled'],
    ['dispatched', 'accept', 'volunteer', 'accepted'],
    ['dispatched', 'decline', 'volunteer', 'ordered'],
    ['dispatched', 'timeout', 'system', 'ordered'],
    ['dispatched', 'cancel', 'requester', 'cancelled'],
    ['dispatched', 'cancel', 'dispatcher', 'cancelled'],
    ['open', 'take', 'taker', 'accepted'],
    ['open', 'dispatch', 'dispatcher', 'dispatched'],
    ['open', 'cancel', 'requester', 'cancelled'],
    ['open', 'cancel', 'dispatcher', 'cancelled'],
    ['accepted', 'check_in', 'volunteer', 'in_service'],
    ['accepted', 'manual_hours', 'staff', 'completed'],
    ['accepted', 'cancel', 'requester', 'cancelled'],
    ['accepted', 'cancel', 'dispatcher', 'cancelled'],
    ['in_service', 'check_out', 'volunteer', 'completed'],
    ['in_service', 'manual_hours', 'staff', 'completed'],
    ['completed', 'rate', 'requester', 'rated'],
  ];
  const actors: OrderActor[] = ['requester', 'dispatcher', 'volunteer', 'taker', 'staff', 'system'];

  test.each(table)('%s --%s by %s--> %s', (from, action, by, to) => {
    expect(nextOrderState(from, action, [by])).toBe(to);
  });

  test('every other (state, action, actor) is refused', () => {
    for (const from of orderStates)
      for (const action of orderActions)
        for (const by of actors) {
          const allowed = table.some(([f, a, b]) => f === from && a === action && b === by);
          if (!allowed)
            expect([from, action, by, nextOrderState(from, action, [by])]).toEqual([from, action, by, null]);
        }
  });

  test('the buttons shown are the allowed moves (never the timeout)', () => {
    expect(allowedOrderActions('dispatched', ['volunteer'])).toEqual(['accept', 'decline']);
    expect(allowedOrderActions('dispatched', ['system'])).toEqual([]);
    expect(allowedOrderActions('ordered', ['dispatcher'])).toEqual(['dispatch', 'publish', 'cancel']);
    expect(allowedOrderActions('rated', actors)).toEqual([]);
  });
});

describe('hours: the rounding rule at every boundary', () => {
  test.each([
    [0, 0],
    [1, 0],
    [14, 0],
    [15, 1],
    [16, 1],
    [44, 1],
    [45, 2],
    [46, 2],
    [59, 2],
    [60, 2],
    [61, 2],
    [74, 2],
    [75, 3],
    [104, 3],
    [105, 4],
    [120, 4],
    [135, 5],
    [-5, 0],
    [Number.NaN, 0],
  ])('%d minutes → %d half-hours', (minutes, halfHours) => {
    expect(creditedHalfHours(minutes)).toBe(halfHours);
  });

  test('hours read as people write them', () => {
    expect([hoursText(0), hoursText(1), hoursText(2), hoursText(-3)]).toEqual(['0', '0.5', '1', '-1.5']);
  });
});

describe('star levels at 100 / 300 / 600 / 1000 / 1500 hours', () => {
  test.each([
    [0, 0, 200],
    [199, 0, 1],
    [200, 1, 400],
    [599, 1, 1],
    [600, 2, 600],
    [1199, 2, 1],
    [1200, 3, 800],
    [2000, 4, 1000],
    [2999, 4, 1],
    [3000, 5, null],
    [-2, 0, 202],
  ])('%d half-hours → %d stars, %s to the next', (halfHours, stars, next) => {
    expect(starLevel(halfHours)).toBe(stars);
    expect(toNextStar(halfHours)).toBe(next);
  });
});

describe('suggestions', () => {
  const estate = 'e1';
  // Wednesday 2026-12-02, 10:00 in Beijing (02:00 UTC): a morning.
  const order = {
    kind: 'repairs' as const,
    places: ['c1', estate, 'b1', 'u1'],
    windowStart: new Date('2026-12-02T02:00:00Z'),
  };
  const base: Omit<SuggestionCandidate, 'id'> = {
    skills: ['repairs'],
    areaIds: [estate],
    availability: [{ day: 3, part: 'morning' }],
    load: 0,
    ratingSum: 0,
    ratingCount: 0,
  };

  test('the window falls in a weekday and part of the day, China time', () => {
    expect(slotOf(order.windowStart)).toEqual({ day: 3, part: 'morning' });
    expect(slotOf(new Date('2026-12-02T16:00:00Z'))).toBeNull(); // midnight
  });

  test('ranked by skill, area, availability, load and rating, each with its reasons', () => {
    const ranked = rankVolunteers(order, [
      { ...base, id: 'wrong-skill', skills: ['tutoring'] },
      { ...base, id: 'busy', load: 3, ratingSum: 25, ratingCount: 5 },
      { ...base, id: 'perfect', ratingSum: 24, ratingCount: 5 },
      { ...base, id: 'elsewhere', areaIds: ['e2'] },
      { ...base, id: 'evenings', availability: [{ day: 3, part: 'evening' }] },
      { ...base, id: 'unrated' },
    ]);
    expect(ranked.map((s) => [s.id, s.score])).toEqual([
      ['perfect', 99],
      ['unrated', 85],
      ['busy', 76],
      ['evenings', 65],
      ['elsewhere', 60],
      ['wrong-skill', 45],
    ]);
    expect(ranked[0]!.reasons).toEqual([
      '擅长小修小补',
      '在服务片区内',
      '周三上午有空',
      '手上没有在办订单',
      '评分 4.8（5 次）',
    ]);
    expect(ranked[2]!.reasons).toContain('手上有 3 单在办');
    expect(ranked[3]!.reasons).toContain('该时段未登记有空');
    expect(ranked[4]!.reasons).toContain('不在服务片区');
    expect(ranked[5]!.reasons[0]).toBe('不擅长小修小补');
  });

  test('ties keep the order given; load costs at most 24 points', () => {
    const ranked = rankVolunteers(order, [
      { ...base, id: 'a', load: 9 },
      { ...base, id: 'b', load: 3 },
    ]);
    expect(ranked.map((s) => [s.id, s.score])).toEqual([
      ['a', 61],
      ['b', 61],
    ]);
  });
});
