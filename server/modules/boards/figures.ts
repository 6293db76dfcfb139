import type { Types } from 'mongoose';
import { colourLabel, type Colour } from '../../../shared/boards';
import { monthBounds } from '../../../shared/china-time';
import type { BoardFigures } from '../../../shared/schemas/boards';
import type { BoardCore, BoardDeps } from './context';
import type { BoardEntry } from './model';
import { csvText } from '../../csv';

/**
 * Figures per community and China-time month: entries nominated (by when) and published (by board month) per
 * act and colour, black entries put right before publication, dismissals, and appeals lodged in the month
 * with their outcome.
 */
export function createBoardFigures(deps: Pick<BoardDeps, 'models'>, core: BoardCore) {
  async function figures(communityId: Types.ObjectId, month: string): Promise<BoardFigures> {
    const { start, end } = monthBounds(month);
    const inMonth = { $gte: start, $lt: end };
    const [entries, acts] = await Promise.all([
      deps.models.BoardEntry.find(
        { communityId, $or: [{ createdAt: inMonth }, { month }, { 'appeal.at': inMonth }] },
        { act: 1, colour: 1, state: 1, createdAt: 1, month: 1, appeal: 1 },
      ).lean<BoardEntry[]>(),
      core.actsOf(communityId),
    ]);
    const nominated = entries.filter((e) => e.createdAt >= start && e.createdAt < end);
    const appeals = entries.filter((e) => e.appeal?.at && e.appeal.at >= start && e.appeal.at < end);
    const keys = [...new Map([...acts, ...entries.map((e) => e.act)].map((a) => [a.key!, a])).values()];
    return {
      month,
      byAct: keys.map((a) => ({
        act: a.key!,
        label: a.label ?? '',
        colour: a.colour as Colour,
        nominated: nominated.filter((e) => e.act.key === a.key).length,
        published: entries.filter((e) => e.month === month && e.act.key === a.key).length,
      })),
      rectified: nominated.filter((e) => e.state === 'rectified').length,
      dismissed: nominated.filter((e) => e.state === 'dismissed').length,
      appeals: {
        lodged: appeals.length,
        upheld: appeals.filter((e) => e.appeal!.decision?.upheld === true).length,
        rejected: appeals.filter((e) => e.appeal!.decision?.upheld === false).length,
        open: appeals.filter((e) => !e.appeal!.decision).length,
      },
    };
  }

  /** The same as CSV sections, for a spreadsheet. */
  function csv(f: BoardFigures): string {
    return csvText([
      ['红黑榜统计', f.month],
      [],
      ['行为', '榜单', '提名', '上榜'],
      ...f.byAct.map((a) => [a.label, colourLabel[a.colour], a.nominated, a.published]),
      [],
      ['整改后未上榜', f.rectified],
      ['不予采纳', f.dismissed],
      [],
      ['申诉', '提出', '成立', '不成立', '待处理'],
      ['', f.appeals.lodged, f.appeals.upheld, f.appeals.rejected, f.appeals.open],
    ]);
  }

  return { figures, csv };
}
export type BoardFiguresService = ReturnType<typeof createBoardFigures>;
