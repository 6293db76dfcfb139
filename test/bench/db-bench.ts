/**
 * Embedded database benchmark (not a test): `npx tsx test/bench/db-bench.ts [--child]`. Runs the engine on a
 * temporary data directory (every write is journaled durably) in this process, or with `--child` in a child process
 * as `npm start` does, and drives it through mongoose, printing the machine and operations per second. Targets:
 * ≥ 1,000 creates/s, ≥ 1,500 lean findById/s at 100 k documents, indexed lookups at 100 k no slower than half
 * their rate at 1 k.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema, type Model, type Types } from 'mongoose';
import { spawnEmbeddedDb, startEmbeddedDb } from '../../server/embedded-db';
import { Journal } from '../../server/embedded-db/journal';
import { Store } from '../../server/embedded-db/store';

interface Resident {
  _id: Types.ObjectId;
  name: string;
  email: string;
  building: number;
  tags: string[];
}

const schema = new Schema<Resident>(
  {
    name: String,
    email: { type: String, index: { unique: true } },
    building: Number,
    tags: [String],
  },
  { timestamps: true },
);

/** Operation counter shared by all runs, so every call (warm-up included) gets a fresh index. */
let seq = 0;

/** Runs `op` repeatedly for about `ms` milliseconds (after a short warm-up) and returns operations per second. */
async function rate(op: (i: number) => Promise<unknown>, ms = 2000): Promise<number> {
  for (const end = performance.now() + 300; performance.now() < end;) await op(seq++);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await op(seq++);
    n++;
  }
  return Math.round((n * 1000) / (performance.now() - start));
}

const fmt = (n: number): string => n.toLocaleString('en-US').padStart(9);

async function fill(M: Model<Resident>, from: number, to: number): Promise<number> {
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

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(
    `machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'linli-db-bench-'));
  const fsyncDir = mkdtempSync(join(tmpdir(), 'linli-db-fsync-'));
  const child = process.argv.includes('--child');
  console.log(`engine: ${child ? 'child process (as npm start)' : 'in this process (as the tests)'}, data on disk`);
  const db = child ? await spawnEmbeddedDb({ dataDir: dir }) : await startEmbeddedDb({ port: 0, dataDir: dir });
  try {
    const journal = await Journal.open(fsyncDir, new Store());
    console.log(`journal durable append (O_DSYNC write): ${(await journal.fsyncCostMs(200)).toFixed(3)} ms`);
    await journal.close();

    await mongoose.connect(db.uri, { dbName: 'bench' });
    const M = mongoose.model<Resident>('Resident', schema);
    await M.init();

    const creates = await rate((i) =>
      M.create({ name: `c${i}`, email: `c${i}@linli.test`, building: i % 50, tags: [] }),
    );
    console.log(`mongoose create (fsync each):     ${fmt(creates)} /s`);
    await M.deleteMany({});

    const results: Record<string, Record<number, number>> = { lean: {}, hydrated: {}, indexed: {} };
    let inserted = 0;
    for (const size of [1_000, 100_000]) {
      const perSec = await fill(M, inserted, size);
      if (size === 100_000) console.log(`insertMany (1,000 per call):      ${fmt(perSec)} docs/s`);
      inserted = size;
      const ids = (await M.find({}, { _id: 1 }).lean()).map((d) => d._id);
      const pick = (i: number): Types.ObjectId => ids[(i * 7919) % ids.length] as Types.ObjectId;
      results.lean![size] = await rate((i) => M.findById(pick(i)).lean());
      results.hydrated![size] = await rate((i) => M.findById(pick(i)));
      results.indexed![size] = await rate((i) => M.findOne({ email: `r${(i * 7919) % size}@linli.test` }).lean());
    }
    for (const [name, label] of [
      ['lean', 'findById lean'],
      ['hydrated', 'findById hydrated'],
      ['indexed', 'indexed findOne (email)'],
    ] as const) {
      const r = results[name]!;
      console.log(`${(label + ':').padEnd(34)}${fmt(r[1_000]!)} /s at 1k  ${fmt(r[100_000]!)} /s at 100k`);
    }
    const ok =
      creates >= 1000 && results.lean![100_000]! >= 1500 && results.indexed![100_000]! >= results.indexed![1_000]! / 2;
    console.log(
      `targets (≥1,000 creates/s, ≥1,500 lean findById/s at 100k, indexed 100k ≥ half of 1k): ${ok ? 'met' : 'NOT met'}`,
    );
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
