import type { ClientSession, Document, MongoServerError } from 'mongodb';
import { Long, Timestamp, type Db } from 'mongodb';
import { openHarness, openMongoose, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  db = h.db();
});

/** Transactions need a replica set member; against a standalone mongod these tests have nothing to check. */
const needsReplicaSet = (): boolean => h.replicaSet;

it('commits a transaction with withTransaction', async () => {
  if (!needsReplicaSet()) return;
  const accounts = db.collection('accounts');
  await accounts.insertMany([
    { _id: 'a' as never, balance: 100 },
    { _id: 'b' as never, balance: 0 },
  ]);
  const session = h.client.startSession();
  try {
    await session.withTransaction(async () => {
      await accounts.updateOne({ _id: 'a' as never }, { $inc: { balance: -30 } }, { session });
      await accounts.updateOne({ _id: 'b' as never }, { $inc: { balance: 30 } }, { session });
      await db.collection('log').insertOne({ moved: 30 }, { session });
    });
  } finally {
    await session.endSession();
  }
  expect((await accounts.find().sort({ _id: 1 }).toArray()).map((d) => d.balance)).toEqual([70, 30]);
  expect(await db.collection('log').countDocuments()).toBe(1);
});

it('rolls every change back on abort', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('items');
  await c.createIndex({ sku: 1 }, { unique: true });
  await c.insertOne({ sku: 'keep', qty: 1 });
  const session = h.client.startSession();
  try {
    session.startTransaction();
    await c.insertOne({ sku: 'new' }, { session });
    await c.updateOne({ sku: 'keep' }, { $set: { qty: 99 } }, { session });
    await c.deleteOne({ sku: 'keep' }, { session });
    expect(await c.countDocuments({}, { session })).toBe(1);
    await session.abortTransaction();
  } finally {
    await session.endSession();
  }
  expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ sku: 'keep', qty: 1 }]);
  await c.insertOne({ sku: 'new' });
});

it('hides uncommitted writes from readers outside the transaction', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('iso');
  await c.createIndex({ tag: 1 });
  await c.insertMany([
    { _id: 1 as never, v: 1, tag: 'a' },
    { _id: 2 as never, v: 1, tag: 'a' },
  ]);
  const session = h.client.startSession();
  try {
    session.startTransaction();
    await c.updateOne({ _id: 1 as never }, { $set: { v: 2, tag: 'b' } }, { session });
    await c.deleteOne({ _id: 2 as never }, { session });
    await c.insertOne({ _id: 3 as never, v: 3, tag: 'a' }, { session });
    const outside = await c
      .find({ tag: 'a' }, { projection: { tag: 0 } })
      .sort({ _id: 1 })
      .toArray();
    expect(outside).toEqual([
      { _id: 1, v: 1 },
      { _id: 2, v: 1 },
    ]);
    expect(await c.countDocuments({})).toBe(2);
    expect((await c.find({ tag: 'a' }, { session }).toArray()).map((d) => d._id)).toEqual([3]);
    await session.commitTransaction();
  } finally {
    await session.endSession();
  }
  expect((await c.find({ tag: 'a' }).toArray()).map((d) => d._id)).toEqual([3]);
});

it('aborts when the callback throws and on a duplicate key inside the transaction', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('t');
  await c.createIndex({ k: 1 }, { unique: true });
  await c.insertOne({ k: 1 });
  const session = h.client.startSession();
  try {
    await expect(
      session.withTransaction(async () => {
        await c.insertOne({ k: 2 }, { session });
        throw new Error('callback failed');
      }),
    ).rejects.toThrow('callback failed');
    await expect(
      session.withTransaction(async () => {
        await c.insertOne({ k: 3 }, { session });
        await c.insertOne({ k: 1 }, { session });
      }),
    ).rejects.toMatchObject({ code: 11000 });
  } finally {
    await session.endSession();
  }
  expect((await c.find().toArray()).map((d) => d.k)).toEqual([1]);
});

it('reports NoSuchTransaction (251) after a write error aborted the transaction', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('x');
  await c.createIndex({ k: 1 }, { unique: true });
  await c.insertOne({ k: 1 });
  const session = h.client.startSession();
  try {
    session.startTransaction();
    await c.insertOne({ k: 2 }, { session });
    await expect(c.insertOne({ k: 1 }, { session })).rejects.toMatchObject({ code: 11000 });
    const err = (await c.insertOne({ k: 3 }, { session }).catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(251);
    expect(err.errorLabels).toContain('TransientTransactionError');
    await session.abortTransaction().catch(() => undefined);
  } finally {
    await session.endSession();
  }
  expect((await c.find().toArray()).map((d) => d.k)).toEqual([1]);
});

it('makes a second transaction on the same data fail with a retryable WriteConflict (112)', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('conflict');
  await c.insertOne({ _id: 1 as never, v: 0 });
  const s1 = h.client.startSession();
  const s2 = h.client.startSession();
  try {
    s1.startTransaction();
    await c.updateOne({ _id: 1 as never }, { $inc: { v: 1 } }, { session: s1 });
    s2.startTransaction();
    const err = (await c
      .updateOne({ _id: 1 as never }, { $inc: { v: 10 } }, { session: s2 })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(112);
    expect(err.errorLabels).toContain('TransientTransactionError');
    await s2.abortTransaction();
    await s1.commitTransaction();
  } finally {
    await s1.endSession();
    await s2.endSession();
  }
  expect((await c.findOne())!.v).toBe(1);
});

it('serializes concurrent withTransaction writers without losing updates', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('counter');
  await c.insertOne({ _id: 'n' as never, v: 0 });
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      const session = h.client.startSession();
      try {
        await session.withTransaction(async () => {
          const doc = await c.findOne({ _id: 'n' as never }, { session });
          await c.updateOne({ _id: 'n' as never }, { $set: { v: doc!.v + 1 } }, { session });
        });
      } finally {
        await session.endSession();
      }
    }),
  );
  expect((await c.findOne())!.v).toBe(8);
}, 30_000);

it('runs transactions through mongoose', async () => {
  if (!needsReplicaSet()) return;
  const conn = await openMongoose(h);
  try {
    const Thing = conn.model('Thing', new conn.base.Schema({ name: String }));
    await Thing.createCollection();
    await conn.transaction(async (session) => {
      await Thing.create([{ name: 'kept' }], { session });
    });
    await expect(
      conn.transaction(async (session) => {
        await Thing.create([{ name: 'dropped' }], { session });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const session = await conn.startSession();
    await session.withTransaction(async () => {
      await Thing.updateOne({ name: 'kept' }, { $set: { name: 'renamed' } }, { session });
    });
    await session.endSession();
    expect((await Thing.find().lean()).map((t) => t.name)).toEqual(['renamed']);
  } finally {
    await conn.dropDatabase();
    await conn.close();
  }
});

it('lets many plain writers run concurrently', async () => {
  const c = db.collection('writers');
  await c.createIndex({ w: 1, i: 1 }, { unique: true });
  await Promise.all(
    Array.from({ length: 10 }, async (_, w) => {
      for (let i = 0; i < 30; i++) {
        await c.insertOne({ w, i });
        await c.updateOne({ _id: 'total' as never }, { $inc: { n: 1 } }, { upsert: true });
      }
    }),
  );
  expect(await c.countDocuments({ w: { $exists: true } })).toBe(300);
  expect((await c.findOne({ _id: 'total' as never }))!.n).toBe(300);
});

/** Runs `fn` with two sessions, ending them afterwards. */
async function withSessions(fn: (s1: ClientSession, s2: ClientSession) => Promise<void>): Promise<void> {
  const s1 = h.client.startSession();
  const s2 = h.client.startSession();
  try {
    await fn(s1, s2);
  } finally {
    await s1.endSession();
    await s2.endSession();
  }
}

it('runs transactions concurrently: readers are not blocked and writers of different documents both commit', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection<{ _id: number; v: number }>('concurrent');
  await c.insertMany([
    { _id: 1, v: 0 },
    { _id: 2, v: 0 },
  ]);
  await withSessions(async (s1, s2) => {
    s1.startTransaction();
    s2.startTransaction();
    await c.updateOne({ _id: 1 }, { $set: { v: 1 } }, { session: s1 });
    await c.updateOne({ _id: 2 }, { $set: { v: 2 } }, { session: s2 });
    // Each sees its own write only; a reader outside sees neither, at once.
    expect((await c.find({}, { session: s1 }).sort({ _id: 1 }).toArray()).map((d) => d.v)).toEqual([1, 0]);
    expect((await c.find({}, { session: s2 }).sort({ _id: 1 }).toArray()).map((d) => d.v)).toEqual([0, 2]);
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d.v)).toEqual([0, 0]);
    await s1.commitTransaction();
    // s2's snapshot predates s1's commit.
    expect((await c.findOne({ _id: 1 }, { session: s2 }))!.v).toBe(0);
    await s2.commitTransaction();
  });
  expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d.v)).toEqual([1, 2]);
});

it('reads a snapshot taken at its first command, and conflicts on a document changed since', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection<{ _id: number; v: number }>('snapshot');
  await c.insertMany([
    { _id: 1, v: 0 },
    { _id: 2, v: 0 },
  ]);
  await withSessions(async (s1) => {
    s1.startTransaction();
    expect(await c.countDocuments({}, { session: s1 })).toBe(2);
    await c.updateOne({ _id: 1 }, { $set: { v: 5 } });
    await c.insertOne({ _id: 3, v: 0 });
    await c.deleteOne({ _id: 2 });
    expect((await c.find({}, { session: s1 }).sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    const err = (await c
      .updateOne({ _id: 1 }, { $inc: { v: 1 } }, { session: s1 })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(112);
    expect(err.errorLabels).toContain('TransientTransactionError');
    await s1.abortTransaction();
  });
  expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => [d._id, d.v])).toEqual([
    [1, 5],
    [3, 0],
  ]);
});

it('makes a write outside transactions to a document a transaction wrote wait for its commit', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection<{ _id: number; v: number }>('waits');
  await c.insertOne({ _id: 1, v: 0 });
  await withSessions(async (s1) => {
    s1.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { v: 10 } }, { session: s1 });
    let done = false;
    const outside = c.updateOne({ _id: 1 }, { $inc: { v: 1 } }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(done).toBe(false);
    expect((await c.findOne({ _id: 1 }))!.v).toBe(0);
    await s1.commitTransaction();
    await outside;
  });
  expect((await c.findOne({ _id: 1 }))!.v).toBe(11);
});

it('checks unique keys against committed data, its own writes and other running transactions', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('uniq');
  await c.createIndex({ k: 1 }, { unique: true });
  await c.insertMany([
    { _id: 1 as never, k: 'a' },
    { _id: 2 as never, k: 'b' },
  ]);
  await withSessions(async (s1, s2) => {
    s1.startTransaction();
    // Freeing a key inside the transaction lets it be reused there.
    await c.updateOne({ _id: 1 as never }, { $set: { k: 'z' } }, { session: s1 });
    await c.insertOne({ _id: 3 as never, k: 'a' }, { session: s1 });
    s2.startTransaction();
    // s1 holds 'z' uncommitted: the later writer conflicts.
    const taken = (await c.insertOne({ k: 'z' }, { session: s2 }).catch((e: unknown) => e)) as MongoServerError;
    expect(taken.code).toBe(112);
    await s2.abortTransaction().catch(() => undefined);
    await expect(c.insertOne({ k: 'b' }, { session: s1 })).rejects.toMatchObject({ code: 11000 });
  });
  expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d.k)).toEqual(['a', 'b']);
});

it('keeps a collection and index created inside a transaction private until commit, and drops them on abort', async () => {
  if (!needsReplicaSet()) return;
  const list = async (): Promise<string[]> => (await db.listCollections().toArray()).map((x) => x.name).sort();
  await withSessions(async (s1) => {
    s1.startTransaction();
    await db.createCollection('made', { session: s1 });
    await db.collection('made').createIndex({ x: 1 }, { session: s1 });
    await db.collection('made').insertOne({ x: 1 }, { session: s1 });
    await db.collection('implicit').insertOne({ y: 1 }, { session: s1 });
    expect(await list()).toEqual([]);
    expect(await db.collection('made').countDocuments({}, { session: s1 })).toBe(1);
    await s1.commitTransaction();
    expect(await list()).toEqual(['implicit', 'made']);
    expect((await db.collection('made').indexes()).map((i) => i.name)).toEqual(['_id_', 'x_1']);
    s1.startTransaction();
    await db.createCollection('gone', { session: s1 });
    await db.collection('gone').insertOne({ x: 1 }, { session: s1 });
    await s1.abortTransaction();
  });
  expect(await list()).toEqual(['implicit', 'made']);
  const existing = h.client.startSession();
  try {
    existing.startTransaction();
    const err = (await db
      .collection('made')
      .createIndex({ z: 1 }, { session: existing })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(263);
    await existing.abortTransaction().catch(() => undefined);
  } finally {
    await existing.endSession();
  }
});

it('refuses count, per-operation writeConcern and a later readConcern inside a transaction', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('refused');
  await c.insertOne({ a: 1 });
  const session = h.client.startSession();
  try {
    // Raw commands, as a driver would never send these; the pooled server session may have run transactions.
    const base = Date.now();
    const inTxn = (n: number, extra: Document, start = false): Document => ({
      ...extra,
      txnNumber: Long.fromNumber(base + n),
      autocommit: false,
      ...(start ? { startTransaction: true } : {}),
    });
    const run = (cmd: Document): Promise<unknown> => db.command(cmd, { session }).catch((e: unknown) => e);
    expect(await run(inTxn(1, { count: 'refused' }, true))).toMatchObject({ code: 263 });
    expect(
      await run(inTxn(2, { insert: 'refused', documents: [{ b: 1 }], writeConcern: { w: 1 } }, true)),
    ).toMatchObject({ code: 72 });
    await db.command(inTxn(3, { find: 'refused', readConcern: { level: 'snapshot' } }, true), { session });
    expect(await run(inTxn(3, { find: 'refused', readConcern: { level: 'snapshot' } }))).toMatchObject({ code: 72 });
  } finally {
    // The server forgets those transaction numbers, so the driver may pool and reuse this session id.
    await h.client.db('admin').command({ endSessions: [session.id] });
    await session.endSession();
  }
  expect(await c.countDocuments()).toBe(1);
});

it('answers write concerns as a one-member replica set', async () => {
  if (!needsReplicaSet()) return;
  const wce = (w: unknown): Promise<unknown> =>
    db.command({ insert: 'wc', documents: [{ w: String(w) }], writeConcern: { w } }).then(
      (reply) => reply.writeConcernError,
      (err: MongoServerError) => err.code,
    );
  expect(await wce(10)).toBe(100);
  expect(await wce('no-such-tag')).toBe(79);
  expect(await wce('majority')).toBeUndefined();
  expect(await wce(1)).toBeUndefined();
  // The write itself happened, as on MongoDB.
  expect(await db.collection('wc').countDocuments()).toBe(4);
});

it('gossips a cluster time that advances with writes, and serves causally consistent sessions', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('causal');
  const first = await db.command({ ping: 1 });
  expect(first.$clusterTime.clusterTime).toBeInstanceOf(Timestamp);
  expect(first.operationTime).toBeInstanceOf(Timestamp);
  const wrote = await db.command({ insert: 'causal', documents: [{ a: 1 }] });
  expect(wrote.operationTime.greaterThan(first.operationTime)).toBe(true);
  const session = h.client.startSession({ causalConsistency: true });
  try {
    await c.insertOne({ a: 2 }, { session });
    expect(session.operationTime).toBeDefined();
    expect(await c.countDocuments({}, { session })).toBe(2);
  } finally {
    await session.endSession();
  }
});

it('lists the sessions the server holds with $listLocalSessions', async () => {
  const session = h.client.startSession();
  try {
    await db.collection('ls').insertOne({ a: 1 }, { session });
    const listed = await h.client
      .db('admin')
      .aggregate([{ $listLocalSessions: {} }, { $project: { _id: 1 } }])
      .toArray();
    expect(listed.map((s) => Buffer.from(s._id.id.buffer).toString('hex'))).toContain(session.id!.id.toString('hex'));
  } finally {
    await session.endSession();
  }
});

it('aborts every running transaction on killAllSessions', async () => {
  if (!needsReplicaSet()) return;
  const c = db.collection('killed');
  await c.insertOne({ _id: 1 as never, v: 0 });
  const session = h.client.startSession();
  try {
    session.startTransaction();
    await c.updateOne({ _id: 1 as never }, { $set: { v: 1 } }, { session });
    await h.client.db('admin').command({ killAllSessions: [] });
    // The transaction's hold on the document is gone: this write does not wait for it.
    await c.updateOne({ _id: 1 as never }, { $set: { v: 2 } });
    await expect(session.commitTransaction()).rejects.toMatchObject({ code: 251 });
  } finally {
    await session.endSession();
  }
  expect((await c.findOne())!.v).toBe(2);
});
