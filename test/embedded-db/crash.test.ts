/**
 * Crash safety: the engine runs in a child process under concurrent write load and is killed with SIGKILL at
 * random moments, several times over the same data directory. After each restart every acknowledged write must be
 * there, every multi-document insert (one command, one journal record) must be all-or-nothing, and no document may
 * be partially written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient, type MongoClientOptions } from 'mongodb';

const CLI = join(__dirname, '../../server/embedded-db/cli.ts');
const ROUNDS = 5;
const WRITERS = 4;
const BATCH = 10;

const payload = (key: string): string => createHash('sha256').update(key).digest('hex').repeat(8);

/** Every child and client started, so a failed assertion cannot leave an engine running and jest waiting on it. */
const children: ChildProcess[] = [];
const clients: MongoClient[] = [];

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;
const exited = (child: ChildProcess): Promise<unknown> =>
  alive(child) ? new Promise((r) => child.once('exit', r)) : Promise.resolve();

async function connect(uri: string, options: MongoClientOptions = {}): Promise<MongoClient> {
  const client = await MongoClient.connect(uri, options);
  clients.push(client);
  return client;
}

async function startChild(dir: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, CLI], {
    env: { ...process.env, LINLI_DB_PORT: '0', LINLI_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`engine exited early (${code})`)));
  });
  return { child, uri };
}

it('keeps every acknowledged write across repeated SIGKILLs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edb-crash-'));
  const acked = new Set<string>();
  const ackedBatches = new Set<string>();
  const counters = new Map<number, number>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { child, uri } = await startChild(dir);
      const client = await connect(uri, { retryWrites: false, serverSelectionTimeoutMS: 2000 });
      const c = client.db('crash').collection('docs');

      // Everything acknowledged before this restart must have survived the previous kill.
      const docs = await c.find({ kind: 'doc' }).toArray();
      const present = new Set(docs.map((d) => d.key as string));
      for (const key of acked) expect(present.has(key)).toBe(true);
      for (const d of docs) expect(d.payload).toBe(payload(d.key));
      const perBatch = new Map<string, number>();
      for (const d of docs) if (d.batch) perBatch.set(d.batch, (perBatch.get(d.batch) ?? 0) + 1);
      for (const n of perBatch.values()) expect(n).toBe(BATCH);
      for (const b of ackedBatches) expect(perBatch.get(b)).toBe(BATCH);
      for (const [w, n] of counters)
        expect((await c.findOne({ _id: `counter-${w}` as never }))?.n).toBeGreaterThanOrEqual(n);

      let running = true;
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; running; i++) {
          const key = `${round}-${w}-${i}`;
          try {
            if (i % 5 === 4) {
              const batch = `b-${key}`;
              const many = Array.from({ length: BATCH }, (_, j) => ({
                kind: 'doc',
                key: `${key}-${j}`,
                batch,
                payload: payload(`${key}-${j}`),
              }));
              await c.insertMany(many);
              ackedBatches.add(batch);
              for (const d of many) acked.add(d.key);
            } else {
              await c.insertOne({ kind: 'doc', key, payload: payload(key) });
              acked.add(key);
            }
            const n = (counters.get(w) ?? 0) + 1;
            await c.updateOne({ _id: `counter-${w}` as never }, { $set: { n } }, { upsert: true });
            counters.set(w, n);
          } catch {
            return; // the engine was killed: this write was never acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      child.kill('SIGKILL');
      running = false;
      await Promise.all(writers);
      await client.close(true);
      await exited(child);
    }
    expect(acked.size).toBeGreaterThan(ROUNDS * 20);

    const { child, uri } = await startChild(dir);
    const client = await connect(uri);
    const keys = new Set(
      (await client.db('crash').collection('docs').find({ kind: 'doc' }).toArray()).map((d) => d.key),
    );
    for (const key of acked) expect(keys.has(key)).toBe(true);
    await client.close();
    child.kill('SIGTERM');
    await exited(child);
  } finally {
    await Promise.all(clients.map((client) => client.close(true)));
    for (const child of children.filter(alive)) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  }
}, 55_000);
