import type { PipelineStage, Types } from 'mongoose';
import type { Figures } from '../../../shared/schemas/reports';
import type { Models } from '../../plugins/models';
import type { Categories } from './categories';

const MINUTE = 60_000;

/** Count of documents for which `condition` holds, inside a $group. */
const countIf = (condition: unknown) => ({ $sum: { $cond: [condition, 1, 0] } });
const isSet = (field: string) => ({ $ne: [{ $ifNull: [`$${field}`, null] }, null] });

/** Mean and nearest-rank p90 (the ceil(0.9·n)-th smallest) of `field − since`, in ms, inside the database. */
function durationStats(field: string, since: string): PipelineStage.FacetPipelineStage[] {
  return [
    { $match: { [field]: { $ne: null } } },
    { $project: { ms: { $subtract: [`$${field}`, `$${since}`] } } },
    { $sort: { ms: 1 as const } },
    { $group: { _id: null, count: { $sum: 1 }, mean: { $avg: '$ms' }, all: { $push: '$ms' } } },
    {
      $project: {
        count: 1,
        mean: 1,
        p90: { $arrayElemAt: ['$all', { $subtract: [{ $ceil: { $multiply: ['$count', 0.9] } }, 1] }] },
      },
    },
  ];
}

interface Totals {
  responded: number;
  respondedOnTime: number;
  resolvable: number;
  resolvedOnTime: number;
  rated: number;
  ratingMean: number | null;
  atLeast4: number;
  everResolved: number;
  reopened: number;
}

/**
 * Figures for a community or one of its grids over a date range (by submission time), in one aggregation that
 * reads the range once: counts by category and state, response and on-time resolution rates, satisfaction,
 * reopen rate, time to accept and to resolve (mean and p90), and the reports overdue now.
 */
export function createFigures(models: Pick<Models, 'Report'>, categories: Categories) {
  return async function figures(
    communityId: Types.ObjectId,
    gridId: Types.ObjectId | undefined,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<Figures> {
    const match = { communityId, ...(gridId ? { gridId } : {}), createdAt: { $gte: from, $lt: to } };
    const [result] = await models.Report.aggregate<{
      byCategoryAndState: { _id: { category: string; state: string }; count: number }[];
      totals: Totals[];
      accept: { count: number; mean: number; p90: number }[];
      resolve: { count: number; mean: number; p90: number }[];
      overdue: {
        _id: Types.ObjectId;
        category: string;
        state: string;
        level: string;
        acceptBy: Date | null;
        resolveBy: Date | null;
      }[];
    }>([
      { $match: match },
      {
        $facet: {
          byCategoryAndState: [{ $group: { _id: { category: '$category', state: '$state' }, count: { $sum: 1 } } }],
          totals: [
            {
              $group: {
                _id: null,
                // Response: of reports answered or past their first accept deadline, those answered by it.
                responded: countIf({ $or: [isSet('respondedAt'), { $lte: ['$firstAcceptBy', now] }] }),
                respondedOnTime: countIf({ $eq: ['$respondedOnTime', true] }),
                // Resolution: of reports resolved or past their first resolve deadline, those resolved by it.
                resolvable: countIf({
                  $or: [
                    isSet('firstResolvedAt'),
                    { $and: [isSet('firstResolveBy'), { $lte: ['$firstResolveBy', now] }] },
                  ],
                }),
                resolvedOnTime: countIf({ $eq: ['$resolvedOnTime', true] }),
                rated: countIf({ $gte: [{ $ifNull: ['$rating.score', 0] }, 1] }),
                ratingMean: { $avg: '$rating.score' },
                atLeast4: countIf({ $gte: [{ $ifNull: ['$rating.score', 0] }, 4] }),
                everResolved: countIf(isSet('firstResolvedAt')),
                reopened: countIf({ $and: [isSet('firstResolvedAt'), { $gt: ['$reopenCount', 0] }] }),
              },
            },
          ],
          accept: durationStats('respondedAt', 'createdAt'),
          resolve: durationStats('firstResolvedAt', 'createdAt'),
          overdue: [
            { $match: { $or: [{ acceptBy: { $lt: now } }, { resolveBy: { $lt: now } }] } },
            { $sort: { dueAt: 1 as const } },
            { $limit: 100 },
            { $project: { category: 1, state: 1, level: 1, acceptBy: 1, resolveBy: 1 } },
          ],
        },
      },
    ]);
    const names = new Map((await categories.list(communityId)).map((c) => [c.code, c.name]));
    const byCategory = new Map<string, number>();
    const byState: Record<string, number> = {};
    for (const row of result!.byCategoryAndState) {
      byCategory.set(row._id.category, (byCategory.get(row._id.category) ?? 0) + row.count);
      byState[row._id.state] = (byState[row._id.state] ?? 0) + row.count;
    }
    const t = result!.totals[0];
    const rate = (numerator = 0, denominator = 0) => ({
      numerator,
      denominator,
      rate: denominator ? numerator / denominator : null,
    });
    const durations = (rows: { count: number; mean: number; p90: number }[]) => {
      const row = rows[0];
      return row
        ? { count: row.count, meanMinutes: row.mean / MINUTE, p90Minutes: row.p90 / MINUTE }
        : { count: 0, meanMinutes: null, p90Minutes: null };
    };
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      computedAt: now.toISOString(),
      total: [...byCategory.values()].reduce((a, b) => a + b, 0),
      byCategory: [...byCategory]
        .map(([category, total]) => ({ category, name: names.get(category) ?? category, total }))
        .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
      byState,
      byCategoryAndState: result!.byCategoryAndState
        .map((r) => ({ category: r._id.category, state: r._id.state, count: r.count }))
        .sort((a, b) => a.category.localeCompare(b.category) || a.state.localeCompare(b.state)),
      responseRate: rate(t?.respondedOnTime, t?.responded),
      onTimeResolutionRate: rate(t?.resolvedOnTime, t?.resolvable),
      satisfaction: t?.rated
        ? { rated: t.rated, mean: t.ratingMean, shareAtLeast4: t.atLeast4 / t.rated }
        : { rated: 0, mean: null, shareAtLeast4: null },
      reopenRate: rate(t?.reopened, t?.everResolved),
      timeToAccept: durations(result!.accept),
      timeToResolve: durations(result!.resolve),
      overdue: result!.overdue.map((r) => {
        const kind = r.acceptBy && r.acceptBy < now ? ('accept' as const) : ('resolve' as const);
        return {
          id: String(r._id),
          category: r.category,
          state: r.state as Figures['overdue'][number]['state'],
          level: r.level as Figures['overdue'][number]['level'],
          kind,
          deadline: (kind === 'accept' ? r.acceptBy : r.resolveBy)!.toISOString(),
        };
      }),
    };
  };
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
    for (const [k, entry] of recent) if (at - entry.at >= ttlMs) recent.delete(k);
    const key = `${String(communityId)}/${String(gridId ?? '')}/${from.getTime()}/${to.getTime()}`;
    const hit = recent.get(key);
    if (hit) return hit.figures;
    const computed = figures(communityId, gridId, from, to, new Date(at));
    recent.set(key, { at, figures: computed });
    computed.catch(() => recent.delete(key));
    return computed;
  };
}
