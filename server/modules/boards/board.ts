import type { Types } from 'mongoose';
import { boardMonth, previousMonth, subjectLabel, TIE_RULE, type Colour } from '../../../shared/boards';
import type { BoardItem, BoardPage, BoardQuery, MonthList, RankingView } from '../../../shared/schemas/boards';
import type { MediaView } from '../../../shared/schemas/platform';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { NotFoundError } from '../../errors';
import { VISIBLE } from '../moderation/visibility';
import type { Household, PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import { communityFor } from '../volunteers/registration';
import { ON_BOARD, type BoardDeps } from './context';
import type { BoardEntry, BoardLine, BoardSnapshot } from './model';
import { boardRows, type BoardRow, type EntryPlaces } from './places';
import type { Points } from './points';
import { namesOf } from './view';
import { csvText } from '../../csv';

const FIELDS = ['publishedAt', '_id'] as const;

/**
 * The public boards: a month's red or black board (live from the entries until it freezes, then from the
 * snapshot), the months, the building ranking, and staff's export for 文明家庭 / 最美邻里 selections. Labels are
 * computed when asked, from consent as it stands then; black lines never carry a name or a room; only cleared
 * photos are shown.
 */
export function createBoards(
  deps: Pick<BoardDeps, 'models' | 'access' | 'media' | 'now'>,
  places: EntryPlaces,
  points: Points,
) {
  const { models, access } = deps;
  /** When each frozen month froze: a snapshot never changes or goes, so once read it is known for good. */
  const frozenAt = new Map<string, Date>();

  async function frozenAtOf(communityId: Types.ObjectId, month: string): Promise<Date | null> {
    const key = `${communityId}:${month}`;
    const known = frozenAt.get(key);
    if (known) return known;
    const snapshot = await models.BoardSnapshot.findOne({ communityId, month }, { frozenAt: 1 }).lean<BoardSnapshot>();
    if (snapshot) frozenAt.set(key, snapshot.frozenAt);
    return snapshot?.frozenAt ?? null;
  }

  async function estateFilter(actor: Actor, communityId: Types.ObjectId, estateId?: string) {
    if (!estateId) return {};
    const estate = await access.findNode(actor, estateId);
    if (estate.kind !== 'estate' || !estate.communityId?.equals(communityId)) throw new NotFoundError('No such estate');
    return { estateId: estate._id };
  }

  const frozenRows = (lines: BoardLine[]): BoardRow[] =>
    lines.map((l) => ({
      ...l,
      colour: l.colour as Colour,
      unitPath: l.unitPath ?? null,
      subjectUserId: l.subjectUserId ?? null,
    }));

  /** The board items of rows, with consent and names as they stand now and one media lookup for the page. */
  async function itemsOf(actor: Actor, communityId: Types.ObjectId, rows: BoardRow[], corrected: Set<string>) {
    const named = rows.filter((r) => r.subjectUserId);
    const [consents, names, media] = await Promise.all([
      named.length > 0
        ? models.BoardEntry.find({ communityId, _id: { $in: named.map((r) => r.entryId) } }, { consent: 1 }).lean()
        : [],
      namesOf(
        models,
        named.map((r) => r.subjectUserId),
      ),
      deps.media.views(
        actor,
        rows.flatMap((r) => r.mediaIds),
      ),
    ]);
    const consenting = new Set(consents.filter((c) => c.consent).map((c) => String(c._id)));
    const mediaById = new Map<string, MediaView>(media.map((m) => [m.id, m]));
    return rows.map((r): BoardItem => ({
      entryId: String(r.entryId),
      colour: r.colour,
      actLabel: r.actLabel,
      subjectLabel: subjectLabel({
        colour: r.colour,
        unitPath: r.unitPath,
        estateName: r.estateName,
        personName: r.subjectUserId ? (names.get(String(r.subjectUserId)) ?? null) : null,
        consent: consenting.has(String(r.entryId)),
      }),
      placeLabel: r.placeLabel,
      occurredAt: r.occurredAt.toISOString(),
      publishedAt: r.publishedAt.toISOString(),
      points: r.points,
      media: r.mediaIds.flatMap((id) => mediaById.get(String(id)) ?? []),
      corrected: r.corrected || corrected.has(String(r.entryId)),
    }));
  }

  async function page(actor: Actor, query: BoardQuery): Promise<BoardPage> {
    const communityId = communityFor(actor, query.communityId);
    const month = query.month ?? boardMonth(deps.now());
    const limit = query.limit ?? 20;
    const filter = {
      communityId,
      month,
      colour: query.colour,
      ...(await estateFilter(actor, communityId, query.estateId)),
      ...(query.cursor ? { $and: [afterCursor(FIELDS, decodeCursor(query.cursor, ['date', 'objectId']))] } : {}),
    };
    const frozen = await frozenAtOf(communityId, month);
    const read = frozen
      ? models.BoardLine.find(filter)
          .sort({ publishedAt: -1, _id: -1 })
          .limit(limit + 1)
          .lean<BoardLine[]>()
      : models.BoardEntry.find({ ...filter, state: { $in: ON_BOARD }, ...VISIBLE })
          .sort({ publishedAt: -1, _id: -1 })
          .limit(limit + 1)
          .lean<BoardEntry[]>();
    const [found, corrections] = await Promise.all([
      read,
      models.BoardCorrection.find({ communityId, month }).sort({ at: -1 }).lean(),
    ]);
    const { items, nextCursor } = pageOf(found as (BoardLine | BoardEntry)[], limit, FIELDS);
    const rows = frozen ? frozenRows(items as BoardLine[]) : await boardRows(places, items as BoardEntry[]);
    return {
      month,
      frozen: !!frozen,
      frozenAt: frozen?.toISOString() ?? null,
      items: await itemsOf(actor, communityId, rows, new Set(corrections.map((c) => String(c.entryId)))),
      corrections: query.cursor
        ? []
        : corrections.map((c) => ({ entryId: String(c.entryId), text: c.text, at: c.at.toISOString() })),
      nextCursor,
    };
  }

  /** Frozen months (newest first) and the live ones: this month, and the last until it freezes. */
  async function months(actor: Actor, communityIdGiven?: string): Promise<MonthList> {
    const communityId = communityFor(actor, communityIdGiven);
    const current = boardMonth(deps.now());
    const frozen = await models.BoardSnapshot.find({ communityId }, { month: 1, red: 1, black: 1 })
      .sort({ month: -1 })
      .lean();
    const live = [current, previousMonth(current)].filter((m) => !frozen.some((f) => f.month === m));
    const counted = await Promise.all(
      live.map(async (month) => {
        const count = (colour: Colour) =>
          models.BoardEntry.countDocuments({ communityId, month, colour, state: { $in: ['published', 'appealed'] } });
        const [red, black] = await Promise.all([count('red'), count('black')]);
        return { month, frozen: false, red, black };
      }),
    );
    return {
      items: [
        ...counted.filter((c) => c.month === current || c.red + c.black > 0),
        ...frozen.map((f) => ({ month: f.month, frozen: true, red: f.red, black: f.black })),
      ].sort((a, b) => b.month.localeCompare(a.month)),
    };
  }

  async function ranking(actor: Actor, query: { communityId?: string; month?: string }): Promise<RankingView> {
    const communityId = communityFor(actor, query.communityId);
    const month = query.month ?? boardMonth(deps.now());
    const snapshot = await models.BoardSnapshot.findOne({ communityId, month }).lean<BoardSnapshot>();
    const { ranking: ranked, redFlag } = snapshot
      ? { ranking: snapshot.ranking, redFlag: snapshot.redFlag ? String(snapshot.redFlag) : null }
      : await points.ranking(communityId, month);
    const items = ranked.map((r) => ({
      buildingId: String(r.buildingId),
      name: r.name ?? '',
      households: r.households ?? 0,
      points: r.points ?? 0,
      red: r.red ?? 0,
      black: r.black ?? 0,
      perHousehold: r.perHousehold ?? 0,
      rank: r.rank ?? 0,
    }));
    const flag = items.find((r) => r.buildingId === redFlag);
    return {
      month,
      frozen: !!snapshot,
      tieRule: TIE_RULE,
      redFlag: flag ? { buildingId: flag.buildingId, name: flag.name } : null,
      items,
    };
  }

  /** Staff's CSV: the month's households by points, as building / unit / room (staff only ever see rooms here). */
  async function selectionsCsv(actor: Actor, query: { communityId?: string; month?: string }) {
    const communityId = communityFor(actor, query.communityId);
    await access.authorize(actor, 'board.review', communityId);
    const month = query.month ?? boardMonth(deps.now());
    const rows = await points.households(communityId, month);
    const households = await models.Household.find(
      { communityId, _id: { $in: rows.map((r) => r.householdId) } },
      { room: 1, ancestors: 1 },
    ).lean<Household[]>();
    const nodes = await models.Node.find(
      { communityId, _id: { $in: households.flatMap((h) => h.ancestors) } },
      { name: 1, kind: 1 },
    ).lean<PlaceNode[]>();
    const nameAt = (h: Household | undefined, kind: string) =>
      nodes.find((n) => n.kind === kind && h?.ancestors.some((a) => a.equals(n._id)))?.name ?? '';
    const csv = csvText([
      ['名次', '小区', '楼栋', '单元', '房号', '积分', '红榜', '黑榜'],
      ...rows.map((r, i) => {
        const h = households.find((x) => x._id.equals(r.householdId));
        return [
          i + 1,
          nameAt(h, 'estate'),
          nameAt(h, 'building'),
          nameAt(h, 'unit'),
          h?.room ?? '',
          r.points,
          r.red,
          r.black,
        ];
      }),
    ]);
    return { month, csv };
  }

  return { page, months, ranking, selectionsCsv };
}
export type Boards = ReturnType<typeof createBoards>;
