/**
 * The wish wall at scale (not a test): `npx tsx test/bench/wishes-bench.ts [--wishes 100000] [--seconds 10]
 * [--concurrency 8]`.
 *
 * The service as `npm start` runs it (see service.ts), the demo seeded, plus N wishes in 幸福里社区 straight into
 * the collection: one in five on the wall (published), the rest confirmed, claimed, pending or withdrawn. Then,
 * over HTTP as a resident with no part in any of them: the wall's first page and a page further on by its cursor
 * (target ≥ 500 req/s with p99 ≤ 100 ms at 8 connections), the done wall's first page, and `GET /api/me` as the
 * floor any authenticated request stands on.
 */
import { Types } from 'mongoose';
import type { PlaceNode } from '../../server/modules/places/model';
import { chinaDate } from '../../shared/china-time';
import { beneficiaryKinds, wishKinds, type WishState } from '../../shared/wishes';
import { arg, engineRss, pageFurther, printLoads, printMachine, printMemory, run, startBenchService } from './service';

const WISHES = arg('wishes', 100_000);
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 8);
const DAY = 24 * 3600_000;
const stateOf = (i: number): WishState =>
  i % 5 === 0
    ? 'published'
    : i % 5 === 1
      ? 'claimed'
      : i % 50 === 2
        ? 'pending'
        : i % 50 === 3
          ? 'withdrawn'
          : 'confirmed';

async function main() {
  printMachine();
  const service = await startBenchService('wishes-bench');
  const { app } = service;
  try {
    const community = await service.community();
    const communityId = community._id;
    const estates = await app.models.Node.find({ communityId, kind: 'estate' }).lean<PlaceNode[]>();
    const households = await app.models.Household.find({ communityId }).limit(500).lean();
    const staff = (await app.models.User.findOne({ openid: 'demo-staff' }).lean())!._id;
    const claimant = (await app.models.User.findOne({ openid: 'demo-volunteer' }).lean())!._id;
    const now = Date.now();
    const started = performance.now();

    const batch = 5000;
    for (let done = 0; done < WISHES; done += batch) {
      const wishes: Record<string, unknown>[] = [];
      for (let k = 0; k < Math.min(batch, WISHES - done); k++) {
        const i = done + k;
        const estate = estates[i % estates.length]!;
        const household = households[i % households.length]!;
        const state = stateOf(i);
        const createdAt = new Date(now - ((i * 7919) % 365) * DAY);
        const claimed = state === 'claimed' || state === 'confirmed';
        const claim = claimed
          ? {
              userId: claimant,
              type: 'volunteer',
              organisationId: null,
              showName: i % 2 === 0,
              claimedAt: createdAt,
              lapsesAt: new Date(createdAt.getTime() + 7 * DAY),
            }
          : null;
        wishes.push({
          _id: new Types.ObjectId(),
          communityId,
          nodeId: estate._id,
          ancestors: [...estate.ancestors, estate._id],
          householdId: household._id,
          postedBy: staff,
          onBehalf: true,
          idempotencyKey: `bench-${i}`,
          text: `第${i}号心愿：想请邻居帮忙${i % 3 === 0 ? '买一台收音机' : '陪老人聊聊天'}`,
          kind: wishKinds[i % wishKinds.length],
          beneficiaryKind: beneficiaryKinds[i % beneficiaryKinds.length],
          valueYuan: (i % 30) * 10,
          // The wall's wishes are wanted over the coming year, the others over the past one.
          wantedBy: chinaDate(new Date(now + (state === 'published' ? 1 : -1) * ((i * 31) % 365) * DAY)),
          mediaIds: [],
          showMaskedName: i % 3 === 0,
          beneficiary: { name: `受益人${i}`, phone: null, room: household.room, buildingName: '1栋' },
          moderation: { state: 'visible' },
          state,
          reviewNote: null,
          publishedAt: state === 'pending' ? null : createdAt,
          claim,
          claims: [],
          fulfilment: null,
          confirmation:
            state === 'confirmed'
              ? { by: 'beneficiary', thanks: i % 4 === 0 ? '谢谢好心人' : null, at: createdAt }
              : null,
          confirmedAt: state === 'confirmed' ? createdAt : null,
          dispute: null,
          version: 3,
          createdAt,
          updatedAt: createdAt,
        });
      }
      await app.models.Wish.collection.insertMany(wishes, { ordered: false });
      process.stdout.write(`\rseeding ${done + wishes.length} / ${WISHES}`);
    }
    const onWall = await app.models.Wish.countDocuments({ communityId, state: 'published' });
    console.log(
      `\nseeded ${WISHES} wishes (${onWall} on the wall) in ${((performance.now() - started) / 1000).toFixed(1)} s; engine RSS ${engineRss()}`,
    );

    await service.listen();
    const base = service.base();
    const tenant = await service.session('tenant');
    const wall = `${base}/wishes?view=wall&communityId=${communityId}`;
    // A page some way down the wall: follow the cursor ten pages.
    const cursorPage = await pageFurther(wall, tenant, 10);
    const cases: [string, string, string][] = [
      ["the wall's first page", wall, '≥ 500 req/s, p99 ≤ 100'],
      ['a wall page by cursor (the 11th)', cursorPage, '≥ 500 req/s, p99 ≤ 100'],
      ['the done wall (已圆梦) first page', `${base}/wishes?view=done&communityId=${communityId}`, '—'],
      // The floor every authenticated request stands on (issue 17): the wall cannot be faster than this.
      ['GET /api/me, for comparison', `${base}/me`, '—'],
    ];
    await printLoads(cases, tenant, SECONDS, CONCURRENCY);
    printMemory();
  } finally {
    await service.stop();
  }
}

run(main);
