import type { ClientSession, Types } from 'mongoose';
import { rankBuildings, type BuildingTally, type RankedBuilding } from '../../../shared/boards';
import type { Models } from '../../plugins/models';
import type { PlaceNode } from '../places/model';
import type { BoardEntry, PointsLine } from './model';

type Ledgered = Pick<BoardEntry, '_id' | 'communityId' | 'householdId' | 'buildingId' | 'colour' | 'act' | 'month'>;

/**
 * The household civility points ledger and the monthly building ranking. A published entry about a household
 * credits (red) or debits (black) it once; an upheld appeal adds the reversing line. Unique per entry and kind,
 * so a retried move never counts twice.
 */
export function createPoints(models: Pick<Models, 'BoardPoints' | 'Household' | 'Node'>) {
  async function post(entry: Ledgered, kind: 'award' | 'reverse', at: Date, session?: ClientSession): Promise<void> {
    if (!entry.householdId || !entry.buildingId || !entry.month) return;
    const sign = kind === 'award' ? 1 : -1;
    await models.BoardPoints.create(
      [
        {
          communityId: entry.communityId,
          householdId: entry.householdId,
          buildingId: entry.buildingId,
          entryId: entry._id,
          kind,
          colour: entry.colour,
          points: sign * (entry.act.points ?? 0),
          count: sign,
          month: entry.month,
          at,
        },
      ],
      { session },
    );
  }

  const credit = (entry: Ledgered, at: Date, session?: ClientSession) => post(entry, 'award', at, session);
  const reverse = (entry: Ledgered, at: Date, session?: ClientSession) => post(entry, 'reverse', at, session);

  /** The month's ledger lines. */
  function linesOf(communityId: Types.ObjectId, month: string) {
    return models.BoardPoints.find(
      { communityId, month },
      { householdId: 1, buildingId: 1, colour: 1, points: 1, count: 1 },
    ).lean<PointsLine[]>();
  }

  /** Every building of the community with its households, and the month's points and entries. */
  async function tallies(communityId: Types.ObjectId, month: string): Promise<BuildingTally[]> {
    const [buildings, lines] = await Promise.all([
      models.Node.find({ communityId, kind: 'building' }, { name: 1, ancestors: 1 }).lean<PlaceNode[]>(),
      linesOf(communityId, month),
    ]);
    const estates = await models.Node.find({ communityId, kind: 'estate' }, { name: 1 }).lean<PlaceNode[]>();
    const households = await Promise.all(
      buildings.map((b) => models.Household.countDocuments({ communityId, ancestors: b._id })),
    );
    return buildings.map((b, i) => {
      const mine = lines.filter((l) => l.buildingId.equals(b._id));
      const count = (colour: string) => mine.filter((l) => l.colour === colour).reduce((n, l) => n + l.count, 0);
      const estate = estates.find((e) => b.ancestors.some((a) => a.equals(e._id)));
      return {
        buildingId: String(b._id),
        name: `${estate?.name ?? ''}${b.name}`,
        households: households[i]!,
        points: mine.reduce((n, l) => n + l.points, 0),
        red: count('red'),
        black: count('black'),
      };
    });
  }

  async function ranking(
    communityId: Types.ObjectId,
    month: string,
  ): Promise<{ ranking: RankedBuilding[]; redFlag: string | null }> {
    return rankBuildings(await tallies(communityId, month));
  }

  /** Households with points in the month, best first: 文明家庭 / 最美邻里 candidates. */
  async function households(communityId: Types.ObjectId, month: string) {
    const byHousehold = new Map<string, { householdId: Types.ObjectId; points: number; red: number; black: number }>();
    for (const l of await linesOf(communityId, month)) {
      const row = byHousehold.get(String(l.householdId)) ?? { householdId: l.householdId, points: 0, red: 0, black: 0 };
      row.points += l.points;
      if (l.colour === 'red') row.red += l.count;
      else row.black += l.count;
      byHousehold.set(String(l.householdId), row);
    }
    return [...byHousehold.values()].sort((a, b) => b.points - a.points || b.red - a.red || a.black - b.black);
  }

  return { credit, reverse, tallies, ranking, households };
}
export type Points = ReturnType<typeof createPoints>;
