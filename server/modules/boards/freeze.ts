import type { Types } from 'mongoose';
import { boardMonth, colourLabel, freezesAt, previousMonth } from '../../../shared/boards';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import type { JobRunner } from '../jobs/runner';
import type { Publish } from '../deliberation/publish';
import { communityStaff } from '../roles/staff';
import { isFrozen, ON_BOARD, type BoardDeps } from './context';
import type { BoardEntry } from './model';
import { boardRows, type EntryPlaces } from './places';
import type { Points } from './points';

export const FREEZE_JOB = 'board.freeze';
const CHUNK = 1000;
const duplicate = (err: unknown) =>
  (err as { code?: number }).code === 11000 ||
  ((err as { writeErrors?: { code?: number }[] }).writeErrors ?? []).every((e) => e.code === 11000);

/**
 * The monthly freeze: at exactly 00:00 Asia/Shanghai on the 1st (a recurring job of the runner, which runs a
 * missed occurrence once each after downtime) every community's past month becomes a snapshot — its lines
 * (what the board showed of each published entry) and then, unique per community and month, the snapshot
 * with the building ranking — and a notice goes to the community's channel. Idempotent: a second run, or a
 * run racing another instance, finds the snapshot and does nothing; lines of a run that died are reused.
 */
export function createFreezer(
  deps: Pick<BoardDeps, 'models' | 'now'>,
  places: EntryPlaces,
  points: Points,
  publish: Publish,
) {
  const { models } = deps;

  /** Freezes one community's month; answers whether this call froze it. */
  async function freeze(communityId: Types.ObjectId, month: string): Promise<boolean> {
    if (await isFrozen(models, communityId, month)) return false;
    const entries = await models.BoardEntry.find({ communityId, month, state: { $in: ON_BOARD } }).lean<BoardEntry[]>();
    const lines = (await boardRows(places, entries)).map((row, i) => ({
      ...row,
      communityId,
      month,
      estateId: entries[i]!.estateId,
    }));
    for (let i = 0; i < lines.length; i += CHUNK) {
      try {
        await models.BoardLine.insertMany(lines.slice(i, i + CHUNK), { ordered: false });
      } catch (err) {
        if (!duplicate(err)) throw err;
      }
    }
    const { ranking, redFlag } = await points.ranking(communityId, month);
    const count = (colour: string) => entries.filter((e) => e.colour === colour && e.state !== 'removed').length;
    try {
      await models.BoardSnapshot.create({
        communityId,
        month,
        frozenAt: deps.now(),
        red: count('red'),
        black: count('black'),
        ranking,
        redFlag,
      });
    } catch (err) {
      if (duplicate(err)) return false;
      throw err;
    }
    // An empty month is frozen (its history browsable) but not announced.
    const [staff] = entries.length > 0 ? await communityStaff(models, communityId) : [];
    if (staff) {
      const flag = ranking.find((r) => r.buildingId === redFlag);
      await publish(
        { _id: communityId, communityId, nodeId: communityId, title: `${month}文明行为红黑榜` },
        { userId: staff, role: 'community_staff' },
        {
          title: `${month}文明行为红黑榜公布`,
          body:
            `${month}${colourLabel.red}${count('red')}条、${colourLabel.black}${count('black')}条，已定榜公布。` +
            (flag ? `本月流动红旗：${flag.name}。` : '本月流动红旗空缺。') +
            '黑榜只公示楼栋单元和行为，不公示姓名和房号；红榜姓名经本人同意后公示。',
        },
        { kind: 'board.updated', link: `packages/boards/index/index?month=${month}` },
      );
    }
    return true;
  }

  async function communities(): Promise<Types.ObjectId[]> {
    const found = await models.Node.find({ kind: 'community' }, { _id: 1 }).setOptions(CROSS_COMMUNITY).lean();
    return found.map((c) => c._id);
  }

  /** The recurring job: the month before the one its due time opens, for every community. */
  async function onFreeze(dueAt: Date): Promise<void> {
    const month = previousMonth(boardMonth(dueAt));
    for (const communityId of await communities()) await freeze(communityId, month);
  }

  /** At start: any past month with published entries and no snapshot (the service was down at its moment). */
  async function catchUp(): Promise<void> {
    const current = boardMonth(deps.now());
    for (const communityId of await communities()) {
      // Months only, not the entries: this runs on every start, and the history only grows.
      const [published, frozen] = await Promise.all([
        models.BoardEntry.distinct('month', { communityId, month: { $ne: null, $lt: current } }),
        models.BoardSnapshot.distinct('month', { communityId }),
      ]);
      const missed = (published as string[]).filter((month) => !frozen.includes(month)).sort();
      for (const month of missed) await freeze(communityId, month);
    }
  }

  /** Schedules the recurring freeze (never moving it if it exists) and catches up on missed months now. */
  async function start(jobs: Pick<JobRunner, 'ensureRecurring'>): Promise<void> {
    await jobs.ensureRecurring(FREEZE_JOB, 'monthly:1st', freezesAt(boardMonth(deps.now())));
    await catchUp();
  }

  return { freeze, onFreeze, catchUp, start };
}
export type Freezer = ReturnType<typeof createFreezer>;
