/**
 * Report endpoints under load (not a test): `npx tsx test/bench/reports-bench.ts [--reports 1000000] [--seconds 10]`.
 *
 * Runs the service as `npm start` does — the embedded engine in a child process on a temporary data directory,
 * the app listening on loopback with the WeChat stand-in — seeds the demo community plus N reports spread over a
 * year (default 1,000,000), then drives the report list and figures endpoints over HTTP with a few concurrent
 * clients and prints requests per second and latency percentiles, with the machine it ran on. Figures are reused
 * for a minute per range, so it also times computing them afresh, one request at a time.
 */
import { Types } from 'mongoose';
import type { PlaceNode } from '../../server/modules/places/model';
import { defaultCategories } from '../../shared/reports';
import { arg, engineRss, load as loadFrom, printMachine, printMemory, run, startBenchService } from './service';

const REPORTS = arg('reports', 1_000_000);
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 8);
const HOUR = 3600_000;
const STATES = [
  'submitted',
  'accepted',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'closed',
  'closed',
  'closed',
  'rejected',
];

/** Calls `url` from CONCURRENCY clients for SECONDS. */
const load = (url: string, headers: Record<string, string>, seconds = SECONDS) =>
  loadFrom(url, headers, seconds, CONCURRENCY);

/**
 * Figures are reused for a minute per range, so the load numbers measure the reuse. This measures computing them:
 * one request at a time, each for a range not asked before (`to` moved by a millisecond); answers ms per request.
 */
async function cold(url: string, headers: Record<string, string>, times = 3): Promise<string> {
  const took: number[] = [];
  for (let i = 1; i <= times; i++) {
    const u = new URL(url);
    u.searchParams.set('to', new Date(new Date(u.searchParams.get('to')!).getTime() + i).toISOString());
    const started = performance.now();
    const res = await fetch(u, { headers });
    await res.arrayBuffer();
    if (!res.ok) return `failed (${res.status})`;
    took.push(performance.now() - started);
  }
  return took.map((t) => t.toFixed(0)).join(' / ');
}

async function main() {
  printMachine();
  const service = await startBenchService('bench');
  const { app } = service;
  try {
    const community = await service.community();
    const units = await app.models.Node.find({ communityId: community._id, kind: 'unit' }).lean<PlaceNode[]>();
    const grids = await app.models.Grid.find({ communityId: community._id }).lean();
    const reporters = await app.models.User.find({
      openid: { $in: ['demo-owner', 'demo-tenant', 'demo-captain', 'demo-volunteer'] },
    }).lean();
    const now = Date.now();

    // Seed straight into the collection (the service's moves would take hours for a million), with the fields
    // the moves would have set, so lists, handling order and figures all have realistic work to do.
    const seedStarted = performance.now();
    const batch = 10_000;
    for (let done = 0; done < REPORTS; done += batch) {
      const docs = Array.from({ length: Math.min(batch, REPORTS - done) }, (_, k) => {
        const i = done + k;
        const unit = units[i % units.length]!;
        const category = defaultCategories[i % defaultCategories.length]!;
        const state = STATES[i % STATES.length]!;
        const created = new Date(now - ((i * 7919) % (365 * 24)) * HOUR - (i % 3600) * 1000);
        const acceptBy = new Date(created.getTime() + category.acceptWithinMinutes * 60_000);
        const responded = state !== 'submitted';
        const resolved = ['resolved', 'closed'].includes(state);
        const building = unit.ancestors[3]!;
        return {
          communityId: community._id,
          nodeId: unit._id,
          ancestors: [...unit.ancestors, unit._id],
          estateId: unit.ancestors[2],
          gridId: grids.find((g) => g.buildingIds.some((b) => b.equals(building)))?._id ?? null,
          reporterId: reporters[i % reporters.length]!._id,
          idempotencyKey: `bench-${i}`,
          category: category.code,
          priority: category.priority,
          private: category.privateByDefault,
          description: `楼道问题第${i}号：请尽快处理`,
          location: { type: 'Point', coordinates: [116.39 + (i % 100) / 10_000, 39.9 + (i % 97) / 10_000] },
          state,
          level: i % 20 === 0 ? 'community' : 'grid',
          firstAcceptBy: acceptBy,
          acceptBy: state === 'submitted' ? acceptBy : null,
          respondedAt: responded ? new Date(created.getTime() + (i % 600) * 60_000) : null,
          respondedOnTime: responded ? i % 600 <= category.acceptWithinMinutes : null,
          firstResolveBy: responded ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000) : null,
          resolveBy: ['accepted', 'assigned', 'in_progress'].includes(state)
            ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000)
            : null,
          firstResolvedAt: resolved ? new Date(created.getTime() + (i % 4000) * 60_000) : null,
          resolvedOnTime: resolved ? i % 4000 <= category.resolveWithinMinutes : null,
          rating: state === 'closed' ? { score: (i % 5) + 1, comment: '' } : null,
          reopenCount: i % 17 === 0 ? 1 : 0,
          createdAt: created,
          updatedAt: created,
          _id: new Types.ObjectId(),
          // What mongoose would default on create.
          source: 'app',
          showName: false,
          mediaIds: [],
          followers: [],
          assignee: ['assigned', 'in_progress', 'resolved', 'closed'].includes(state)
            ? { kind: 'property', userId: null }
            : null,
          rejection: state === 'rejected' ? { kind: 'invalid', note: '不属实' } : null,
          resolution: resolved ? { note: '已处理', mediaIds: [] } : null,
          acceptedAt: responded ? new Date(created.getTime() + (i % 600) * 60_000) : null,
          resolvedAt: resolved ? new Date(created.getTime() + (i % 4000) * 60_000) : null,
          closedAt: state === 'closed' ? new Date(created.getTime() + (i % 4000) * 60_000 + HOUR) : null,
          autoClosed: false,
          moderation: { state: 'visible', flaggedBy: [] },
          version: 0,
          dueAt:
            state === 'submitted'
              ? acceptBy
              : ['accepted', 'assigned', 'in_progress'].includes(state)
                ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000)
                : null,
        };
      });
      await app.models.Report.collection.insertMany(docs, { ordered: false });
      if ((done / batch) % 10 === 0) process.stdout.write(`\rseeding ${done + docs.length} / ${REPORTS}`);
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(
      `\nseeded ${REPORTS} reports in ${seedSeconds.toFixed(1)} s (${(REPORTS / seedSeconds).toFixed(0)} docs/s); engine RSS ${engineRss()}`,
    );

    await service.listen();
    const base = service.base();
    const session = service.session;
    const [staff, grid, owner] = [await session('staff'), await session('grid'), await session('owner')];
    const firstPage = (await (await fetch(`${base}/reports?view=all&limit=20`, { headers: staff })).json()) as {
      nextCursor: string;
    };
    const month = new Date(now - 30 * 24 * HOUR).toISOString();
    const year = new Date(now - 365 * 24 * HOUR).toISOString();
    const to = new Date(now + HOUR).toISOString();
    const gridId = grids[0]!._id;
    const cases: [string, string, Record<string, string>][] = [
      ['list all (staff), first page', `${base}/reports?view=all&limit=20`, staff],
      [
        'list all (staff), second page by cursor',
        `${base}/reports?view=all&limit=20&cursor=${firstPage.nextCursor}`,
        staff,
      ],
      ['list submitted (staff)', `${base}/reports?view=all&state=submitted&limit=20`, staff],
      ['list mine (resident)', `${base}/reports?view=mine&limit=20`, owner],
      ['list estate (resident)', `${base}/reports?view=estate&limit=20`, owner],
      ['handling inbox by deadline (grid worker)', `${base}/reports?view=handling&limit=20`, grid],
      [
        'figures, community, last 30 days',
        `${base}/reports/figures?communityId=${community._id}&from=${month}&to=${to}`,
        staff,
      ],
      [
        'figures, one grid, last 30 days',
        `${base}/reports/figures?communityId=${community._id}&gridId=${gridId}&from=${month}&to=${to}`,
        staff,
      ],
      [
        'figures, community, last 12 months',
        `${base}/reports/figures?communityId=${community._id}&from=${year}&to=${to}`,
        staff,
      ],
    ];
    console.log(`\n${REPORTS} reports, ${CONCURRENCY} concurrent clients, ${SECONDS} s per endpoint`);
    console.log('endpoint | requests | req/s | p50 ms | p99 ms | failures');
    for (const [name, url, headers] of cases) {
      const r = await load(url, headers, SECONDS);
      console.log(`${name} | ${r.requests} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${r.failures}`);
    }
    console.log('\nfigures computed afresh, one request at a time (ms per request, three ranges)');
    for (const [name, url, headers] of cases.filter(([n]) => n.startsWith('figures')))
      console.log(`${name} | ${await cold(url, headers)}`);
    printMemory();
  } finally {
    await service.stop();
  }
}

run(main);
