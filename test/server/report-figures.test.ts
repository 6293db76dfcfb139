import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { manualClock } from '../../server/clock';
import { buildDemoApp, place } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Figures against a dataset computed by hand. Reports are written directly with known timestamps, as the
 * moves would have left them, so every rate below can be checked with pencil and paper.
 */
const min = 60_000;
const hour = 60 * min;
const t0 = new Date('2026-06-10T10:00:00+08:00').getTime();
const now = new Date('2026-06-20T12:00:00+08:00');
let app: FastifyInstance;
const clock = manualClock(now);
let staff: LoggedIn;
let communityId: Types.ObjectId;
let grid1: Types.ObjectId;
let grid2: Types.ObjectId;

interface Row {
  key: string;
  category: string;
  state: string;
  grid: 1 | 2;
  created: number;
  firstAcceptBy: number;
  respondedAt?: number;
  firstResolveBy?: number;
  firstResolvedAt?: number;
  rating?: number;
  reopenCount?: number;
  acceptBy?: number;
  resolveBy?: number;
}

// R1 safety: answered in 30 min (deadline 1 h), resolved in 23 h (deadline 24 h after acceptance), rated 5.
// R2 sanitation: answered after 10 h (deadline 8 h), resolved 94 h after submission (deadline 10 h + 72 h), rated 3, reopened once.
// R3 noise: never answered, accept deadline long past: overdue now.
// R4 sanitation: rejected after 20 min.
// R5 facility: answered after 2 h, resolve deadline still in the future, not resolved.
// R6 parking (grid 2): answered after 1 h, resolved 50 h after submission (deadline 1 h + 72 h), rated 4.
const rows: Row[] = [
  {
    key: 'R1',
    category: 'safety',
    state: 'closed',
    grid: 1,
    created: t0,
    firstAcceptBy: t0 + hour,
    respondedAt: t0 + 30 * min,
    firstResolveBy: t0 + 30 * min + 24 * hour,
    firstResolvedAt: t0 + 23 * hour,
    rating: 5,
  },
  {
    key: 'R2',
    category: 'sanitation',
    state: 'closed',
    grid: 1,
    created: t0,
    firstAcceptBy: t0 + 8 * hour,
    respondedAt: t0 + 10 * hour,
    firstResolveBy: t0 + 82 * hour,
    firstResolvedAt: t0 + 94 * hour,
    rating: 3,
    reopenCount: 1,
  },
  {
    key: 'R3',
    category: 'noise',
    state: 'submitted',
    grid: 1,
    created: t0 + 24 * hour,
    firstAcceptBy: t0 + 32 * hour,
    acceptBy: t0 + 32 * hour,
  },
  {
    key: 'R4',
    category: 'sanitation',
    state: 'rejected',
    grid: 1,
    created: t0 + 48 * hour,
    firstAcceptBy: t0 + 56 * hour,
    respondedAt: t0 + 48 * hour + 20 * min,
  },
  {
    key: 'R5',
    category: 'facility',
    state: 'assigned',
    grid: 1,
    created: now.getTime() - 3 * hour,
    firstAcceptBy: now.getTime() + 5 * hour,
    respondedAt: now.getTime() - hour,
    firstResolveBy: now.getTime() + 71 * hour,
    resolveBy: now.getTime() + 71 * hour,
  },
  {
    key: 'R6',
    category: 'parking',
    state: 'closed',
    grid: 2,
    created: t0,
    firstAcceptBy: t0 + 8 * hour,
    respondedAt: t0 + hour,
    firstResolveBy: t0 + 73 * hour,
    firstResolvedAt: t0 + 50 * hour,
    rating: 4,
  },
];

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  staff = await loginDemo(app, 'staff');
  const community = await place(app, ['幸福里社区']);
  const unit = await place(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  communityId = community._id;
  const grids = await app.models.Grid.find({ communityId }).sort({ name: 1 }).lean();
  [grid1, grid2] = [grids[0]!._id, grids[1]!._id];
  const reporter = new Types.ObjectId(staff.me.id);
  const d = (ms?: number) => (ms === undefined ? null : new Date(ms));
  const base = (row: Row) => ({
    communityId,
    nodeId: unit._id,
    ancestors: [...unit.ancestors, unit._id],
    gridId: row.grid === 1 ? grid1 : grid2,
    reporterId: reporter,
    idempotencyKey: `figures-${row.key}`,
    priority: 'normal' as const,
    description: row.key,
  });
  await app.models.Report.insertMany([
    ...rows.map((row) => ({
      ...base(row),
      category: row.category,
      state: row.state,
      createdAt: new Date(row.created),
      firstAcceptBy: new Date(row.firstAcceptBy),
      acceptBy: d(row.acceptBy),
      resolveBy: d(row.resolveBy),
      respondedAt: d(row.respondedAt),
      respondedOnTime: row.respondedAt === undefined ? null : row.respondedAt <= row.firstAcceptBy,
      firstResolveBy: d(row.firstResolveBy),
      firstResolvedAt: d(row.firstResolvedAt),
      resolvedOnTime: row.firstResolvedAt === undefined ? null : row.firstResolvedAt <= row.firstResolveBy!,
      rating: row.rating ? { score: row.rating, comment: '' } : null,
      reopenCount: row.reopenCount ?? 0,
    })),
    // Outside the range, and in another community: neither may count.
    {
      ...base(rows[0]!),
      idempotencyKey: 'figures-old',
      category: 'safety',
      createdAt: new Date('2026-05-01T10:00:00+08:00'),
      firstAcceptBy: new Date('2026-05-01T11:00:00+08:00'),
      rating: { score: 1, comment: '' },
    },
  ]);
  const other = await place(app, ['和美社区']);
  await app.models.Report.insertMany({
    ...base(rows[0]!),
    communityId: other._id,
    idempotencyKey: 'figures-other',
    category: 'safety',
    createdAt: new Date(t0),
    firstAcceptBy: new Date(t0),
    rating: { score: 1, comment: '' },
  });
});
afterAll(() => app.close());

const figures = async (who: LoggedIn, extra = '') =>
  app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=2026-06-01T00:00:00%2B08:00&to=2026-07-01T00:00:00%2B08:00${extra}`,
    headers: who.headers,
  });

test('community figures match the hand computation', async () => {
  const res = await figures(staff);
  expect(res.statusCode).toBe(200);
  const f = res.json();
  expect(f.total).toBe(6);
  expect(f.byCategory).toEqual([
    { category: 'sanitation', name: '环境卫生', total: 2 },
    { category: 'facility', name: '设施损坏', total: 1 },
    { category: 'noise', name: '噪音扰民', total: 1 },
    { category: 'parking', name: '停车管理', total: 1 },
    { category: 'safety', name: '安全隐患', total: 1 },
  ]);
  expect(f.byState).toEqual({ closed: 3, submitted: 1, rejected: 1, assigned: 1 });
  // Answered or past the first accept deadline: all 6. Answered by it: R1, R4, R5, R6.
  expect(f.responseRate).toEqual({ numerator: 4, denominator: 6, rate: 4 / 6 });
  // Resolved or past the first resolve deadline: R1, R2, R6 (R5's deadline is still ahead). On time: R1, R6.
  expect(f.onTimeResolutionRate).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
  expect(f.satisfaction).toEqual({ rated: 3, mean: 4, shareAtLeast4: 2 / 3 });
  expect(f.reopenRate).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  // Time to answer: 30, 600, 20, 120, 60 min → mean 166; p90 is the 5th of 5.
  expect(f.timeToAccept).toEqual({ count: 5, meanMinutes: 166, p90Minutes: 600 });
  // Time to resolve: 23 h, 94 h, 50 h → mean 55.67 h; p90 is the 3rd of 3.
  expect(f.timeToResolve.count).toBe(3);
  expect(f.timeToResolve.meanMinutes).toBeCloseTo((23 + 94 + 50) * 20, 6);
  expect(f.timeToResolve.p90Minutes).toBe(94 * 60);
  expect(f.overdue).toEqual([expect.objectContaining({ category: 'noise', kind: 'accept', state: 'submitted' })]);
});

test('a grid sees only its reports', async () => {
  const f = (await figures(staff, `&gridId=${grid2}`)).json();
  expect(f).toMatchObject({ total: 1, byState: { closed: 1 }, satisfaction: { rated: 1, mean: 4 } });
  // The grid worker of 第一网格 may see their own grid's figures, not the other grid's.
  const worker = await loginDemo(app, 'grid');
  expect((await figures(worker, `&gridId=${grid1}`)).json().total).toBe(5);
  expect((await figures(worker, `&gridId=${grid2}`)).statusCode).toBe(403);
  expect((await figures(worker)).statusCode).toBe(403);
  // /me names the grid, so the mini-program can ask for it; the ledger follows the same rule.
  expect(worker.me.roles).toContainEqual(expect.objectContaining({ role: 'grid_worker', gridId: String(grid1) }));
  const ledger = (grid: Types.ObjectId) =>
    app.inject({
      url: `/api/reports/overdue-ledger?communityId=${communityId}&gridId=${grid}`,
      headers: worker.headers,
    });
  expect((await ledger(grid1)).statusCode).toBe(200);
  expect((await ledger(grid2)).statusCode).toBe(403);
});

test('residents may not see figures; a reversed range is a 400', async () => {
  expect((await figures(await loginDemo(app, 'owner'))).statusCode).toBe(403);
  const reversed = await app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=2026-07-01T00:00:00Z&to=2026-06-01T00:00:00Z`,
    headers: staff.headers,
  });
  expect(reversed.statusCode).toBe(400);
});

test('figures are computed once for concurrent requests and reused for a minute, then recomputed', async () => {
  const url = `/api/reports/figures?communityId=${communityId}&from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z`;
  const get = async () =>
    (await app.inject({ url, headers: staff.headers })).json<{ total: number; computedAt: string }>();
  const aggregate = jest.spyOn(app.models.Report, 'aggregate');
  const template = await app.models.Report.findOne({ communityId, idempotencyKey: 'figures-old' }).lean();
  try {
    const [a, b] = await Promise.all([get(), get()]);
    expect(aggregate).toHaveBeenCalledTimes(1);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ total: 0, computedAt: now.toISOString() });

    await app.models.Report.insertMany({
      ...template,
      _id: new Types.ObjectId(),
      idempotencyKey: 'figures-april',
      createdAt: new Date('2026-04-10T10:00:00Z'),
    });
    clock.advance(59_000);
    expect((await get()).total).toBe(0);
    clock.advance(1_000);
    expect(await get()).toMatchObject({ total: 1, computedAt: new Date(now.getTime() + 60_000).toISOString() });
    expect(aggregate).toHaveBeenCalledTimes(2);
  } finally {
    aggregate.mockRestore();
    clock.set(now);
    await app.models.Report.deleteOne({ communityId, idempotencyKey: 'figures-april' });
  }
});
