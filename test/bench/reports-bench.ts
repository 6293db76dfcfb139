/**
 * Report endpoints under load (not a test): `npx tsx test/bench/reports-bench.ts [--reports 1000000] [--seconds 10]`.
 *
 * Runs the service as `npm start` does — the embedded engine in a child process on a temporary data directory,
 * the app listening on loopback with the WeChat stand-in — seeds the demo community plus N reports spread over a
 * year (default 1,000,000), then drives the report list and figures endpoints over HTTP with a few concurrent
 * clients and prints requests per second and latency percentiles, with the machine it ran on. Figures are reused
 * for a minute per range, so it also times computing them afresh, one request at a time.
 */
import { seedReports } from './report-seed';
import { arg, load as loadFrom, printMachine, printMemory, run, startBenchService } from './service';

const REPORTS = arg('reports', 1_000_000);
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 8);
const HOUR = 3600_000;

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
    const now = Date.now();
    const { grids } = await seedReports(app, community, REPORTS, now);

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
