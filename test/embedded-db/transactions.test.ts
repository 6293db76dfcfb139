import type { MongoServerError } from 'mongodb';
import { type Db } from 'mongodb';
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
