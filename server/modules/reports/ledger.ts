import type { Types } from 'mongoose';
import { chinaDateTime } from '../../../shared/china-time';
import { reportStateLabel, responseLevelLabel, type ReportState, type ResponseLevel } from '../../../shared/reports';
import type { OverdueEntryView } from '../../../shared/schemas/reports';
import { csvText } from '../../csv';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import type { Models } from '../../plugins/models';
import type { Categories } from './categories';
import type { OverdueEntry } from './model';

const SORT = ['detectedAt', '_id'] as const;
/** An export is the newest entries up to this many: years of a busy community, still one download. */
const EXPORT_LIMIT = 10_000;

/** The overdue ledger (办结时限台账) of a community or one of its grids, newest first: pages and a CSV. */
export function createLedger(models: Pick<Models, 'Report' | 'ReportOverdue'>, categories: Categories) {
  /** Entries with the category and current state of their reports. */
  async function views(communityId: Types.ObjectId, entries: OverdueEntry[]): Promise<OverdueEntryView[]> {
    const reports = await models.Report.find(
      { communityId, _id: { $in: entries.map((e) => e.reportId) } },
      { state: 1, category: 1 },
    ).lean();
    return entries.map((e) => {
      const report = reports.find((r) => r._id.equals(e.reportId));
      return {
        reportId: String(e.reportId),
        category: report?.category ?? '',
        kind: e.kind as 'accept' | 'resolve',
        deadline: e.deadline.toISOString(),
        detectedAt: e.detectedAt.toISOString(),
        fromLevel: e.fromLevel as ResponseLevel,
        toLevel: e.toLevel as ResponseLevel,
        state: (report?.state ?? 'submitted') as ReportState,
      };
    });
  }

  const entries = (communityId: Types.ObjectId, gridId: Types.ObjectId | undefined, cursor?: string) =>
    models.ReportOverdue.find({
      communityId,
      ...(gridId ? { gridId } : {}),
      ...(cursor ? afterCursor(SORT, decodeCursor(cursor, ['date', 'objectId'])) : {}),
    }).sort({ detectedAt: -1, _id: -1 });

  async function page(communityId: Types.ObjectId, gridId: Types.ObjectId | undefined, limit: number, cursor?: string) {
    const { items, nextCursor } = pageOf(
      await entries(communityId, gridId, cursor)
        .limit(limit + 1)
        .lean<OverdueEntry[]>(),
      limit,
      SORT,
    );
    return { items: await views(communityId, items), nextCursor };
  }

  /** The ledger as CSV, with Chinese headers and China times. */
  async function csv(communityId: Types.ObjectId, gridId: Types.ObjectId | undefined): Promise<string> {
    const rows = await views(
      communityId,
      await entries(communityId, gridId).limit(EXPORT_LIMIT).lean<OverdueEntry[]>(),
    );
    const names = new Map((await categories.list(communityId)).map((c) => [c.code, c.name]));
    return csvText([
      ['发现时间', '报事编号', '类别', '超期类型', '时限', '原层级', '升级至', '当前状态'],
      ...rows.map((e) => [
        chinaDateTime(new Date(e.detectedAt)),
        e.reportId,
        names.get(e.category) ?? e.category,
        e.kind === 'accept' ? '受理超期' : '办结超期',
        chinaDateTime(new Date(e.deadline)),
        responseLevelLabel[e.fromLevel],
        responseLevelLabel[e.toLevel],
        reportStateLabel[e.state],
      ]),
    ]);
  }

  return { page, csv };
}
export type Ledger = ReturnType<typeof createLedger>;
