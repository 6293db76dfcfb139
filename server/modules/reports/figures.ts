import type { Types } from 'mongoose';
import { chinaDate, chinaDateTime } from '../../../shared/china-time';
import { reportStateLabel, responseLevelLabel, type ReportState } from '../../../shared/reports';
import type { Figures } from '../../../shared/schemas/reports';
import { csvText } from '../../csv';
import type { Models } from '../../plugins/models';
import type { Categories } from './categories';
import type { Report } from './model';
import {
  dayStart,
  FIGURE_FIELDS,
  joined,
  summarise,
  type DurationKind,
  type FigureRow,
  type Part,
  type Rollups,
} from './rollups';

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

/** The nearest-rank p90 (the ceil(0.9·n)-th smallest) of some durations, given their merged hour histogram. */
async function p90(
  hist: Map<number, number>,
  count: number,
  valuesIn: (bucket: number) => Promise<Float64Array>,
): Promise<number> {
  let rank = Math.ceil(count * 0.9);
  for (const bucket of [...hist.keys()].sort((a, b) => a - b)) {
    const n = hist.get(bucket)!;
    if (rank > n) {
      rank -= n;
      continue;
    }
    // A typed array sorts by number, natively: a year's hour can hold a hundred thousand durations.
    const values = (await valuesIn(bucket)).sort();
    return values[rank - 1]!;
  }
  throw new Error('p90 outside the histogram');
}

/**
 * Figures for a community or one of its grids over a date range (by submission time): counts by category and
 * state, response and on-time resolution rates, satisfaction, reopen rate, time to accept and to resolve (mean
 * and p90), and the reports overdue now. Whole days before today come from the per-day rollups (see
 * rollups.ts); the parts of the range outside them (today, and partial days at either end) are read as they are.
 */
export function createFigures(models: Pick<Models, 'Report'>, categories: Categories, rollups: Rollups) {
  return async function figures(
    communityId: Types.ObjectId,
    gridId: Types.ObjectId | undefined,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<Figures> {
    const scope = { communityId, ...(gridId ? { gridId } : {}) };
    // The whole days in the range before today, [start, end); the rest is read from the reports.
    const firstStart = dayStart(from.getTime());
    // No rollups before the community's first report: a range from the year 1 has nothing there to keep.
    const first = await models.Report.findOne({ communityId }, { createdAt: 1 }).sort({ createdAt: 1 }).lean();
    const start = Math.max(
      firstStart < from.getTime() ? firstStart + DAY_MS : firstStart,
      first ? dayStart(first.createdAt.getTime()) : Infinity,
    );
    const end = Math.min(dayStart(to.getTime()), dayStart(now.getTime()));
    const wholeDays = start < end;
    const read = async (a: number, b: number) =>
      a < b
        ? models.Report.find({ ...scope, createdAt: { $gte: new Date(a), $lt: new Date(b) } }, FIGURE_FIELDS).lean<
            FigureRow[]
          >()
        : [];
    const [before, after, days, overdue, names] = await Promise.all([
      read(from.getTime(), wholeDays ? start : to.getTime()),
      wholeDays ? read(end, to.getTime()) : [],
      wholeDays ? rollups.days(communityId, start, end, now) : [],
      models.Report.find({
        ...scope,
        // Past the deadline in force, or escalated for a missed one and not handled since (`deadlineInForce`).
        // Every deadline comes after the report was filed, so `from` bounds the walk along the deadline index.
        dueAt: { $gte: from, $lt: now },
        createdAt: { $gte: from, $lt: to },
      })
        .sort({ dueAt: 1, _id: 1 })
        // Read in deadline order and stop at 100; a range of the reports filed would read all of them.
        .hint({ communityId: 1, dueAt: 1, _id: 1 })
        .limit(100)
        .select({ category: 1, state: 1, level: 1, acceptBy: 1, dueAt: 1 })
        .lean<Pick<Report, '_id' | 'category' | 'state' | 'level' | 'acceptBy' | 'dueAt'>[]>(),
      categories.list(communityId).then((list) => new Map(list.map((c) => [c.code, c.name]))),
    ]);
    const edges = summarise([...before, ...after], now);
    const parts = [edges.part, ...rollups.parts(days, gridId)];
    const sum = (f: (p: Part) => number) => parts.reduce((a, p) => a + f(p), 0);
    const due = (deadlines: number[]) => deadlines.filter((d) => d <= now.getTime()).length;
    const cells = new Map<string, { category: string; state: string; count: number }>();
    for (const c of parts.flatMap((p) => p.cells)) {
      const key = `${c.category}\u0000${c.state}`;
      const cell = cells.get(key);
      if (cell) cell.count += c.count;
      else cells.set(key, { ...c });
    }
    const byCategory = new Map<string, number>();
    const byState: Record<string, number> = {};
    for (const c of cells.values()) {
      byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + c.count);
      byState[c.state] = (byState[c.state] ?? 0) + c.count;
    }
    const rate = (numerator: number, denominator: number) => ({
      numerator,
      denominator,
      rate: denominator ? numerator / denominator : null,
    });
    const durations = async (kind: DurationKind) => {
      const count = sum((p) => p[kind].count);
      if (!count) return { count: 0, meanMinutes: null, p90Minutes: null };
      const hist = new Map<number, number>();
      for (const p of parts) for (const [bucket, n] of p[kind].hist) hist.set(bucket, (hist.get(bucket) ?? 0) + n);
      const p90ms = await p90(hist, count, async (bucket) =>
        joined([
          Float64Array.from(edges.values[kind].get(bucket) ?? []),
          wholeDays
            ? await rollups.stored(
                communityId,
                gridId,
                chinaDate(new Date(start)),
                chinaDate(new Date(end - 1)),
                kind,
                bucket,
              )
            : new Float64Array(),
        ]),
      );
      return { count, meanMinutes: sum((p) => p[kind].sum) / count / MINUTE, p90Minutes: p90ms / MINUTE };
    };
    const rated = sum((p) => p.rated);
    // Each reads its p90's hour from the rollups: both at once.
    const [timeToAccept, timeToResolve] = await Promise.all([durations('accept'), durations('resolve')]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      computedAt: now.toISOString(),
      total: [...byCategory.values()].reduce((a, b) => a + b, 0),
      byCategory: [...byCategory]
        .map(([category, total]) => ({ category, name: names.get(category) ?? category, total }))
        .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
      byState,
      byCategoryAndState: [...cells.values()].sort(
        (a, b) => a.category.localeCompare(b.category) || a.state.localeCompare(b.state),
      ),
      // Response: of reports answered or past their first accept deadline, those answered by it.
      responseRate: rate(
        sum((p) => p.respondedOnTime),
        sum((p) => p.answered + p.acceptPast + due(p.acceptDue)),
      ),
      // Resolution: of reports resolved or past their first resolve deadline, those resolved by it.
      onTimeResolutionRate: rate(
        sum((p) => p.resolvedOnTime),
        sum((p) => p.everResolved + p.resolvePast + due(p.resolveDue)),
      ),
      satisfaction: rated
        ? { rated, mean: sum((p) => p.ratingSum) / rated, shareAtLeast4: sum((p) => p.atLeast4) / rated }
        : { rated: 0, mean: null, shareAtLeast4: null },
      reopenRate: rate(
        sum((p) => p.reopened),
        sum((p) => p.everResolved),
      ),
      timeToAccept,
      timeToResolve,
      overdue: overdue.map((r) => ({
        id: String(r._id),
        category: r.category,
        state: r.state as Figures['overdue'][number]['state'],
        level: r.level as Figures['overdue'][number]['level'],
        kind: r.acceptBy ? ('accept' as const) : ('resolve' as const),
        deadline: r.dueAt!.toISOString(),
      })),
    };
  };
}

/** Figures as CSV sections for a spreadsheet, with Chinese headers and China times. */
export function figuresCsv(f: Figures): string {
  const names = new Map(f.byCategory.map((c) => [c.category, c.name]));
  const at = (iso: string) => chinaDateTime(new Date(iso));
  const share = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);
  const rate = (label: string, r: Figures['responseRate']) => [label, share(r.rate), r.numerator, r.denominator];
  const minutes = (m: number | null) => (m === null ? '' : Math.round(m));
  const duration = (label: string, d: Figures['timeToAccept']) => [
    label,
    d.count,
    minutes(d.meanMinutes),
    minutes(d.p90Minutes),
  ];
  return csvText([
    ['随手拍统计', at(f.from), at(f.to)],
    ['统计于', at(f.computedAt)],
    ['报事总数', f.total],
    ['当前超期', f.overdue.length],
    ['平均评分', f.satisfaction.mean === null ? '' : f.satisfaction.mean.toFixed(2)],
    [],
    ['指标', '比率', '分子', '分母'],
    rate('响应率', f.responseRate),
    rate('按时办结率', f.onTimeResolutionRate),
    ['满意率', share(f.satisfaction.shareAtLeast4), '', f.satisfaction.rated],
    rate('重开率', f.reopenRate),
    [],
    ['处理用时', '件数', '平均（分钟）', '90%以内（分钟）'],
    duration('受理', f.timeToAccept),
    duration('办结', f.timeToResolve),
    [],
    ['分类', '报事数'],
    ...f.byCategory.map((c) => [c.name, c.total]),
    [],
    ['状态', '报事数'],
    ...Object.entries(f.byState).map(([state, n]) => [reportStateLabel[state as ReportState] ?? state, n]),
    [],
    ['分类', '状态', '报事数'],
    ...f.byCategoryAndState.map((c) => [
      names.get(c.category) ?? c.category,
      reportStateLabel[c.state as ReportState] ?? c.state,
      c.count,
    ]),
    [],
    ['超期事项', '分类', '超期类型', '状态', '响应层级', '时限'],
    ...f.overdue.map((o) => [
      o.id,
      names.get(o.category) ?? o.category,
      o.kind === 'accept' ? '受理超期' : '办结超期',
      reportStateLabel[o.state],
      responseLevelLabel[o.level],
      at(o.deadline),
    ]),
  ]);
}

type FiguresFn = ReturnType<typeof createFigures>;

/**
 * Figures reused for up to `ttlMs` per (community, grid, range): over a year of a busy community they read the
 * whole range, so concurrent and repeated requests (the chart page on several phones) share one aggregation.
 * A failed computation is not kept.
 */
export function reuseFigures(figures: FiguresFn, now: () => Date, ttlMs = 60_000) {
  const recent = new Map<string, { at: number; figures: Promise<Figures> }>();
  return (communityId: Types.ObjectId, gridId: Types.ObjectId | undefined, from: Date, to: Date) => {
    const at = now().getTime();
    // A clock set back (tests, a corrected server clock) ends reuse too.
    for (const [k, entry] of recent) if (at - entry.at >= ttlMs || at < entry.at) recent.delete(k);
    const key = `${String(communityId)}/${String(gridId ?? '')}/${from.getTime()}/${to.getTime()}`;
    const hit = recent.get(key);
    if (hit) return hit.figures;
    const computed = figures(communityId, gridId, from, to, new Date(at));
    recent.set(key, { at, figures: computed });
    computed.catch(() => recent.delete(key));
    return computed;
  };
}
