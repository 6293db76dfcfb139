import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import type { Figures } from '../../shared/schemas/reports';
import { manualClock } from '../../server/clock';
import { buildDemoApp, place } from '../helpers/demo';
import { fileReport, move, photo } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Figures against a dataset computed by hand. Every report is filed and moved through the API at set times on
 * the app's clock, so the service itself decides what was answered and resolved on time; the figures then have
 * to agree with pencil and paper. The rows include answers and resolutions exactly at their deadlines, a
 * deadline that falls exactly at the moment the figures are computed, and reports overdue and still open, so
 * that `<` for `<=` or a wrong denominator changes a rate.
 */
const min = 60_000;
const hour = 60 * min;
const t0 = new Date('2026-06-10T10:00:00+08:00').getTime();
const now = new Date('2026-06-20T12:00:00+08:00');
const N = now.getTime();
const lastOfMay = new Date('2026-05-31T23:59:59.999+08:00');
let app: FastifyInstance;
const clock = manualClock(now);
let staff: LoggedIn;
let communityId: Types.ObjectId;
let grid1: Types.ObjectId;
let grid2: Types.ObjectId;

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  const [owner, volunteer, other, grid, property] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'volunteer'),
    loginDemo(app, 'other'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'property'),
  ]);
  staff = await loginDemo(app, 'staff');
  communityId = (await place(app, ['幸福里社区']))._id;
  const grids = await app.models.Grid.find({ communityId }).sort({ name: 1 }).lean();
  [grid1, grid2] = [grids[0]!._id, grids[1]!._id];

  type Move = [at: number, who: LoggedIn, action: string, payload?: object];
  /** Files a report at `at`, then makes each move at its own time; every step must succeed. */
  async function story(who: LoggedIn, category: string, at: number, moves: Move[] = []) {
    clock.set(new Date(at));
    const filed = await fileReport(app, who, { category, description: `${category} ${new Date(at).toISOString()}` });
    expect(filed.statusCode).toBe(201);
    for (const [when, actor, action, payload = {}] of moves) {
      clock.set(new Date(when));
      const extra = action === 'resolve' ? { note: '已处理', mediaIds: [await photo(app, actor)] } : {};
      const res = await move(app, actor, filed.json().id, action, { ...payload, ...extra });
      expect([action, res.statusCode]).toEqual([action, 200]);
    }
  }
  const toProperty = { assignee: { kind: 'property' } };
  const reject = { kind: 'invalid', note: '不属实' };
  // Deadlines: safety answered within 1 h and resolved within 24 h of acceptance; sanitation and facility
  // 8 h and 72 h; noise 8 h and 48 h.
  // R1 safety: answered after 30 min, resolved exactly at its resolve deadline (24 h after acceptance), rated 5.
  await story(owner, 'safety', t0, [
    [t0 + 30 * min, grid, 'accept'],
    [t0 + 31 * min, grid, 'assign', toProperty],
    [t0 + 30 * min + 24 * hour, property, 'resolve'],
    [t0 + 25 * hour, owner, 'confirm', { score: 5 }],
  ]);
  // R2 sanitation: answered after 10 h (late), resolved after 94 h (deadline 82 h: late), reopened, resolved again
  // and rated 3.
  await story(owner, 'sanitation', t0, [
    [t0 + 10 * hour, grid, 'accept'],
    [t0 + 11 * hour, grid, 'assign', toProperty],
    [t0 + 94 * hour, property, 'resolve'],
    [t0 + 95 * hour, owner, 'reopen', { note: '又堆上了' }],
    [t0 + 96 * hour, property, 'resolve'],
    [t0 + 97 * hour, owner, 'confirm', { score: 3 }],
  ]);
  // R3 noise: never answered, accept deadline long past: overdue now.
  await story(owner, 'noise', t0 + 24 * hour);
  // R4 sanitation: rejected exactly at its accept deadline.
  await story(owner, 'sanitation', t0 + 48 * hour, [[t0 + 56 * hour, grid, 'reject', reject]]);
  // R5 facility: answered after 2 h; its resolve deadline is still ahead.
  await story(owner, 'facility', N - 3 * hour, [
    [N - hour, grid, 'accept'],
    [N - hour, grid, 'assign', toProperty],
  ]);
  // R6 parking, 第二网格: rejected after 1 h.
  await story(volunteer, 'parking', t0, [[t0 + hour, staff, 'reject', reject]]);
  // R7 sanitation: never answered; its accept deadline is the moment the figures are computed.
  await story(owner, 'sanitation', N - 8 * hour);
  // R8 sanitation: answered after 1 h, never resolved, resolve deadline long past: overdue now.
  await story(owner, 'sanitation', t0 + 24 * hour, [
    [t0 + 25 * hour, grid, 'accept'],
    [t0 + 25 * hour, grid, 'assign', toProperty],
  ]);
  // R9 sanitation: filed an hour ago, not answered yet, within its deadline.
  await story(owner, 'sanitation', N - hour);
  // R10 sanitation: answered exactly at its accept deadline; its resolve deadline is the moment of the figures.
  await story(owner, 'sanitation', N - 80 * hour, [
    [N - 72 * hour, grid, 'accept'],
    [N - 72 * hour, grid, 'assign', toProperty],
  ]);
  // Just outside the range at either end, and in another community: none may count.
  await story(owner, 'safety', lastOfMay.getTime());
  await story(owner, 'safety', new Date('2026-07-01T00:00:00+08:00').getTime());
  await story(other, 'safety', t0);
  clock.set(now);
}, 60_000);
afterAll(() => app.close());

const iso = (ms: number) => new Date(ms).toISOString();
const figures = async (who: LoggedIn, extra = '') =>
  app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=2026-06-01T00:00:00%2B08:00&to=2026-07-01T00:00:00%2B08:00${extra}`,
    headers: who.headers,
  });

test('community figures match the hand computation', async () => {
  const res = await figures(staff);
  expect(res.statusCode).toBe(200);
  const f = res.json();
  expect(f.total).toBe(10);
  expect(f.byCategory).toEqual([
    { category: 'sanitation', name: '环境卫生', total: 6 },
    { category: 'facility', name: '设施损坏', total: 1 },
    { category: 'noise', name: '噪音扰民', total: 1 },
    { category: 'parking', name: '停车管理', total: 1 },
    { category: 'safety', name: '安全隐患', total: 1 },
  ]);
  expect(f.byState).toEqual({ closed: 2, submitted: 3, rejected: 2, assigned: 3 });
  // By category, then state, in that order.
  expect(f.byCategoryAndState).toEqual([
    { category: 'facility', state: 'assigned', count: 1 },
    { category: 'noise', state: 'submitted', count: 1 },
    { category: 'parking', state: 'rejected', count: 1 },
    { category: 'safety', state: 'closed', count: 1 },
    { category: 'sanitation', state: 'assigned', count: 2 },
    { category: 'sanitation', state: 'closed', count: 1 },
    { category: 'sanitation', state: 'rejected', count: 1 },
    { category: 'sanitation', state: 'submitted', count: 2 },
  ]);
  // Answered (R1, R2, R4, R5, R6, R8, R10) or at/past the first accept deadline unanswered (R3, R7): 9; R9 is
  // within its deadline. Answered by the deadline: all answered but R2, R4 and R10 exactly at it: 6.
  expect(f.responseRate).toEqual({ numerator: 6, denominator: 9, rate: 6 / 9 });
  // Resolved (R1, R2) or at/past the first resolve deadline unresolved (R8, R10): 4; R5's deadline is ahead.
  // Resolved by it: R1, exactly at it.
  expect(f.onTimeResolutionRate).toEqual({ numerator: 1, denominator: 4, rate: 1 / 4 });
  expect(f.satisfaction).toEqual({ rated: 2, mean: 4, shareAtLeast4: 1 / 2 });
  expect(f.reopenRate).toEqual({ numerator: 1, denominator: 2, rate: 1 / 2 });
  // Time to answer: 30, 600, 480, 120, 60, 60, 480 min → mean 1830/7; p90 is the 7th of 7.
  expect(f.timeToAccept.count).toBe(7);
  expect(f.timeToAccept.meanMinutes).toBeCloseTo(1830 / 7, 6);
  expect(f.timeToAccept.p90Minutes).toBe(600);
  // Time to first resolution: 24.5 h and 94 h → mean 59.25 h; p90 is the 2nd of 2.
  expect(f.timeToResolve).toEqual({ count: 2, meanMinutes: 59.25 * 60, p90Minutes: 94 * 60 });
  // Overdue now, soonest deadline first: R3 (accept) and R8 (resolve). R7 and R10 are due this very moment.
  expect(f.overdue).toEqual([
    expect.objectContaining({ category: 'noise', kind: 'accept', state: 'submitted', deadline: iso(t0 + 32 * hour) }),
    expect.objectContaining({
      category: 'sanitation',
      kind: 'resolve',
      state: 'assigned',
      deadline: iso(t0 + 97 * hour),
    }),
  ]);
});

test('a grid sees only its reports', async () => {
  const f = (await figures(staff, `&gridId=${grid2}`)).json();
  expect(f).toMatchObject({ total: 1, byState: { rejected: 1 }, responseRate: { numerator: 1, denominator: 1 } });
  // The grid worker of 第一网格 may see their own grid's figures, not the other grid's.
  const worker = await loginDemo(app, 'grid');
  expect((await figures(worker, `&gridId=${grid1}`)).json().total).toBe(9);
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

test('a range over millennia answers as any other: every report of the community, once', async () => {
  const res = await app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z`,
    headers: staff.headers,
  });
  expect(res.statusCode).toBe(200);
  const decades = await app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z`,
    headers: staff.headers,
  });
  const { from: _a, to: _b, ...same } = decades.json<Figures>();
  expect(res.json()).toMatchObject({ ...same, total: await app.models.Report.countDocuments({ communityId }) });
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
  // Each computation looks up the community's category names once.
  const computed = jest.spyOn(app.reports.categories, 'list');
  const { updatedAt: _stamped, ...template } = (await app.models.Report.findOne({
    communityId,
    createdAt: lastOfMay,
  }).lean())!;
  try {
    const [a, b] = await Promise.all([get(), get()]);
    expect(computed).toHaveBeenCalledTimes(1);
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
    expect(computed).toHaveBeenCalledTimes(2);
  } finally {
    computed.mockRestore();
    clock.set(now);
    await app.models.Report.deleteOne({ communityId, idempotencyKey: 'figures-april' });
  }
});

test('a range without reports has zero counts and no rates, durations or overdue reports', async () => {
  const res = await app.inject({
    url: `/api/reports/figures?communityId=${communityId}&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`,
    headers: staff.headers,
  });
  expect(res.json()).toMatchObject({
    total: 0,
    byCategory: [],
    byState: {},
    responseRate: { numerator: 0, denominator: 0, rate: null },
    onTimeResolutionRate: { numerator: 0, denominator: 0, rate: null },
    satisfaction: { rated: 0, mean: null, shareAtLeast4: null },
    reopenRate: { numerator: 0, denominator: 0, rate: null },
    timeToAccept: { count: 0, meanMinutes: null, p90Minutes: null },
    timeToResolve: { count: 0, meanMinutes: null, p90Minutes: null },
    overdue: [],
  });
});

test('a failed computation is not reused: the next request computes again', async () => {
  const url = `/api/reports/figures?communityId=${communityId}&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z`;
  const computed = jest.spyOn(app.reports.categories, 'list');
  try {
    computed.mockRejectedValueOnce(new Error('database went away'));
    expect((await app.inject({ url, headers: staff.headers })).statusCode).toBe(500);
    expect((await app.inject({ url, headers: staff.headers })).json()).toMatchObject({ total: 0 });
    expect(computed).toHaveBeenCalledTimes(2);
  } finally {
    computed.mockRestore();
  }
});

test('staff download the figures and the overdue ledger as CSV that Excel opens; residents may not', async () => {
  const range = `communityId=${communityId}&from=2026-06-01T00:00:00%2B08:00&to=2026-07-01T00:00:00%2B08:00`;
  const res = await app.inject({ url: `/api/reports/figures/export?${range}`, headers: staff.headers });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toBe('attachment; filename="report-figures-2026-06-01.csv"');
  const lines = res.body.split('\n');
  // A BOM first, so Excel reads UTF-8; China times.
  expect(lines[0]).toBe('\uFEFF随手拍统计,2026-06-01 00:00,2026-07-01 00:00');
  expect(lines).toEqual(
    expect.arrayContaining(['报事总数,10', '当前超期,2', '响应率,66.7%,6,9', '环境卫生,6', '环境卫生,已派单,2']),
  );
  const noise = (await figures(staff)).json<Figures>().overdue[0]!.id;
  expect(lines).toContain(`${noise},噪音扰民,受理超期,待受理,网格,2026-06-11 18:00`);

  // The deadline jobs escalate what is overdue; the ledger lists it, newest first.
  await app.jobs.runDue();
  const ledger = await app.inject({
    url: `/api/reports/overdue-ledger/export?communityId=${communityId}`,
    headers: staff.headers,
  });
  expect(ledger.headers['content-disposition']).toBe('attachment; filename="overdue-ledger.csv"');
  const rows = ledger.body.split('\n');
  expect(rows[0]).toBe('\uFEFF发现时间,报事编号,类别,超期类型,时限,原层级,升级至,当前状态');
  expect(rows).toContain(`2026-06-20 12:00,${noise},噪音扰民,受理超期,2026-06-11 18:00,网格,社区,待受理`);

  const owner = await loginDemo(app, 'owner');
  for (const url of [
    `/api/reports/figures/export?${range}`,
    `/api/reports/overdue-ledger/export?communityId=${communityId}`,
  ])
    expect((await app.inject({ url, headers: owner.headers })).statusCode).toBe(403);
});
