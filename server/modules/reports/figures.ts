import type { PipelineStage, Types } from 'mongoose';
import type { Figures } from '../../../shared/schemas/reports';
import type { Models } from '../../plugins/models';
import type { Categories } from './categories';

const MINUTE = 60_000;

/** mean and p90 of a list of durations (ms) pushed by $group, in minutes, computed inside the database. */
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
        // Nearest-rank p90: the ceil(0.9·n)-th smallest.
        p90: { $arrayElemAt: ['$all', { $subtract: [{ $ceil: { $multiply: ['$count', 0.9] } }, 1] }] },
      },
    },
  ];
}

/**
 * Figures for a community or one of its grids over a date range (by submission time), in one aggregation:
 * counts by category and state, response and on-time resolution rates, satisfaction, reopen rate, time to
 * accept and to resolve (mean and p90), and the reports overdue now.
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
      response: { numerator: number; denominator: number }[];
      resolution: { numerator: number; denominator: number }[];
      satisfaction: { rated: number; mean: number; atLeast4: number }[];
      reopen: { numerator: number; denominator: number }[];
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
          // Of reports answered or past their first accept deadline: answered by it.
          response: [
            { $match: { $or: [{ respondedAt: { $ne: null } }, { firstAcceptBy: { $lte: now } }] } },
            {
              $group: {
                _id: null,
                denominator: { $sum: 1 },
                numerator: { $sum: { $cond: [{ $eq: ['$respondedOnTime', true] }, 1, 0] } },
              },
            },
          ],
          resolution: [
            { $match: { $or: [{ firstResolvedAt: { $ne: null } }, { firstResolveBy: { $lte: now } }] } },
            {
              $group: {
                _id: null,
                denominator: { $sum: 1 },
                numerator: { $sum: { $cond: [{ $eq: ['$resolvedOnTime', true] }, 1, 0] } },
              },
            },
          ],
          satisfaction: [
            { $match: { 'rating.score': { $gte: 1 } } },
            {
              $group: {
                _id: null,
                rated: { $sum: 1 },
                mean: { $avg: '$rating.score' },
                atLeast4: { $sum: { $cond: [{ $gte: ['$rating.score', 4] }, 1, 0] } },
              },
            },
          ],
          reopen: [
            { $match: { firstResolvedAt: { $ne: null } } },
            {
              $group: {
                _id: null,
                denominator: { $sum: 1 },
                numerator: { $sum: { $cond: [{ $gt: ['$reopenCount', 0] }, 1, 0] } },
              },
            },
          ],
          accept: durationStats('respondedAt', 'createdAt'),
          resolve: durationStats('firstResolvedAt', 'createdAt'),
          overdue: [
            { $match: { $or: [{ acceptBy: { $lt: now } }, { resolveBy: { $lt: now } }] } },
            { $sort: { acceptBy: 1, resolveBy: 1 } },
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
    const rate = (rows: { numerator: number; denominator: number }[]) => {
      const { numerator = 0, denominator = 0 } = rows[0] ?? {};
      return { numerator, denominator, rate: denominator ? numerator / denominator : null };
    };
    const durations = (rows: { count: number; mean: number; p90: number }[]) => {
      const row = rows[0];
      return row
        ? { count: row.count, meanMinutes: row.mean / MINUTE, p90Minutes: row.p90 / MINUTE }
        : { count: 0, meanMinutes: null, p90Minutes: null };
    };
    const satisfaction = result!.satisfaction[0];
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      total: [...byCategory.values()].reduce((a, b) => a + b, 0),
      byCategory: [...byCategory]
        .map(([category, total]) => ({ category, name: names.get(category) ?? category, total }))
        .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category)),
      byState,
      byCategoryAndState: result!.byCategoryAndState
        .map((r) => ({ category: r._id.category, state: r._id.state, count: r.count }))
        .sort((a, b) => a.category.localeCompare(b.category) || a.state.localeCompare(b.state)),
      responseRate: rate(result!.response),
      onTimeResolutionRate: rate(result!.resolution),
      satisfaction: satisfaction
        ? {
            rated: satisfaction.rated,
            mean: satisfaction.mean,
            shareAtLeast4: satisfaction.atLeast4 / satisfaction.rated,
          }
        : { rated: 0, mean: null, shareAtLeast4: null },
      reopenRate: rate(result!.reopen),
      timeToAccept: durations(result!.accept),
      timeToResolve: durations(result!.resolve),
      overdue: result!.overdue.map((r) => ({
        id: String(r._id),
        category: r.category,
        state: r.state as Figures['overdue'][number]['state'],
        level: r.level as Figures['overdue'][number]['level'],
        kind: r.acceptBy && r.acceptBy < now ? ('accept' as const) : ('resolve' as const),
        deadline: (r.acceptBy && r.acceptBy < now ? r.acceptBy : r.resolveBy)!.toISOString(),
      })),
    };
  };
}
