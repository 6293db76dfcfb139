/**
 * What the HTTP benchmarks share (not a test): the service run as `npm start` runs it — the embedded engine in a
 * child process on a temporary data directory, the WeChat stand-in, the app on loopback with the demo seeded —
 * logins, the machine's description, and timing an endpoint from a few concurrent clients.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app';
import { loadConfig } from '../../server/config';
import { spawnEmbeddedDb } from '../../server/embedded-db';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { demoCommunity } from '../../server/modules/demo/data';
import { seedDemo } from '../../server/modules/demo/seed';
import type { PlaceNode } from '../../server/modules/places/model';
import { startWechatStandin } from '../../server/wechat-standin';

export const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** Prints the machine and its load first, so figures from different machines can be told apart. */
export function printMachine(): void {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  );
  try {
    console.log(`load: ${execSync('cat /proc/loadavg').toString().trim()}`);
  } catch {
    /* not on Linux */
  }
}

/** Resident memory of the engine: this process's only child. */
export function engineRss(): string {
  try {
    const kb = execSync(`ps -o rss= --ppid ${process.pid}`)
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number)
      .reduce((a, b) => a + b, 0);
    return `${(kb / 1024).toFixed(0)} MiB`;
  } catch {
    return 'n/a';
  }
}

/** The engine's and this process's memory, at the end of a run. */
export function printMemory(): void {
  console.log(
    `engine RSS after the run: ${engineRss()}; service RSS: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

/** Runs a benchmark's main, exiting non-zero with the error when it fails. */
export function run(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/** Calls `url` from `concurrency` clients for `seconds`; answers req/s and latency percentiles (ms). */
export async function load(url: string, headers: Record<string, string>, seconds: number, concurrency: number) {
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) failures += 1;
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!.toFixed(1);
  return {
    requests: latencies.length,
    perSecond: (latencies.length / seconds).toFixed(1),
    p50: pct(50),
    p99: pct(99),
    failures,
  };
}

/** The URL of the page `pages` cursors on from `url` (or the last one there is). */
export async function pageFurther(url: string, headers: Record<string, string>, pages: number): Promise<string> {
  let page = url;
  for (let i = 0; i < pages; i++) {
    const body = (await (await fetch(page, { headers })).json()) as { nextCursor: string | null };
    if (!body.nextCursor) break;
    page = `${url}&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  return page;
}

/** Loads each case ([name, url, target]) from 1 and then `concurrency` clients, printing a table for each. */
export async function printLoads(
  cases: [string, string, string][],
  headers: Record<string, string>,
  seconds: number,
  concurrency: number,
): Promise<void> {
  for (const clients of [1, concurrency]) {
    console.log(`\n${clients} connection(s), ${seconds} s per endpoint, as a resident with no part in them`);
    console.log('endpoint | requests | req/s | p50 ms | p99 ms | target | failures');
    for (const [name, url, target] of cases) {
      const r = await load(url, headers, seconds, clients);
      console.log(`${name} | ${r.requests} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${target} | ${r.failures}`);
    }
  }
}

export interface BenchService {
  app: FastifyInstance;
  /** The demo community (幸福里社区) every benchmark fills. */
  community: () => Promise<PlaceNode>;
  /** `http://127.0.0.1:<port>/api` once `listen` was called. */
  base: () => string;
  listen: () => Promise<void>;
  /** Authorization headers of a demo user, logged in through the stand-in. */
  session: (key: string) => Promise<Record<string, string>>;
  stop: () => Promise<void>;
}

/**
 * The service as `npm start` runs it, demo seeded, not yet listening (seed first, then `listen`). Its log is off
 * unless `logger` is given (`npm start` logs at info).
 */
export async function startBenchService(
  name: string,
  opts: { logger?: AppOptions['logger'] } = {},
): Promise<BenchService> {
  const dataDir = mkdtempSync(join(tmpdir(), `linli-${name}-`));
  const db = await spawnEmbeddedDb({ dataDir: join(dataDir, 'db') });
  const config = loadConfig({
    NODE_ENV: 'test',
    LINLI_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const standin = await startWechatStandin({ appId: config.wechatAppId, secret: config.wechatSecret });
  const app = await buildApp({
    config,
    mongo: { uri: db.uri, kind: 'embedded', dbName: 'bench' },
    wechat: { baseUrl: standin.baseUrl, standin: true },
    logger: opts.logger ?? false,
    runJobs: false,
  });
  await seedDemo(app.db.connection, app.models);
  let base = '';
  return {
    app,
    community: async () =>
      (await app.models.Node.findOne({ kind: 'community', name: demoCommunity })
        .setOptions(CROSS_COMMUNITY)
        .lean<PlaceNode>())!,
    base: () => base,
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api`;
    },
    async session(key) {
      const minted = await fetch(`${standin.baseUrl}/linli-dev/mint-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid: `demo-${key}` }),
      });
      const { code } = (await minted.json()) as { code: string };
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      return { authorization: `Bearer ${accessToken}` };
    },
    async stop() {
      await app.close();
      await standin.stop();
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
