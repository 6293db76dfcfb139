import type { FastifyInstance } from 'fastify';
import type { Types } from 'mongoose';
import { manualClock } from '../../server/clock';
import { nextQuietHour } from '../../server/modules/jobs/runner';
import type { Report } from '../../server/modules/reports/model';
import { createFigures } from '../../server/modules/reports/figures';
import { createRollups, dayStart } from '../../server/modules/reports/rollups';
import { defaultCategories, OPEN_STATES, type ReportState } from '../../shared/reports';
import type { Figures } from '../../shared/schemas/reports';
import { buildDemoApp, place } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Figures come from per-day rollups for whole days and from the reports themselves for the rest. Here random
 * reports spread over two months (many at a China midnight, give or take a millisecond) are compared with
 * figures computed in the test straight from every raw report, for several ranges, per community and per grid;
 * then again after reports move, after time passes (deadlines falling due) and after the clock goes back.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = new Date('2026-08-20T09:30:00+08:00');
const clock = manualClock(now);
let app: FastifyInstance;
let staff: LoggedIn;
let communityId: Types.ObjectId;
let gridIds: Types.ObjectId[];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(17);
const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
const STATES: ReportState[] = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected'];

/** Fields a report has after the moves that brought it to `state`, at random times. */
function story(created: Date, state: ReportState) {
  const at = (from: Date, upTo: number) => new Date(from.getTime() + Math.floor(rnd() * upTo));
  const firstAcceptBy = at(created, 48 * HOUR);
  const respondedAt = state === 'submitted' ? null : at(created, 72 * HOUR);
  const firstResolveBy = respondedAt ? at(created, 5 * DAY) : null;
  const resolved = state === 'resolved' || state === 'closed';
  const firstResolvedAt = resolved ? at(created, 6 * DAY) : null;
  const open = OPEN_STATES.includes(state) && state !== 'resolved';
  const acceptBy = state === 'submitted' ? firstAcceptBy : null;
  const resolveBy = open && state !== 'submitted' ? firstResolveBy : null;
  const waiting = acceptBy ?? resolveBy;
  // (A deadline, missed or not, is never before the report was filed.)
  const overdueSince =
    waiting && rnd() < 0.2
      ? new Date(waiting.getTime() - Math.floor(rnd() * (waiting.getTime() - created.getTime())))
      : null;
  return {
    state,
    firstAcceptBy,
    respondedAt,
    respondedOnTime: respondedAt ? respondedAt <= firstAcceptBy : null,
    firstResolveBy,
    firstResolvedAt,
    resolvedOnTime: firstResolvedAt ? firstResolvedAt <= firstResolveBy! : null,
    rating: state === 'closed' && rnd() < 0.8 ? { score: 1 + Math.floor(rnd() * 5), comment: '' } : null,
    reopenCount: resolved && rnd() < 0.2 ? 1 : 0,
    acceptBy,
    resolveBy,
    // Some were escalated for a missed deadline: overdue since then, though the next level has a fresh one.
    overdueSince,
    dueAt: overdueSince ?? acceptBy ?? resolveBy,
  };
}

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  staff = await loginDemo(app, 'staff');
  const community = await place(app, ['幸福里社区']);
  communityId = community._id;
  gridIds = (await app.models.Grid.find({ communityId }).lean()).map((g) => g._id);
  const unit = await app.models.Node.findOne({ communityId, kind: 'unit' }).lean();
  const reporter = await app.models.User.findOne({ openid: 'demo-owner' }).lean();
  const start = new Date('2026-06-15T00:00:00+08:00').getTime();
  const docs = Array.from({ length: 1500 }, (_, i) => {
    // One in five at a China midnight (16:00 UTC), a millisecond either side or on it.
    const day = start + Math.floor(rnd() * 66) * DAY;
    const created = new Date(
      i % 5 === 0 ? day + pick([-1, 0, 1]) : start + Math.floor(rnd() * (now.getTime() - start)),
    );
    const category = pick(defaultCategories);
    return {
      communityId,
      nodeId: unit!._id,
      ancestors: [...unit!.ancestors, unit!._id],
      gridId: pick([...gridIds, null]),
      reporterId: reporter!._id,
      idempotencyKey: `rollup-${i}`,
      category: category.code,
      priority: category.priority,
      description: '随机的上报',
      createdAt: created,
      ...story(created, pick(STATES)),
    };
  });
  await app.models.Report.insertMany(docs);
}, 60_000);
afterAll(() => app.close());

/** The figures as the definitions say, from every raw report of the range. */
async function expected(gridId: Types.ObjectId | null, from: Date, to: Date): Promise<Omit<Figures, 'computedAt'>> {
  const at = clock.now();
  const all = await app.models.Report.find({ communityId, ...(gridId ? { gridId } : {}) }).lean<Report[]>();
  const rows = all.filter((r) => r.createdAt >= from && r.createdAt < to);
  const names = new Map((await app.reports.categories.list(communityId)).map((c) => [c.code, c.name]));
  const count = (f: (r: Report) => boolean) => rows.filter(f).length;
  const rate = (numerator: number, denominator: number) => ({
    numerator,
    denominator,
    rate: denominator ? numerator / denominator : null,
  });
  const durations = (field: 'respondedAt' | 'firstResolvedAt') => {
    const ms = rows.filter((r) => r[field]).map((r) => r[field]!.getTime() - r.createdAt.getTime());
    ms.sort((a, b) => a - b);
    return ms.length
      ? {
          count: ms.length,
          meanMinutes: ms.reduce((a, b) => a + b, 0) / ms.length / MIN,
          p90Minutes: ms[Math.ceil(ms.length * 0.9) - 1]! / MIN,
        }
      : { count: 0, meanMinutes: null, p90Minutes: null };
  };
  const tally = (key: (r: Report) => string) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const rated = rows.filter((r) => (r.rating?.score ?? 0) >= 1);
  const overdue = rows
    .filter((r) => r.dueAt && r.dueAt < at)
    .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || String(a._id).localeCompare(String(b._id)))
    .slice(0, 100);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: rows.length,
    byCategory: [...tally((r) => r.category)]
      .map(([category, total]) => ({ category, name: names.get(category)!, total }))
      .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
    byState: Object.fromEntries(tally((r) => r.state)),
    byCategoryAndState: [...tally((r) => `${r.category} ${r.state}`)]
      .map(([key, n]) => ({ category: key.split(' ')[0]!, state: key.split(' ')[1]!, count: n }))
      .sort((a, b) => a.category.localeCompare(b.category) || a.state.localeCompare(b.state)),
    responseRate: rate(
      count((r) => r.respondedOnTime === true),
      count((r) => !!r.respondedAt || r.firstAcceptBy <= at),
    ),
    onTimeResolutionRate: rate(
      count((r) => r.resolvedOnTime === true),
      count((r) => !!r.firstResolvedAt || (!!r.firstResolveBy && r.firstResolveBy <= at)),
    ),
    satisfaction: rated.length
      ? {
          rated: rated.length,
          mean: rated.reduce((a, r) => a + r.rating!.score!, 0) / rated.length,
          shareAtLeast4: rated.filter((r) => r.rating!.score! >= 4).length / rated.length,
        }
      : { rated: 0, mean: null, shareAtLeast4: null },
    reopenRate: rate(
      count((r) => !!r.firstResolvedAt && r.reopenCount > 0),
      count((r) => !!r.firstResolvedAt),
    ),
    timeToAccept: durations('respondedAt'),
    timeToResolve: durations('firstResolvedAt'),
    overdue: overdue.map((r) => ({
      id: String(r._id),
      category: r.category,
      state: r.state as ReportState,
      level: r.level as Figures['overdue'][number]['level'],
      kind: r.acceptBy ? 'accept' : 'resolve',
      deadline: r.dueAt!.toISOString(),
    })),
  };
}

const ranges: [string, string][] = [
  ['2026-06-01T00:00:00+08:00', '2026-09-01T00:00:00+08:00'],
  // Partial days at both ends, ending at the China midnight that starts today.
  ['2026-06-20T13:17:05.123Z', '2026-08-19T16:00:00.000Z'],
  // One China day, and one that starts a millisecond after its midnight.
  ['2026-07-01T00:00:00+08:00', '2026-07-02T00:00:00+08:00'],
  ['2026-07-01T00:00:00.001+08:00', '2026-07-09T00:00:00+08:00'],
  // Today only, and UTC days (08:00 in China).
  ['2026-08-20T00:00:00+08:00', '2026-08-20T10:30:00+08:00'],
  ['2026-06-01T00:00:00Z', '2026-08-20T12:00:00Z'],
];

/** Every range, for the community and each grid, against the raw reports. */
async function compareAll() {
  for (const gridId of [null, ...gridIds])
    for (const [from, to] of ranges) {
      const query = `communityId=${communityId}${gridId ? `&gridId=${gridId}` : ''}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const res = await app.inject({ url: `/api/reports/figures?${query}`, headers: staff.headers });
      expect(res.statusCode).toBe(200);
      const { computedAt, ...got } = res.json<Figures>();
      expect(computedAt).toBe(clock.now().toISOString());
      expect([from, to, String(gridId), got]).toEqual([
        from,
        to,
        String(gridId),
        await expected(gridId, new Date(from), new Date(to)),
      ]);
    }
}

test('figures from the rollups equal figures from the raw reports', async () => {
  await compareAll();
  expect(await app.models.ReportFigureDay.countDocuments({ communityId })).toBeGreaterThan(60);
}, 120_000);

test('after reports move, time passes and the clock goes back, they still do', async () => {
  // Moves on reports of past days (each stamps the report written).
  const moved = await app.models.Report.find({ communityId, idempotencyKey: /^rollup-/, state: 'submitted' })
    .limit(40)
    .lean<Report[]>();
  for (const [i, r] of moved.entries())
    await app.models.Report.updateOne(
      { _id: r._id, communityId },
      {
        $set:
          i % 2
            ? {
                state: 'rejected',
                respondedAt: new Date(r.createdAt.getTime() + 5 * MIN),
                respondedOnTime: true,
                acceptBy: null,
                dueAt: null,
              }
            : { ...story(r.createdAt, 'closed'), gridId: pick([...gridIds, null]) },
      },
    );
  clock.advance(61_000); // past the minute the figures are reused for
  await compareAll();
  // Deadlines that were ahead fall due, and today becomes a whole day.
  clock.advance(3 * DAY);
  await compareAll();
  // A clock set back: rollups computed for a later moment are not used.
  clock.set(new Date(now.getTime() - 2 * DAY));
  await compareAll();
  clock.set(now);
}, 240_000);

test('the nightly job builds the last year of rollups before anyone reads figures', async () => {
  const previous = clock.now();
  await app.models.ReportFigureDay.deleteMany({ communityId });
  const runAt = nextQuietHour(previous);
  clock.set(runAt);
  try {
    expect(await app.jobs.runDue()).toBeGreaterThan(0);
    const first = await app.models.Report.findOne({ communityId }).sort({ createdAt: 1 }).lean();
    const days = (dayStart(runAt.getTime()) - dayStart(first!.createdAt.getTime())) / DAY;
    expect(await app.models.ReportFigureDay.countDocuments({ communityId })).toBe(Math.min(days, 366));
  } finally {
    clock.set(previous);
  }
});

test('rollups stored in the earlier format (no whole-day part, durations as plain arrays) give the same figures', async () => {
  // Checks stamped ahead of the reports' writes, so that no day is rebuilt between the two reads.
  const rollups = createRollups(app.models, () => Date.now() + 10 * MIN);
  const figures = createFigures(app.models, app.reports.categories, rollups);
  const [from, to] = [new Date('2026-06-01T00:00:00+08:00'), new Date('2026-08-20T12:00:00Z')];
  const read = async () =>
    Promise.all([null, ...gridIds].map((g) => figures(communityId, g ?? undefined, from, to, clock.now())));
  const current = await read();
  expect(await app.models.ReportFigureDay.countDocuments({ communityId, all: { $exists: true } })).toBeGreaterThan(0);
  await app.models.ReportFigureDay.updateMany({ communityId }, { $unset: { all: 1 } });
  const values = await app.models.ReportFigureValues.find({ communityId }).lean<
    { _id: Types.ObjectId; grids: { gridId: Types.ObjectId | null; ms: { buffer: Uint8Array } }[] }[]
  >();
  for (const doc of values) {
    const grids = doc.grids.map((g) => ({
      gridId: g.gridId,
      ms: Array.from(new Float64Array(new Uint8Array(g.ms.buffer).buffer)),
    }));
    await app.models.ReportFigureValues.updateOne({ _id: doc._id, communityId }, { $set: { grids } });
  }
  expect(await read()).toEqual(current);
  expect(current[0]!.timeToAccept.p90Minutes).not.toBeNull();
});
