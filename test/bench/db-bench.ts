/**
 * Embedded database benchmark (not a test): `npx tsx test/bench/db-bench.ts [--child] [--big]`. Runs the engine on
 * a temporary data directory (every write is journaled durably) in this process, or with `--child` in a child
 * process as `npm start` does, and drives it through mongoose, printing the machine and the figures:
 *  - creates/s (one caller, and eight at once), insertMany docs/s, lean/hydrated findById and an indexed findOne at 1 k and 100 k documents
 *    (targets: ≥ 1,000 creates/s, ≥ 1,500 lean findById/s at 100 k, indexed 100 k no slower than half of 1 k);
 *  - report pages (community + state or category, sorted by creation time or deadline, 20 per page with a keyset
 *    cursor) and report figures (`$match` on community + date range, then `$group` or `$facet`) at 1 k reports;
 *  - with `--big` (which implies `--child`), the same at 1,000,000 reports (about 650 bytes each, five secondary
 *    indexes), the engine's heap holding them, and the time to write and to load their snapshot (it is restarted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema, Types, type Model } from 'mongoose';
import { spawnEmbeddedDb, startEmbeddedDb, type EmbeddedDb } from '../../server/embedded-db';
import { Journal } from '../../server/embedded-db/journal';
import { Store } from '../../server/embedded-db/store';

interface Resident {
  _id: Types.ObjectId;
  name: string;
  email: string;
  building: number;
  tags: string[];
}

const residentSchema = new Schema<Resident>(
  {
    name: String,
    email: { type: String, index: { unique: true } },
    building: Number,
    tags: [String],
  },
  { timestamps: true },
);

/** The report of the snap-and-report feature, as it is listed and counted. */
interface Report {
  communityId: Types.ObjectId;
  reporterId: Types.ObjectId;
  category: string;
  state: string;
  title: string;
  description: string;
  photos: string[];
  location: { type: string; coordinates: number[] };
  address: string;
  priority: number;
  deadline: Date;
  createdAt: Date;
  updatedAt: Date;
}

const reportSchema = new Schema<Report>(
  {
    communityId: Schema.Types.ObjectId,
    reporterId: Schema.Types.ObjectId,
    category: String,
    state: String,
    title: String,
    description: String,
    photos: [String],
    location: { type: { type: String }, coordinates: [Number] },
    address: String,
    priority: Number,
    deadline: Date,
  },
  { timestamps: true },
);
reportSchema.index({ communityId: 1, createdAt: -1 });
reportSchema.index({ communityId: 1, state: 1, createdAt: -1 });
reportSchema.index({ communityId: 1, category: 1, createdAt: -1 });
reportSchema.index({ communityId: 1, deadline: 1 });
reportSchema.index({ reporterId: 1, createdAt: -1 });

const COMMUNITIES = Array.from({ length: 200 }, (_, i) => new Types.ObjectId(i.toString(16).padStart(24, '0')));
const CATEGORIES = ['road', 'lighting', 'waste', 'noise', 'parking', 'greenery', 'water', 'other'];
const STATES = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed'];
const DAY = 86_400_000;
const T0 = Date.UTC(2023, 0, 1);
/** Reports are spread over this many days, created in order. */
const SPAN_DAYS = 700;

function report(i: number, total: number): Report {
  const createdAt = new Date(T0 + Math.floor((i / total) * SPAN_DAYS * DAY) + (i % 1000));
  return {
    communityId: COMMUNITIES[i % COMMUNITIES.length] as Types.ObjectId,
    reporterId: new Types.ObjectId(),
    category: CATEGORIES[(i * 7) % CATEGORIES.length] as string,
    state: STATES[(i * 13) % STATES.length] as string,
    title: `Streetlight out near block ${i % 977}`,
    description: `The light at the corner of building ${i % 50} has been flickering for days and is now completely dark; residents walking home at night cannot see the steps. Please check the wiring and replace the lamp. (#${i})`,
    photos: [`https://cdn.linli.test/reports/${i}/1.jpg`, `https://cdn.linli.test/reports/${i}/2.jpg`],
    location: { type: 'Point', coordinates: [121.4 + (i % 1000) / 10_000, 31.2 + (i % 777) / 10_000] },
    address: `Building ${i % 50}, Unit ${i % 6}, Lane 200, Xingfuli`,
    priority: i % 3,
    deadline: new Date(createdAt.getTime() + ((i % 14) + 1) * DAY),
    createdAt,
    updatedAt: createdAt,
  };
}

/** Operation counter shared by all runs, so every call (warm-up included) gets a fresh index. */
let seq = 0;

/** Runs `op` repeatedly for about `ms` milliseconds (after `warmMs` of warm-up) and returns operations per second. */
async function rate(op: (i: number) => Promise<unknown>, ms = 2000, warmMs = 300): Promise<number> {
  for (const end = performance.now() + warmMs; performance.now() < end;) await op(seq++);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await op(seq++);
    n++;
  }
  return Math.round((n * 1000) / (performance.now() - start));
}

/** Operations per second with `callers` concurrent callers (a server serving several people at once). */
async function concurrentRate(op: (i: number) => Promise<unknown>, callers: number, ms = 2000): Promise<number> {
  const start = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() - start < ms) {
        await op(seq++);
        n++;
      }
    }),
  );
  return Math.round((n * 1000) / (performance.now() - start));
}

const fmt = (n: number): string => n.toLocaleString('en-US').padStart(9);
const label = (s: string): string => `${s}:`.padEnd(34);
const perQuery = (ms: number): string => `${ms.toFixed(2).padStart(7)} ms/query ${fmt(Math.round(1000 / ms))} /s`;

async function fillResidents(M: Model<Resident>, from: number, to: number): Promise<number> {
  const start = performance.now();
  for (let i = from; i < to; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, to - i) }, (_, j) => ({
      name: `resident ${i + j}`,
      email: `r${i + j}@linli.test`,
      building: (i + j) % 50,
      tags: ['a', 'b'],
    }));
    await M.insertMany(batch, { lean: true });
  }
  return Math.round(((to - from) * 1000) / (performance.now() - start));
}

async function fillReports(R: Model<Report>, total: number, batch: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < total; i += batch) {
    await R.insertMany(
      Array.from({ length: Math.min(batch, total - i) }, (_, j) => report(i + j, total)),
      { lean: true },
    );
  }
  return Math.round((total * 1000) / (performance.now() - start));
}

/** Mean milliseconds of `runs` calls of `op` (after a few warm-up calls). */
async function timeEach(runs: number, op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await op(i);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await op(i);
  return (performance.now() - start) / runs;
}

/** Keyset paging: walks one community's list 20 at a time, `pages` pages over several lists. */
async function pageTime(R: Model<Report>, pages: number, by: 'createdAt' | 'deadline'): Promise<number> {
  let list = 0;
  let cursor: Date | null = null;
  return timeEach(pages, async () => {
    const base =
      by === 'createdAt'
        ? { communityId: COMMUNITIES[list % 50], state: STATES[list % STATES.length] }
        : { communityId: COMMUNITIES[list % 50], category: CATEGORIES[list % CATEGORIES.length] };
    const filter = cursor ? { ...base, [by]: by === 'createdAt' ? { $lt: cursor } : { $gt: cursor } } : base;
    const page = await R.find(filter)
      .sort({ [by]: by === 'createdAt' ? -1 : 1 })
      .limit(20)
      .lean();
    const last = page[page.length - 1];
    if (page.length < 20 || !last) {
      list++;
      cursor = null;
    } else cursor = last[by];
  });
}

/** Report figures for one community over 90 days: counts by category, or several facets at once. */
async function figuresTime(R: Model<Report>, runs: number, facet: boolean): Promise<{ ms: number; matched: number }> {
  let matched = 0;
  const ms = await timeEach(runs, async (i) => {
    const from = new Date(T0 + (i % 600) * DAY);
    const match = {
      communityId: COMMUNITIES[i % 50],
      createdAt: { $gte: from, $lt: new Date(from.getTime() + 90 * DAY) },
    };
    const stages = facet
      ? [
          {
            $facet: {
              byState: [{ $group: { _id: '$state', n: { $sum: 1 } } }],
              byCategory: [{ $group: { _id: '$category', n: { $sum: 1 } } }],
              overdue: [{ $match: { deadline: { $lt: from } } }, { $count: 'n' }],
            },
          },
        ]
      : [{ $group: { _id: '$category', n: { $sum: 1 }, priority: { $avg: '$priority' } } }];
    const out = await R.aggregate([{ $match: match }, ...stages]);
    if (!facet) matched += (out as Array<{ n: number }>).reduce((n, g) => n + g.n, 0);
  });
  return { ms, matched: Math.round(matched / (runs + 5)) };
}

async function reportFigures(R: Model<Report>, size: string, pages: number, runs: number): Promise<void> {
  console.log(`${label(`report page by createdAt at ${size}`)}${perQuery(await pageTime(R, pages, 'createdAt'))}`);
  console.log(`${label(`report page by deadline at ${size}`)}${perQuery(await pageTime(R, pages, 'deadline'))}`);
  const grouped = await figuresTime(R, runs, false);
  console.log(
    `${label(`$match+$group at ${size}`)}${perQuery(grouped.ms)}  (${grouped.matched} reports matched on average)`,
  );
  console.log(`${label(`$match+$facet at ${size}`)}${perQuery((await figuresTime(R, runs, true)).ms)}`);
}

async function heapUsed(): Promise<string> {
  const status = await mongoose.connection.db!.admin().command({ serverStatus: 1 });
  return `heap ${Math.round(status.heap.usedBytes / 2 ** 20)} MiB (limit ${Math.round(status.heap.limitBytes / 2 ** 30)} GiB), rss ${status.mem.resident} MiB`;
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(
    `machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  );
  console.log(
    `load: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'linli-db-bench-'));
  const fsyncDir = mkdtempSync(join(tmpdir(), 'linli-db-fsync-'));
  const big = process.argv.includes('--big');
  // A million documents need a larger heap than this process has: --big runs the engine as npm start does.
  const child = process.argv.includes('--child') || big;
  console.log(`engine: ${child ? 'child process (as npm start)' : 'in this process (as the tests)'}, data on disk`);
  const start = (): Promise<EmbeddedDb> =>
    child ? spawnEmbeddedDb({ dataDir: dir }) : startEmbeddedDb({ port: 0, dataDir: dir });
  let db = await start();
  try {
    const journal = await Journal.open(fsyncDir, new Store());
    const fsyncMs = await journal.fsyncCostMs(200);
    // One caller waits for one durable write per create: the disk alone caps the rate at this.
    console.log(
      `journal durable append (O_DSYNC write): ${fsyncMs.toFixed(3)} ms, so at most ${fmt(Math.round(1000 / fsyncMs)).trim()} durable writes/s one at a time on this disk now`,
    );
    await journal.close();

    await mongoose.connect(db.uri, { dbName: 'bench' });
    const M = mongoose.model<Resident>('Resident', residentSchema);
    await M.init();

    const create = (i: number) => M.create({ name: `c${i}`, email: `c${i}@linli.test`, building: i % 50, tags: [] });
    // A freshly started engine and driver take a few thousand creates before their hot paths are compiled: the
    // first second runs at about half the rate. The service runs for hours, so the steady rate is the one compared.
    const coldCreates = await rate(create, 1000, 0);
    const creates = await rate(create, 2000, 3000);
    console.log(`${label('mongoose create (fsync each)')}${fmt(creates)} /s  (one caller, each waits for its fsync)`);
    console.log(`${label('  the first second after start')}${fmt(coldCreates)} /s`);
    const concurrentCreates = await concurrentRate(
      (i) => M.create({ name: `c${i}`, email: `c${i}@linli.test`, building: i % 50, tags: [] }),
      8,
    );
    console.log(`${label('mongoose create, 8 callers')}${fmt(concurrentCreates)} /s  (group commit shares fsyncs)`);
    await M.deleteMany({});

    const results: Record<string, Record<number, number>> = { lean: {}, hydrated: {}, indexed: {} };
    let inserted = 0;
    for (const size of [1_000, 100_000]) {
      const perSec = await fillResidents(M, inserted, size);
      if (size === 100_000) console.log(`${label('insertMany (1,000 per call)')}${fmt(perSec)} docs/s`);
      inserted = size;
      const ids = (await M.find({}, { _id: 1 }).lean()).map((d) => d._id);
      const pick = (i: number): Types.ObjectId => ids[(i * 7919) % ids.length] as Types.ObjectId;
      results.lean![size] = await rate((i) => M.findById(pick(i)).lean());
      results.hydrated![size] = await rate((i) => M.findById(pick(i)));
      results.indexed![size] = await rate((i) => M.findOne({ email: `r${(i * 7919) % size}@linli.test` }).lean());
    }
    for (const [name, text] of [
      ['lean', 'findById lean'],
      ['hydrated', 'findById hydrated'],
      ['indexed', 'indexed findOne (email)'],
    ] as const) {
      const r = results[name]!;
      console.log(`${label(text)}${fmt(r[1_000]!)} /s at 1k  ${fmt(r[100_000]!)} /s at 100k`);
    }
    const ok =
      creates >= 1000 && results.lean![100_000]! >= 1500 && results.indexed![100_000]! >= results.indexed![1_000]! / 2;
    console.log(
      `targets (≥1,000 creates/s by one caller, ≥1,500 lean findById/s at 100k, indexed 100k ≥ half of 1k): ${ok ? 'met' : 'NOT met'}`,
    );

    const R = mongoose.model<Report>('Report', reportSchema);
    await R.init();
    await fillReports(R, 1_000, 1_000);
    await reportFigures(R, '1k', 300, 300);
    if (!big) return;

    await R.deleteMany({});
    const BIG = 1_000_000;
    console.log(`${label('insertMany reports (10,000/call)')}${fmt(await fillReports(R, BIG, 10_000))} docs/s`);
    await reportFigures(R, '1M', 300, 100);
    console.log(`${label('engine memory at 1M reports')}${await heapUsed()}`);
    await mongoose.disconnect();
    let t = performance.now();
    await db.stop();
    console.log(`${label('stop (snapshot written)')}${((performance.now() - t) / 1000).toFixed(1).padStart(9)} s`);
    t = performance.now();
    db = await start();
    console.log(`${label('start (snapshot loaded)')}${((performance.now() - t) / 1000).toFixed(1).padStart(9)} s`);
    await mongoose.connect(db.uri, { dbName: 'bench' });
    console.log(`${label('engine memory after the load')}${await heapUsed()}`);
    await reportFigures(R, '1M after load', 300, 100);
  } finally {
    await mongoose.disconnect();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(fsyncDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
