import type { Long, MongoServerError } from 'mongodb';
import { type Db, type Document } from 'mongodb';
import { againstRealMongo, openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
  db = h.db();
  await db.collection('seq').insertMany(Array.from({ length: 1000 }, (_, i) => ({ i, pad: 'x'.repeat(50) })));
});
afterAll(() => h.close());

/** Raw commands, keeping cursor ids as Long (getMore and killCursors require a long). */
const command = (cmd: Document): Promise<Document> => db.command(cmd, { promoteLongs: false });

it('streams a large result over several getMore batches', async () => {
  const cursor = db
    .collection('seq')
    .find({ i: { $gte: 100 } })
    .sort({ i: 1 })
    .batchSize(128);
  let expected = 100;
  for await (const doc of cursor) expect(doc.i).toBe(expected++);
  expect(expected).toBe(1000);
});

it('speaks find / getMore / killCursors at the command level', async () => {
  const first = await command({ find: 'seq', filter: {}, sort: { i: 1 }, batchSize: 10 });
  expect(first.cursor.firstBatch).toHaveLength(10);
  const id = first.cursor.id as Long;
  expect(id.isZero()).toBe(false);
  const more = await command({ getMore: id, collection: 'seq', batchSize: 5 });
  expect(more.cursor.nextBatch.map((d: { i: number }) => d.i)).toEqual([10, 11, 12, 13, 14]);
  const killed = await command({ killCursors: 'seq', cursors: [id] });
  expect(killed.cursorsKilled).toHaveLength(1);
  const err = await command({ getMore: id, collection: 'seq' }).catch((e: unknown) => e);
  expect((err as MongoServerError).code).toBe(43);
});

it('closes the cursor when a limit or single batch is reached', async () => {
  const limited = await command({ find: 'seq', filter: {}, limit: 20, batchSize: 20 });
  expect(limited.cursor.id.isZero()).toBe(true);
  const single = await command({ find: 'seq', filter: {}, batchSize: 5, singleBatch: true });
  expect(single.cursor.firstBatch).toHaveLength(5);
  expect(single.cursor.id.isZero()).toBe(true);
  const none = await command({ find: 'seq', filter: {}, batchSize: 0 });
  expect(none.cursor.firstBatch).toHaveLength(0);
  expect(none.cursor.id.isZero()).toBe(false);
  await command({ killCursors: 'seq', cursors: [none.cursor.id] });
});

it('times out idle cursors', async () => {
  const admin = h.client.db('admin');
  const { was } = await admin.command({ setParameter: 1, cursorTimeoutMillis: 500 });
  try {
    const first = await command({ find: 'seq', filter: {}, batchSize: 2 });
    // mongod reaps every 60 s (clientCursorMonitorFrequencySecs); the engine checks several times a second.
    await new Promise((r) => setTimeout(r, againstRealMongo ? 65_000 : 1_500));
    const err = await command({ getMore: first.cursor.id, collection: 'seq' }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(43);
  } finally {
    await admin.command({ setParameter: 1, cursorTimeoutMillis: was ?? 600_000 });
  }
}, 80_000);
