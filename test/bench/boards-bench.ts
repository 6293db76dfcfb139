/**
 * The civility board at scale (not a test): `npx tsx test/bench/boards-bench.ts [--entries 10000] [--seconds 10]
 * [--concurrency 8]`.
 *
 * The service as `npm start` runs it (see service.ts), the demo seeded, plus N entries of one month in 幸福里社区
 * straight into the collections: nine in ten published (red and black, about the community's households, one in
 * two with a cleared photo, each with its ledger line), the rest rectified, dismissed or removed after an appeal.
 * Then it times freezing that month (target ≤ 5 s) and, over HTTP as a resident, the frozen board's first page
 * for each colour and a page ten cursors on (target ≥ 500 req/s with p99 ≤ 100 ms at 8 connections), the
 * ranking, and `GET /api/me` as the floor any authenticated request stands on.
 */
import { Types } from 'mongoose';
import { boardMonth, DEFAULT_ACTS, previousMonth, type EntryState } from '../../shared/boards';
import { monthBounds } from '../../shared/china-time';
import type { Household, PlaceNode } from '../../server/modules/places/model';
import { arg, engineRss, pageFurther, printLoads, printMachine, printMemory, run, startBenchService } from './service';

const ENTRIES = arg('entries', 10_000);
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 8);
const stateOf = (i: number): EntryState =>
  i % 10 === 1 ? 'rectified' : i % 20 === 3 ? 'dismissed' : i % 50 === 5 ? 'removed' : 'published';

async function main() {
  printMachine();
  const service = await startBenchService('boards-bench');
  const { app } = service;
  try {
    const community = await service.community();
    const communityId = community._id;
    // A month the demo left alone: two before this one (the demo froze the last).
    const month = previousMonth(previousMonth(boardMonth(new Date())));
    const { start, end } = monthBounds(month);
    const span = end.getTime() - start.getTime();
    const nodes = await app.models.Node.find({ communityId }).lean<PlaceNode[]>();
    const households = await app.models.Household.find({ communityId }).lean<Household[]>();
    const nominator = (await app.models.User.findOne({ openid: 'demo-grid' }).lean())!._id;
    const red = DEFAULT_ACTS.filter((a) => a.colour === 'red');
    const black = DEFAULT_ACTS.filter((a) => a.colour === 'black');
    const started = performance.now();

    const batch = 2000;
    for (let done = 0; done < ENTRIES; done += batch) {
      const entries: Record<string, unknown>[] = [];
      const media: Record<string, unknown>[] = [];
      const points: Record<string, unknown>[] = [];
      for (let k = 0; k < Math.min(batch, ENTRIES - done); k++) {
        const i = done + k;
        const household = households[(i * 7919) % households.length]!;
        const unit = nodes.find((n) => n._id.equals(household.unitId))!;
        const building = nodes.find((n) => n.kind === 'building' && household.ancestors.some((a) => a.equals(n._id)))!;
        const estate = nodes.find((n) => n.kind === 'estate' && household.ancestors.some((a) => a.equals(n._id)))!;
        const state = stateOf(i);
        const isRed = i % 3 === 0 && state !== 'rectified' && state !== 'removed';
        const act = isRed ? red[i % red.length]! : black[i % black.length]!;
        const at = new Date(start.getTime() + ((i * 104_729) % span));
        const published = state === 'published' || state === 'removed';
        const _id = new Types.ObjectId();
        const photo = i % 2 === 0 ? new Types.ObjectId() : null;
        if (photo)
          media.push({
            _id: photo,
            communityId,
            ownerId: nominator,
            idempotencyKey: `bench-board-${i}`,
            hash: 'x'.repeat(64),
            width: 1280,
            height: 960,
            bytes: 120_000,
            version: 1,
            keys: { display: `bench/${i}-v1-d.jpg`, thumb: `bench/${i}-v1-t.jpg` },
            check: { status: 'pass', traceId: null, checkedAt: at },
            attachedTo: { kind: 'board_entry', itemId: _id },
          });
        entries.push({
          _id,
          communityId,
          nodeId: unit._id,
          ancestors: [...unit.ancestors, unit._id],
          estateId: estate._id,
          colour: act.colour,
          act: { ...act },
          occurredAt: at,
          description: `第${i}条：${act.label}`,
          mediaIds: photo ? [photo] : [],
          clearedMediaIds: photo ? [photo] : [],
          householdId: household._id,
          buildingId: building._id,
          subjectUserId: isRed && household.members[0] ? household.members[0].userId : null,
          consent: i % 4 === 0,
          nominatedBy: nominator,
          idempotencyKey: `bench-${i}`,
          moderation: { state: 'visible', flaggedBy: [] },
          state,
          staffNote: state === 'dismissed' ? '证据不足' : null,
          publishedAt: published ? at : null,
          month: published ? month : null,
          version: 3,
          createdAt: at,
          updatedAt: at,
        });
        if (published)
          points.push({
            communityId,
            householdId: household._id,
            buildingId: building._id,
            entryId: _id,
            kind: 'award',
            colour: act.colour,
            points: act.points,
            count: 1,
            month,
            at,
          });
        if (state === 'removed')
          points.push({
            ...points.at(-1)!,
            _id: new Types.ObjectId(),
            kind: 'reverse',
            points: -act.points,
            count: -1,
          });
      }
      await app.models.Media.collection.insertMany(media, { ordered: false });
      await app.models.BoardEntry.collection.insertMany(entries, { ordered: false });
      await app.models.BoardPoints.collection.insertMany(points, { ordered: false });
      process.stdout.write(`\rseeding ${done + entries.length} / ${ENTRIES}`);
    }
    const onBoard = await app.models.BoardEntry.countDocuments({ communityId, month });
    console.log(
      `\nseeded ${ENTRIES} entries of ${month} (${onBoard} published) in ${((performance.now() - started) / 1000).toFixed(1)} s; engine RSS ${engineRss()}`,
    );

    const freezing = performance.now();
    const froze = await app.boards.freezer.freeze(communityId, month);
    const lines = await app.models.BoardLine.countDocuments({ communityId, month });
    console.log(
      `freezing ${month}: ${((performance.now() - freezing) / 1000).toFixed(2)} s (target ≤ 5 s), ${lines} lines, frozen ${froze}`,
    );

    await service.listen();
    const base = service.base();
    const tenant = await service.session('tenant');
    const board = `${base}/boards?communityId=${communityId}&month=${month}`;
    const cursorPage = await pageFurther(`${board}&colour=black`, tenant, 10);
    const cases: [string, string, string][] = [
      ["the frozen black board's first page", `${board}&colour=black`, '≥ 500 req/s, p99 ≤ 100'],
      ["the frozen red board's first page", `${board}&colour=red`, '≥ 500 req/s, p99 ≤ 100'],
      ['a black board page by cursor (the 11th)', cursorPage, '—'],
      ['the frozen ranking', `${base}/boards/ranking?communityId=${communityId}&month=${month}`, '—'],
      ['GET /api/me, for comparison', `${base}/me`, '—'],
    ];
    await printLoads(cases, tenant, SECONDS, CONCURRENCY);
    printMemory();
  } finally {
    await service.stop();
  }
}

run(main);
