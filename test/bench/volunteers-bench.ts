/**
 * Volunteer endpoints at scale (not a test): `npx tsx test/bench/volunteers-bench.ts [--volunteers 1000]
 * [--orders 100000] [--seconds 5]`.
 *
 * The service as `npm start` runs it (see service.ts), the demo seeded, plus N verified volunteers and M past
 * orders in 幸福里社区 (each served one credited in the ledger, a few still on hand so load counts), straight into
 * the collections. Then, over HTTP: the suggestion list for a new order (target p99 ≤ 100 ms) and a volunteer's
 * ledger page with totals (target p99 ≤ 50 ms), one client at a time and from a few at once.
 */
import { Types } from 'mongoose';
import type { PlaceNode } from '../../server/modules/places/model';
import { creditedHalfHours, dayParts, serviceKindLabel, serviceKinds, type OrderState } from '../../shared/volunteers';
import { arg, engineRss, load, printMachine, printMemory, run, startBenchService } from './service';

const VOLUNTEERS = arg('volunteers', 1000);
const ORDERS = arg('orders', 100_000);
const SECONDS = arg('seconds', 5);
const HOUR = 3600_000;
/** Past orders are mostly served; one in ten was cancelled and one in two hundred is still on hand (the load). */
const stateOf = (i: number): OrderState =>
  i % 200 === 0 ? 'accepted' : i % 10 === 9 ? 'cancelled' : i % 5 === 0 ? 'completed' : 'rated';

async function main() {
  printMachine();
  const service = await startBenchService('volunteers-bench');
  const { app } = service;
  try {
    const community = await service.community();
    const communityId = community._id;
    const units = await app.models.Node.find({ communityId, kind: 'unit' }).lean<PlaceNode[]>();
    const estates = await app.models.Node.find({ communityId, kind: 'estate' }).lean<PlaceNode[]>();
    const requesters = await app.models.User.find({
      openid: { $in: ['demo-owner', 'demo-tenant', 'demo-captain'] },
    }).lean();
    const demoVolunteer = (await app.models.User.findOne({ openid: 'demo-volunteer' }).lean())!._id;
    const now = Date.now();
    const started = performance.now();

    // Volunteers: the demo's 吴志愿 is one of them (so their ledger can be read as themselves).
    const userIds = [demoVolunteer, ...Array.from({ length: VOLUNTEERS - 1 }, () => new Types.ObjectId())];
    await app.models.Volunteer.collection.insertMany(
      userIds.slice(1).map((userId, i) => ({
        _id: new Types.ObjectId(),
        communityId,
        userId,
        realName: `志愿者${i}`,
        phone: `139${String(i).padStart(8, '0')}`,
        skills: [serviceKinds[i % serviceKinds.length], serviceKinds[(i * 3 + 1) % serviceKinds.length]],
        areaIds: [i % 3 === 0 ? communityId : estates[i % estates.length]!._id],
        availability: dayParts.flatMap((part, p) =>
          [0, 1, 2, 3, 4, 5, 6].filter((d) => (d + p + i) % 3 === 0).map((day) => ({ day, part })),
        ),
        status: 'verified',
        statusReason: null,
        ratingSum: (i % 5) * 7 + 10,
        ratingCount: (i % 5) + 2,
        createdAt: new Date(now - i * HOUR),
        updatedAt: new Date(now - i * HOUR),
      })),
    );

    const batch = 5000;
    for (let done = 0; done < ORDERS; done += batch) {
      const orders: Record<string, unknown>[] = [];
      const entries: Record<string, unknown>[] = [];
      for (let k = 0; k < Math.min(batch, ORDERS - done); k++) {
        const i = done + k;
        const unit = units[i % units.length]!;
        const state = stateOf(i);
        const kind = serviceKinds[i % serviceKinds.length]!;
        const volunteerId = state === 'cancelled' ? null : userIds[(i * 7 + 1) % userIds.length]!;
        const windowStart = new Date(now - ((i * 7919) % (365 * 24)) * HOUR);
        const minutes = 30 + (i % 150);
        const served = state === 'rated' || state === 'completed';
        const _id = new Types.ObjectId();
        orders.push({
          _id,
          communityId,
          nodeId: unit._id,
          ancestors: [...unit.ancestors, unit._id],
          requesterId: requesters[i % requesters.length]!._id,
          orderedBy: requesters[i % requesters.length]!._id,
          idempotencyKey: `bench-${i}`,
          kind,
          description: `第${i}号点单：${serviceKindLabel[kind]}`,
          windowStart,
          windowEnd: new Date(windowStart.getTime() + 2 * HOUR),
          state,
          volunteerId,
          acceptBy: null,
          firstDispatchedAt: volunteerId ? new Date(windowStart.getTime() - 20 * HOUR) : null,
          acceptedAt: volunteerId ? new Date(windowStart.getTime() - 19 * HOUR) : null,
          checkInAt: served ? windowStart : null,
          checkOutAt: served ? new Date(windowStart.getTime() + minutes * 60_000) : null,
          credited: served ? { halfHours: creditedHalfHours(minutes), minutes, manual: false } : null,
          rating: state === 'rated' ? { score: (i % 5) + 1, comment: '' } : null,
          complaint: null,
          offers: [],
          doorSecret: 'bench',
          doorUsedStep: 0,
          doorFailures: 0,
          doorLockedUntil: null,
          version: 4,
          createdAt: new Date(windowStart.getTime() - 24 * HOUR),
          updatedAt: windowStart,
        });
        if (served)
          entries.push({
            _id: new Types.ObjectId(),
            communityId,
            userId: volunteerId,
            kind: 'order',
            serviceKind: kind,
            orderId: _id,
            activityId: null,
            minutes,
            halfHours: creditedHalfHours(minutes),
            title: `${serviceKindLabel[kind]}：第${i}号点单`,
            note: null,
            reverses: null,
            at: new Date(windowStart.getTime() + minutes * 60_000),
          });
      }
      await app.models.VolunteerOrder.collection.insertMany(orders, { ordered: false });
      await app.models.HoursEntry.collection.insertMany(entries, { ordered: false });
      process.stdout.write(`\rseeding ${done + orders.length} / ${ORDERS}`);
    }
    // The registrations' running totals, as the ledger's appends would have kept them.
    const sums = await app.models.HoursEntry.aggregate<{ _id: Types.ObjectId; halfHours: number }>([
      { $match: { communityId } },
      { $group: { _id: '$userId', halfHours: { $sum: '$halfHours' } } },
    ]);
    await app.models.Volunteer.bulkWrite(
      sums.map((s) => ({
        updateOne: { filter: { communityId, userId: s._id }, update: { $set: { halfHours: s.halfHours } } },
      })),
    );
    const seconds = (performance.now() - started) / 1000;
    const ledgerSize = await app.models.HoursEntry.countDocuments({ communityId, userId: demoVolunteer });
    console.log(
      `\nseeded ${VOLUNTEERS} volunteers and ${ORDERS} orders in ${seconds.toFixed(1)} s; 吴志愿's ledger: ${ledgerSize} entries; engine RSS ${engineRss()}`,
    );

    await service.listen();
    const base = service.base();
    const [owner, grid, volunteer] = [
      await service.session('owner'),
      await service.session('grid'),
      await service.session('volunteer'),
    ];
    const windowStart = new Date(now + 26 * HOUR);
    const placed = await fetch(`${base}/volunteer-orders`, {
      method: 'POST',
      headers: { ...owner, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'elderly_help',
        description: '基准测试：陪老人去医院',
        windowStart: windowStart.toISOString(),
        windowEnd: new Date(windowStart.getTime() + 2 * HOUR).toISOString(),
        idempotencyKey: 'bench-new-order',
      }),
    });
    const order = (await placed.json()) as { id: string };
    const me = (await (await fetch(`${base}/volunteers/me`, { headers: volunteer })).json()) as { id: string };
    const cases: [string, string, Record<string, string>, string][] = [
      ['suggestions for a new order (grid worker)', `${base}/volunteer-orders/${order.id}/suggestions`, grid, '≤ 100'],
      ["a volunteer's ledger page and totals (themselves)", `${base}/volunteers/${me.id}/ledger`, volunteer, '≤ 50'],
    ];
    for (const concurrency of [1, 4]) {
      console.log(`\n${concurrency} client(s), ${SECONDS} s per endpoint`);
      console.log('endpoint | requests | req/s | p50 ms | p99 ms | target p99 | failures');
      for (const [name, url, headers, target] of cases) {
        const r = await load(url, headers, SECONDS, concurrency);
        console.log(`${name} | ${r.requests} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${target} | ${r.failures}`);
      }
    }
    printMemory();
  } finally {
    await service.stop();
  }
}

run(main);
