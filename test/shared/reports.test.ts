import {
  acceptDeadline,
  allowedActions,
  defaultCategories,
  distanceMeters,
  escalated,
  nextState,
  resolveDeadline,
  type ReportAction,
  type ReportActor,
  type ReportState,
} from '../../shared/reports';

const states: ReportState[] = ['submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'resolved', 'closed'];
const actions: ReportAction[] = ['accept', 'reject', 'assign', 'start', 'resolve', 'confirm', 'reopen', 'auto_close'];
const actors: ReportActor[] = ['reporter', 'dispatcher', 'handler', 'system'];

/** The whole machine, written out: state → action → who may → next state. Everything else is refused. */
const expected: Record<string, ReportState> = {
  'submitted accept dispatcher': 'accepted',
  'submitted reject dispatcher': 'rejected',
  'accepted assign dispatcher': 'assigned',
  'assigned assign dispatcher': 'assigned',
  'assigned start handler': 'in_progress',
  'assigned resolve handler': 'resolved',
  'in_progress assign dispatcher': 'assigned',
  'in_progress resolve handler': 'resolved',
  'resolved confirm reporter': 'closed',
  'resolved reopen reporter': 'assigned',
  'resolved auto_close system': 'closed',
};

describe('the report state machine, every state × action × role', () => {
  const cases = states.flatMap((state) =>
    actions.flatMap((action) => actors.map((actor) => [state, action, actor] as const)),
  );
  test.each(cases)('%s · %s by %s', (state, action, actor) => {
    expect(nextState(state, action, [actor])).toBe(expected[`${state} ${action} ${actor}`]);
  });

  test('closed and rejected are final', () => {
    expect(allowedActions('closed', actors)).toEqual([]);
    expect(allowedActions('rejected', actors)).toEqual([]);
  });

  test('someone with several roles gets the union of their moves', () => {
    expect(allowedActions('assigned', ['dispatcher', 'handler'])).toEqual(['assign', 'start', 'resolve']);
    expect(allowedActions('resolved', ['reporter'])).toEqual(['confirm', 'reopen']);
  });
});

describe('deadlines and graded response', () => {
  const safety = defaultCategories.find((c) => c.code === 'safety')!;
  const dispute = defaultCategories.find((c) => c.code === 'dispute')!;

  test('safety hazards: accept within 1 h of submission, resolve within 24 h of acceptance', () => {
    const submitted = new Date('2026-11-22T10:00:00+08:00');
    expect(acceptDeadline(safety, submitted).toISOString()).toBe('2026-11-22T03:00:00.000Z');
    expect(resolveDeadline(safety, new Date('2026-11-22T10:30:00+08:00')).toISOString()).toBe(
      '2026-11-23T02:30:00.000Z',
    );
  });

  test('the shipped categories match the policy', () => {
    const table = Object.fromEntries(
      defaultCategories.map((c) => [
        c.code,
        [c.acceptWithinMinutes / 60, c.resolveWithinMinutes / 60, c.handler, c.privateByDefault],
      ]),
    );
    expect(table).toEqual({
      safety: [1, 24, 'grid_worker', false],
      sanitation: [8, 72, 'property', false],
      facility: [8, 72, 'property', false],
      parking: [8, 72, 'property', false],
      noise: [8, 48, 'grid_worker', false],
      dispute: [24, 168, 'mediator', true],
      other: [8, 72, 'staff', false],
    });
    expect(dispute.duplicateRadiusMeters).toBe(0);
  });

  test('a missed deadline goes one level up, and the street is the top', () => {
    expect(escalated('grid')).toBe('community');
    expect(escalated('community')).toBe('street');
    expect(escalated('street')).toBe('street');
  });

  test('distances on the ground', () => {
    expect(distanceMeters([116.397, 39.909], [116.397, 39.909])).toBe(0);
    // 0.001° of latitude is about 111 m.
    expect(Math.round(distanceMeters([116.397, 39.909], [116.397, 39.91]))).toBe(111);
    expect(Math.round(distanceMeters([116.397, 39.909], [116.3975, 39.909]))).toBe(43);
  });
});
