import type { ClientSession, Types } from 'mongoose';
import type { LedgerEntryView, LedgerPage, Totals } from '../../../shared/schemas/volunteers';
import { hoursText, pointsOf, starLevel, toNextStar } from '../../../shared/volunteers';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import type { Models } from '../../plugins/models';
import type { LedgerEntry } from './model';
import { csvText } from '../../csv';

const SORT = ['at', '_id'] as const;

export type CreditInput = Pick<
  LedgerEntry,
  'communityId' | 'userId' | 'kind' | 'serviceKind' | 'minutes' | 'halfHours' | 'title' | 'note'
> & { orderId?: Types.ObjectId; activityId?: Types.ObjectId };

export function totalsOf(halfHours: number): Totals {
  return { halfHours, points: pointsOf(halfHours), stars: starLevel(halfHours), toNextStar: toNextStar(halfHours) };
}

function view(entry: LedgerEntry): LedgerEntryView {
  return {
    id: String(entry._id),
    kind: entry.kind as LedgerEntryView['kind'],
    halfHours: entry.halfHours,
    minutes: entry.minutes,
    title: entry.title,
    note: entry.note ?? null,
    at: entry.at.toISOString(),
  };
}

/**
 * The hours ledger: entries are only ever added; a void adds the reversing entry. Each entry also moves the
 * registration's running total in the same transaction, so totals never need the ledger summed.
 */
export function createLedger(deps: { models: Pick<Models, 'HoursEntry' | 'Volunteer'>; now: () => Date }) {
  const { HoursEntry, Volunteer } = deps.models;

  async function credit(input: CreditInput, session?: ClientSession): Promise<void> {
    await HoursEntry.create([{ ...input, at: deps.now() }], { session });
    await Volunteer.updateOne(
      { communityId: input.communityId, userId: input.userId },
      { $inc: { halfHours: input.halfHours } },
      { session },
    );
  }

  /** Reverses an order's credited hours (an upheld complaint): one negative entry per credit. */
  async function voidOrder(
    communityId: Types.ObjectId,
    orderId: Types.ObjectId,
    note: string,
    session?: ClientSession,
  ): Promise<void> {
    const credits = await HoursEntry.find({ communityId, orderId, kind: { $in: ['order', 'manual'] } }, null, {
      session,
    }).lean<LedgerEntry[]>();
    for (const entry of credits) {
      await credit(
        {
          communityId,
          userId: entry.userId,
          kind: 'void',
          serviceKind: entry.serviceKind,
          orderId,
          minutes: -entry.minutes,
          halfHours: -entry.halfHours,
          title: `作废：${entry.title}`,
          note,
        },
        session,
      );
    }
  }

  async function totalsFor(communityId: Types.ObjectId, userIds: Types.ObjectId[]): Promise<Map<string, Totals>> {
    const found = await Volunteer.find({ communityId, userId: { $in: userIds } }, { userId: 1, halfHours: 1 }).lean();
    return new Map(userIds.map((id) => [String(id), totalsOf(found.find((v) => v.userId.equals(id))?.halfHours ?? 0)]));
  }

  async function totals(communityId: Types.ObjectId, userId: Types.ObjectId): Promise<Totals> {
    return (await totalsFor(communityId, [userId])).get(String(userId))!;
  }

  async function page(
    communityId: Types.ObjectId,
    userId: Types.ObjectId,
    cursor: string | undefined,
    limit: number,
  ): Promise<LedgerPage> {
    const after = cursor ? afterCursor(SORT, decodeCursor(cursor, ['date', 'objectId'])) : {};
    const [rows, sum] = await Promise.all([
      HoursEntry.find({ communityId, userId, ...after })
        .sort({ at: -1, _id: -1 })
        .limit(limit + 1)
        .lean<LedgerEntry[]>(),
      totals(communityId, userId),
    ]);
    const { items, nextCursor } = pageOf(rows, limit, SORT);
    return { items: items.map(view), nextCursor, totals: sum };
  }

  /** The service record as CSV (a BOM so Excel reads the Chinese; formulas neutralised). */
  async function csv(communityId: Types.ObjectId, userId: Types.ObjectId, name: string): Promise<string> {
    const entries = await HoursEntry.find({ communityId, userId }).sort({ at: 1, _id: 1 }).lean<LedgerEntry[]>();
    const total = entries.reduce((sum, e) => sum + e.halfHours, 0);
    const rows = entries.map((e) => [e.at.toISOString(), e.title, e.kind, e.minutes, hoursText(e.halfHours), e.note]);
    return csvText([
      ['志愿服务记录', name],
      ['时间', '事项', '类型', '分钟', '计入时长(小时)', '备注'],
      ...rows,
      ['合计', '', '', '', hoursText(total), ''],
    ]);
  }

  return { credit, voidOrder, totals, totalsFor, page, csv };
}
export type Ledger = ReturnType<typeof createLedger>;
