/**
 * The cost of a request, against the framework's ceiling (not a test):
 * `npx tsx test/bench/throughput-bench.ts [--reports 100000] [--seconds 5] [--profile-seconds 5] [--out DIR]
 * [--log-level info] [--only TEXT]` (the service logs at info, as `npm start` does, unless told otherwise).
 *
 * In one run: a bare Fastify hello-world and the Linli service as `npm start` runs it (throughput-service.ts, in a
 * process of its own with the engine in its child; the demo plus N reports), both driven by the same keep-alive
 * load generator (http-load.ts) from this process, at 8 and 50 connections. For hello-world, `GET /api/me`, the
 * three report lists (the resident's, 待我处理, the staff's; the staff's again while reports are written, which ends
 * the pages the service keeps), a report's detail and a write (follow) it prints req/s,
 * p50, p99, the ratio to hello-world, the database round trips one request makes and the CPU one request costs the
 * service and the engine (from /proc); then a CPU profile of the
 * service under 50 connections for `/api/me`, the staff list, the detail and the write, with the functions that
 * spent the most time themselves and the share of each package. Profiles (`.cpuprofile`, for Chrome's DevTools)
 * are kept in DIR; `--summarise FILE…` prints that summary of profiles taken before. `--only` keeps the endpoints
 * whose name contains TEXT.
 */
import { execSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { httpLoad, type LoadResult } from './http-load';
import { arg, printMachine, run } from './service';
import type { ServiceReady, ServiceRequest } from './throughput-service';

const REPORTS = arg('reports', 100_000);
const SECONDS = arg('seconds', 5);
const PROFILE_SECONDS = arg('profile-seconds', 5);
const CONNECTIONS = [8, 50];
const levelAt = process.argv.indexOf('--log-level');
const LOG_LEVEL = levelAt > 0 ? process.argv[levelAt + 1]! : 'info';
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex > 0 ? process.argv[outIndex + 1]! : mkdtempSync(join(tmpdir(), 'linli-throughput-'));
mkdirSync(OUT, { recursive: true });
const ROOT = join(__dirname, '..', '..');
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1]! : '';

const HELLO = `const app = require('fastify')();
app.get('/', async () => ({ hello: 'world' }));
app.listen({ port: 0, host: '127.0.0.1' }).then(() => console.log(app.server.address().port));`;

/** The bare Fastify hello-world in a process of its own; answers its URL. */
async function startHello(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', HELLO], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(String(d))));
  return { url: `http://127.0.0.1:${port.trim()}/`, child };
}

/** The service in a process of its own, seeded and listening; `ask` sends it a request and waits for the answer. */
async function startService() {
  const log = join(OUT, 'service.log');
  const child = fork(
    join(__dirname, 'throughput-service.ts'),
    ['--reports', String(REPORTS), '--log-level', LOG_LEVEL],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', openSync(log, 'w'), 'inherit', 'ipc'],
    },
  );
  const answers: ((m: { op: string }) => boolean)[] = [];
  child.on('message', (m: { op: string }) => {
    const i = answers.findIndex((take) => take(m));
    if (i >= 0) answers.splice(i, 1);
  });
  const next = <T>(op: string) =>
    new Promise<T>((resolve) =>
      answers.push((m) => {
        if (m.op !== op) return false;
        resolve(m as T);
        return true;
      }),
    );
  const ready = await next<{ ready: ServiceReady }>('ready');
  const ask = <T = object>(request: ServiceRequest) => {
    const answer = next<T>(request.op);
    child.send(request);
    return answer;
  };
  return { ready: ready.ready, ask, child, log };
}

interface Case {
  name: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  profile?: string;
  /** Meanwhile, a resident follows and unfollows a report this many times a second (each write ends kept pages). */
  writesPerSecond?: number;
}

/** Follows and unfollows `url` (a report's follow), `perSecond` writes a second, until `until` (performance.now()). */
async function trickle(url: string, headers: Record<string, string>, perSecond: number, until: number) {
  let writes = 0;
  while (performance.now() < until) {
    const res = await fetch(url, { method: writes % 2 === 0 ? 'POST' : 'DELETE', headers });
    if (!res.ok) throw new Error(`follow: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    writes += 1;
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  return writes;
}

/**
 * Self time per function and per package in a V8 CPU profile, the idle samples left out. Counted in samples
 * rather than in the time between them: on a busy machine the process is descheduled for whole milliseconds,
 * and that gap would be charged to whichever function happened to be sampled next.
 */
function summarise(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    total += 1;
    const path = url.startsWith('file://') ? relative(ROOT, new URL(url).pathname) : url;
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? (path.split('/').slice(0, 3).join('/') || functionName);
    const fn = `${functionName || '(anonymous)'} ${path ? `${path}:${lineNumber + 1}` : ''}`.trim();
    self.set(fn, (self.get(fn) ?? 0) + 1);
    packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, samples]) => `  ${((100 * samples) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `${total} busy samples\n by package or folder:\n${top(packages, 10)}\n top self time:\n${top(self, 15)}`;
}

/** CPU seconds a process has used so far (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, the 14th and 15th fields of the line, in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const fmt = (r: LoadResult) => `${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)}`;

async function main() {
  const summariseAt = process.argv.indexOf('--summarise');
  if (summariseAt > 0) {
    for (const file of process.argv.slice(summariseAt + 1)) console.log(`\n${file}\n${summarise(file)}`);
    return;
  }
  printMachine();
  const hello = await startHello();
  const service = await startService();
  try {
    const { base, sessions, reportId } = service.ready;
    const every: Case[] = [
      { name: 'GET /api/me (resident)', url: `${base}/me`, headers: sessions.owner, profile: 'me' },
      { name: 'list mine (resident)', url: `${base}/reports?view=mine&limit=20`, headers: sessions.owner },
      { name: 'list 待我处理 (grid worker)', url: `${base}/reports?view=handling&limit=20`, headers: sessions.grid },
      {
        name: 'list all (staff)',
        url: `${base}/reports?view=all&limit=20`,
        headers: sessions.staff,
        profile: 'list-staff',
      },
      {
        name: 'list all (staff), 20 writes/s meanwhile',
        url: `${base}/reports?view=all&limit=20`,
        headers: sessions.staff,
        writesPerSecond: 20,
      },
      {
        name: 'report detail (resident)',
        url: `${base}/reports/${reportId}`,
        headers: sessions.owner,
        profile: 'detail',
      },
      {
        name: 'write: follow (resident)',
        url: `${base}/reports/${reportId}/follow`,
        method: 'POST',
        headers: sessions.owner,
        profile: 'write',
      },
    ];
    const cases = every.filter((c) => c.name.includes(ONLY));

    console.log(
      `\n${REPORTS} reports, service log at ${LOG_LEVEL}; ${SECONDS} s per endpoint and connections; profiles in ${OUT}`,
    );
    const helloRuns = new Map<number, LoadResult[]>();
    const helloAt = async () => {
      for (const connections of CONNECTIONS) {
        const r = await httpLoad(hello.url, { connections, seconds: SECONDS });
        helloRuns.set(connections, [...(helloRuns.get(connections) ?? []), r]);
      }
    };
    await helloAt();
    // The engine is the service's child running embedded-db (tsx's esbuild is another): CPU per request of each
    // side shows which one limits.
    const enginePid = Number(
      execSync(`ps -o pid=,args= --ppid ${service.child.pid}`)
        .toString()
        .split('\n')
        .find((line) => line.includes('embedded-db'))!
        .trim()
        .split(/\s+/)[0],
    );
    const cpuPerRequest = async (load: () => Promise<LoadResult>) => {
      const before = [cpuSeconds(service.child.pid!), cpuSeconds(enginePid)];
      const r = await load();
      const ms = (pid: number, i: number) => (((cpuSeconds(pid) - before[i]!) * 1000) / r.requests).toFixed(2);
      return { r, cpu: `${ms(service.child.pid!, 0)} | ${ms(enginePid, 1)}` };
    };
    const rows: { name: string; connections: number; r: LoadResult; trips: number; cpu: string }[] = [];
    for (const c of cases) {
      // Round trips to the database of one request, averaged over ten made one after the other.
      await service.ask({ op: 'count-start' });
      for (let i = 0; i < 10; i++) {
        const res = await fetch(c.url, { method: c.method ?? 'GET', headers: c.headers });
        if (!res.ok) throw new Error(`${c.name}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
      const { commands } = await service.ask<{ commands: number }>({ op: 'count-stop' });
      for (const connections of CONNECTIONS) {
        const { r, cpu } = await cpuPerRequest(async () => {
          const writes = c.writesPerSecond
            ? trickle(
                `${base}/reports/${reportId}/follow`,
                sessions.owner,
                c.writesPerSecond,
                performance.now() + SECONDS * 1000,
              )
            : undefined;
          const r = await httpLoad(c.url, { method: c.method, headers: c.headers, connections, seconds: SECONDS });
          await writes;
          return r;
        });
        rows.push({ name: c.name, connections, r, trips: commands / 10, cpu });
      }
    }
    // Hello-world again at the end: the ratio is to the mean of both, as other work on the machine drifts.
    await helloAt();

    const helloRate = (connections: number) => {
      const runs = helloRuns.get(connections)!;
      return runs.reduce((s, r) => s + r.perSecond, 0) / runs.length;
    };
    console.log(
      '\nendpoint | connections | req/s | p50 ms | p99 ms | % of hello-world | round trips | ' +
        'service CPU ms/req | engine CPU ms/req | failures',
    );
    for (const connections of CONNECTIONS) {
      const runs = helloRuns.get(connections)!;
      for (const r of runs)
        console.log(`hello-world (bare Fastify) | ${connections} | ${fmt(r)} | 100 | 0 | | | ${r.failures}`);
    }
    for (const { name, connections, r, trips, cpu } of rows) {
      const ratio = ((100 * r.perSecond) / helloRate(connections)).toFixed(2);
      console.log(`${name} | ${connections} | ${fmt(r)} | ${ratio} | ${trips} | ${cpu} | ${r.failures}`);
    }

    console.log(`\nCPU profiles of the service, 50 connections, ${PROFILE_SECONDS} s each`);
    for (const c of cases.filter((k) => k.profile)) {
      const file = join(OUT, `${c.profile}.cpuprofile`);
      await service.ask({ op: 'profile-start' });
      const r = await httpLoad(c.url, {
        method: c.method,
        headers: c.headers,
        connections: 50,
        seconds: PROFILE_SECONDS,
      });
      await service.ask({ op: 'profile-stop', file });
      console.log(`\n${c.name} (${r.perSecond.toFixed(0)} req/s while profiled; ${file})\n${summarise(file)}`);
    }
    printMachine();
  } finally {
    hello.child.kill();
    service.child.disconnect();
    await new Promise((resolve) => service.child.once('exit', resolve));
  }
}

run(main);
