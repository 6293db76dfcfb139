import { Decimal128, Long, MongoBulkWriteError, MongoServerError, ObjectId, type Db } from 'mongodb';
import { openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  db = h.db();
});

const serverError = async (p: Promise<unknown>): Promise<MongoServerError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
};

describe('insert and find', () => {
  it('generates ObjectIds, keeps _id first and round-trips BSON types', async () => {
    const c = db.collection('docs');
    const when = new Date('2024-01-02T03:04:05Z');
    const res = await c.insertOne({
      name: 'a',
      when,
      big: Long.fromString('9007199254740993'),
      dec: Decimal128.fromString('1.10'),
    });
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const raw = await c.findOne({}, { promoteLongs: false });
    expect(Object.keys(raw!)[0]).toBe('_id');
    expect(raw!.when).toEqual(when);
    expect(raw!.big).toEqual(Long.fromString('9007199254740993'));
    expect(raw!.dec.toString()).toBe('1.10');
  });

  it('filters with sort, projection, skip and limit', async () => {
    const c = db.collection('people');
    await c.insertMany([
      { name: 'ann', age: 31, tags: ['x'] },
      { name: 'bob', age: 25, tags: ['y', 'z'] },
      { name: 'cid', age: 40 },
      { name: 'dee', age: 25 },
    ]);
    const docs = await c
      .find({ age: { $gte: 25 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1, name: 1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(docs).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    expect(
      await c
        .find({}, { projection: { tags: 0, _id: 0, age: 0 } })
        .sort({ name: 1 })
        .limit(1)
        .toArray(),
    ).toEqual([{ name: 'ann' }]);
  });

  it('sorts, skips and limits large results like a full sort would', async () => {
    const c = db.collection('big');
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ i, g: (i * 7) % 11 })));
    const expected = Array.from({ length: 300 }, (_, i) => ({ i, g: (i * 7) % 11 }))
      .sort((a, b) => b.g - a.g || a.i - b.i)
      .slice(3, 13);
    const docs = await c
      .find({}, { projection: { _id: 0 } })
      .sort({ g: -1, i: 1 })
      .skip(3)
      .limit(10)
      .toArray();
    expect(docs).toEqual(expected);
  });

  it('compares numbers across int, double, Long and Decimal128', async () => {
    const c = db.collection('nums');
    await c.insertMany([
      { k: 'int', v: 5 },
      { k: 'dbl', v: 5.5 },
      { k: 'long', v: Long.fromNumber(6) },
      { k: 'dec', v: Decimal128.fromString('4.25') },
      { k: 'str', v: '7' },
    ]);
    const keys = async (filter: object): Promise<string[]> =>
      (await c.find(filter).sort({ v: 1 }).toArray()).map((d) => d.k as string);
    expect(await keys({ v: { $gt: 5 } })).toEqual(['dbl', 'long']);
    expect(await keys({ v: 6 })).toEqual(['long']);
    expect(await keys({ v: { $in: [Decimal128.fromString('5.0'), Long.fromNumber(6)] } })).toEqual(['int', 'long']);
    expect(await keys({ v: { $type: 'long' } })).toEqual(['long']);
    expect(await keys({ v: { $type: 'decimal' } })).toEqual(['dec']);
    expect(await keys({ v: { $type: 'number' } })).toEqual(['dec', 'int', 'dbl', 'long']);
    expect(await keys({ v: { $type: 'string' } })).toEqual(['str']);
  });

  it('supports the usual query operators', async () => {
    const c = db.collection('q');
    await c.insertMany([
      { n: 1, tags: ['a', 'b'], items: [{ sku: 'x', qty: 2 }], name: 'Alpha' },
      { n: 2, tags: ['b'], items: [{ sku: 'y', qty: 9 }], name: 'beta' },
      { n: 3, name: 'Gamma', nested: { deep: true } },
    ]);
    const ns = async (filter: object): Promise<number[]> =>
      (await c.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n as number);
    expect(await ns({ tags: 'b' })).toEqual([1, 2]);
    expect(await ns({ tags: { $all: ['a', 'b'] } })).toEqual([1]);
    expect(await ns({ tags: { $size: 1 } })).toEqual([2]);
    expect(await ns({ tags: { $exists: false } })).toEqual([3]);
    expect(await ns({ n: { $nin: [1, 3] } })).toEqual([2]);
    expect(await ns({ items: { $elemMatch: { sku: 'y', qty: { $gt: 5 } } } })).toEqual([2]);
    expect(await ns({ name: /^[ab]/i })).toEqual([1, 2]);
    expect(await ns({ name: { $regex: 'MM', $options: 'i' } })).toEqual([3]);
    expect(await ns({ $or: [{ n: 1 }, { 'nested.deep': true }] })).toEqual([1, 3]);
    expect(await ns({ $expr: { $gt: ['$n', 1] } })).toEqual([2, 3]);
    expect(await ns({ n: { $not: { $gt: 1 } } })).toEqual([1]);
    expect(await ns({ missing: null })).toEqual([1, 2, 3]);
  });

  it('matches subdocuments by exact field order', async () => {
    const c = db.collection('sub');
    await c.insertOne({ a: { x: 1, y: 2 } });
    expect(await c.countDocuments({ a: { x: 1, y: 2 } })).toBe(1);
    expect(await c.countDocuments({ a: { y: 2, x: 1 } })).toBe(0);
  });

  it('sorts arrays by their smallest element ascending and largest descending', async () => {
    const c = db.collection('arrsort');
    await c.insertMany([
      { k: 'a', v: [1, 10] },
      { k: 'b', v: [5] },
      { k: 'c', v: 7 },
    ]);
    const order = async (dir: 1 | -1): Promise<string[]> => (await c.find().sort({ v: dir }).toArray()).map((d) => d.k);
    expect(await order(1)).toEqual(['a', 'b', 'c']);
    expect(await order(-1)).toEqual(['a', 'c', 'b']);
  });

  it('sorts mixed types in BSON order', async () => {
    const c = db.collection('mixed');
    await c.insertMany([{ v: 'str' }, { v: 3 }, { v: null }, { v: true }, { v: new Date(0) }, { v: { a: 1 } }]);
    const types = (await c.find().sort({ v: 1 }).toArray()).map((d) => (d.v === null ? 'null' : d.v.constructor.name));
    expect(types).toEqual(['null', 'Number', 'String', 'Object', 'Boolean', 'Date']);
  });

  it('rejects an array _id', async () => {
    const err = await serverError(db.collection('bad').insertOne({ _id: [1, 2] as unknown as ObjectId }));
    expect(err.code).toBe(53);
  });
});

describe('projection of dotted paths', () => {
  it('includes a field of subdocuments, through arrays, in the stored order', async () => {
    const c = db.collection<{ _id: number; [field: string]: unknown }>('dotted');
    await c.insertMany([
      { _id: 1, z: 1, a: { y: 1, b: 2, c: 3 }, n: 'x' },
      { _id: 2, z: 2, a: [1, { b: 2, c: 3 }, { c: 4 }, [{ b: 5 }, 6]] },
      { _id: 3, z: 3, a: 5 },
      { _id: 4, z: 4 },
      { _id: 5, a: { c: 1 } },
    ]);
    const found = await c
      .find({}, { projection: { 'a.b': 1, z: 1 } })
      .sort({ _id: 1 })
      .toArray();
    expect(found).toEqual([
      { _id: 1, z: 1, a: { b: 2 } },
      { _id: 2, z: 2, a: [{ b: 2 }, {}, [{ b: 5 }]] },
      { _id: 3, z: 3 },
      { _id: 4, z: 4 },
      { _id: 5, a: {} },
    ]);
    expect(Object.keys(found[0]!)).toEqual(['_id', 'z', 'a']);
    expect(await c.findOne({ _id: 1 }, { projection: { _id: 0, 'a.c': 1, 'a.y': 1 } })).toEqual({
      a: { y: 1, c: 3 },
    });
  });
});

describe('batches', () => {
  it('are cut at 16 MB of what they return: large documents projected small come back in one batch', async () => {
    const c = db.collection('large');
    const big = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 40; i += 10) await c.insertMany(Array.from({ length: 10 }, (_, j) => ({ n: i + j, big })));
    const reply = await db.command({ find: 'large', projection: { _id: 0, n: 1 }, sort: { n: 1 } });
    expect(reply.cursor.firstBatch).toHaveLength(40);
    const whole = await db.command({ find: 'large', sort: { n: 1 } });
    expect(whole.cursor.firstBatch.length).toBeLessThan(16);
  });
});

describe('update', () => {
  it('updates one or many, counting matched and modified', async () => {
    const c = db.collection('u');
    await c.insertMany([
      { g: 1, v: 0 },
      { g: 1, v: 0 },
      { g: 2, v: 0 },
    ]);
    const one = await c.updateOne({ g: 1 }, { $inc: { v: 1 } });
    expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
    const many = await c.updateMany({ g: 1 }, { $set: { v: 5 } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    const same = await c.updateMany({ g: 1 }, { $set: { v: 5 } });
    expect([same.matchedCount, same.modifiedCount]).toEqual([2, 0]);
  });

  it('upserts from the filter, applying $setOnInsert only on insert', async () => {
    const c = db.collection('ups');
    const first = await c.updateOne(
      { key: 'k', 'meta.kind': 'x' },
      { $set: { seen: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    await c.updateOne({ key: 'k' }, { $set: { seen: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    const doc = await c.findOne({ key: 'k' }, { projection: { _id: 0 } });
    expect(doc).toEqual({ key: 'k', meta: { kind: 'x' }, seen: 2, created: true });
  });

  it('a batch whose projection grows it past 17 MB comes back whole', async () => {
    const c = db.collection('big');
    const s = 'x'.repeat(5 * 1024 * 1024);
    for (const n of [1, 2, 3]) await c.insertOne({ n, s });
    const docs = await c
      .find({}, { projection: { _id: 0, n: 1, t: { $concat: ['$s', '$s'] } } })
      .sort({ n: 1 })
      .toArray();
    expect(docs.map((d) => [d.n, (d.t as string).length])).toEqual([1, 2, 3].map((n) => [n, 2 * s.length]));
  });

  it('an upsert whose filter holds operators inserts the equality fields plus the whole update', async () => {
    const c = db.collection('ups-ops');
    await c.updateOne(
      { topic: 1, household: 2, proxy: { $ne: null }, n: { $gt: 3 } },
      { $set: { choice: 'yes', proxy: 'captain' }, $setOnInsert: { at: 1 } },
      { upsert: true },
    );
    const found = await c.findOneAndUpdate(
      { topic: 1, household: 3, proxy: { $exists: true } },
      { $set: { choice: 'no' }, $inc: { changes: 1 } },
      { upsert: true, returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(found).toEqual({ topic: 1, household: 3, choice: 'no', changes: 1 });
    expect(
      await c
        .find({}, { projection: { _id: 0 } })
        .sort({ household: 1 })
        .toArray(),
    ).toEqual([
      { topic: 1, household: 2, choice: 'yes', proxy: 'captain', at: 1 },
      { topic: 1, household: 3, choice: 'no', changes: 1 },
    ]);
  });

  it('applies the update operators', async () => {
    const c = db.collection('ops');
    const { insertedId } = await c.insertOne({ n: 5, arr: [1, 2, 3, 2], set: ['a'], old: 1, lo: 5, hi: 5, gone: 1 });
    await c.updateOne({ _id: insertedId }, {
      $inc: { n: 2 },
      $push: { log: { $each: [3, 1, 2], $sort: 1, $slice: 2 } },
      $pull: { arr: 2 },
      $addToSet: { set: { $each: ['a', 'b', 'b'] } },
      $rename: { old: 'renamed' },
      $min: { lo: 3 },
      $max: { hi: 9 },
      $unset: { gone: '' },
      $currentDate: { touched: true },
      $mul: { factor: 3 },
    } as never);
    const doc = await c.findOne({ _id: insertedId });
    expect(doc).toMatchObject({ n: 7, arr: [1, 3], set: ['a', 'b'], renamed: 1, lo: 3, hi: 9, log: [1, 2], factor: 0 });
    expect(doc!.gone).toBeUndefined();
    expect(doc!.touched).toBeInstanceOf(Date);
  });

  it('supports positional $, $[] and $[<id>] with arrayFilters', async () => {
    const c = db.collection('pos');
    await c.insertOne({ _id: 1 as unknown as ObjectId, grades: [{ g: 80 }, { g: 90 }, { g: 70 }], scores: [1, 2] });
    await c.updateOne({ _id: 1 as unknown as ObjectId, 'grades.g': 90 }, { $set: { 'grades.$.top': true } });
    await c.updateOne({ _id: 1 as unknown as ObjectId }, { $inc: { 'scores.$[]': 10 } });
    await c.updateOne(
      { _id: 1 as unknown as ObjectId },
      { $set: { 'grades.$[low].low': true } },
      { arrayFilters: [{ 'low.g': { $lt: 85 } }] },
    );
    expect(await c.findOne({}, { projection: { _id: 0 } })).toEqual({
      grades: [
        { g: 80, low: true },
        { g: 90, top: true },
        { g: 70, low: true },
      ],
      scores: [11, 12],
    });
  });

  it('replaces whole documents and runs pipeline updates', async () => {
    const c = db.collection('rep');
    const { insertedId } = await c.insertOne({ a: 1, b: 2 });
    await c.replaceOne({ _id: insertedId }, { c: 3 });
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    await c.updateOne({ _id: insertedId }, [{ $set: { d: { $add: ['$c', 1] } } }, { $unset: 'c' }]);
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, d: 4 });
  });

  it('reports MongoDB errors for invalid updates', async () => {
    const c = db.collection('bad');
    const { insertedId } = await c.insertOne({ s: 'text', n: 1 });
    expect((await serverError(c.updateOne({ _id: insertedId }, { $inc: { s: 1 } }))).code).toBe(14);
    expect((await serverError(c.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } }))).code).toBe(66);
    expect((await serverError(c.updateOne({ _id: insertedId }, { $set: { n: 1 }, $inc: { n: 1 } }))).code).toBe(40);
    expect((await serverError(c.updateOne({ _id: insertedId }, { $push: { s: 1 } } as never))).code).toBe(2);
    expect((await serverError(c.updateOne({ _id: insertedId }, { $bogus: { a: 1 } } as never))).code).toBe(9);
  });
});

describe('delete, count and distinct', () => {
  it('deletes one or many', async () => {
    const c = db.collection('d');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(0);
  });

  it('counts with the count command and estimates', async () => {
    const c = db.collection('cnt');
    await c.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(await c.estimatedDocumentCount()).toBe(3);
    expect(await c.countDocuments({ a: { $gt: 1 } })).toBe(2);
    expect(await c.countDocuments({}, { skip: 1, limit: 1 })).toBe(1);
    expect((await db.command({ count: 'cnt', query: { a: { $lte: 2 } } })).n).toBe(2);
  });

  it('lists distinct values, unwinding arrays', async () => {
    const c = db.collection('dist');
    await c.insertMany([
      { t: ['a', 'b'], g: 1 },
      { t: 'c', g: 1 },
      { t: ['a'], g: 2 },
    ]);
    expect((await c.distinct('t')).sort()).toEqual(['a', 'b', 'c']);
    expect((await c.distinct('t', { g: 1 })).sort()).toEqual(['a', 'b', 'c']);
    expect(await c.distinct('t', { g: 2 })).toEqual(['a']);
  });
});

describe('findAndModify', () => {
  it('returns the old or new document, with sort and projection', async () => {
    const c = db.collection('fam');
    await c.insertMany([
      { q: 1, v: 1 },
      { q: 1, v: 2 },
    ]);
    const before = await c.findOneAndUpdate({ q: 1 }, { $inc: { v: 10 } }, { sort: { v: -1 }, projection: { _id: 0 } });
    expect(before).toEqual({ q: 1, v: 2 });
    const after = await c.findOneAndUpdate({ q: 1 }, { $inc: { v: 10 } }, { sort: { v: -1 }, returnDocument: 'after' });
    expect(after!.v).toBe(22);
  });

  it('upserts, removes and reports result metadata', async () => {
    const c = db.collection('fam2');
    const up = await c.findOneAndUpdate(
      { name: 'x' },
      { $set: { n: 1 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(up.value).toMatchObject({ name: 'x', n: 1 });
    expect(up.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(up.lastErrorObject!.upserted).toBeInstanceOf(ObjectId);
    const repl = await c.findOneAndReplace({ name: 'x' }, { name: 'y' }, { returnDocument: 'after' });
    expect(repl).toMatchObject({ name: 'y' });
    const removed = await c.findOneAndDelete({ name: 'y' });
    expect(removed).toMatchObject({ name: 'y' });
    expect(await c.findOneAndDelete({ name: 'y' })).toBeNull();
  });
});

describe('bulk writes', () => {
  it('runs ordered bulkWrite and stops at the first error', async () => {
    const c = db.collection('bulk');
    await c.createIndex({ k: 1 }, { unique: true });
    const err = (await c
      .bulkWrite([
        { insertOne: { document: { k: 1 } } },
        { insertOne: { document: { k: 1 } } },
        { insertOne: { document: { k: 2 } } },
      ])
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.code).toBe(11000);
    expect(err.result.insertedCount).toBe(1);
    expect(await c.countDocuments()).toBe(1);
  });

  it('continues past duplicates when unordered', async () => {
    const c = db.collection('bulk2');
    await c.createIndex({ k: 1 }, { unique: true });
    const err = (await c
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }], { ordered: false })
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(err.writeErrors).toHaveLength(2);
    expect(err.result.insertedCount).toBe(3);
    const res = await c.bulkWrite(
      [
        { updateOne: { filter: { k: 1 }, update: { $set: { x: 1 } } } },
        { deleteOne: { filter: { k: 2 } } },
        { replaceOne: { filter: { k: 9 }, replacement: { k: 9 }, upsert: true } },
        { updateMany: { filter: {}, update: { $set: { all: true } } } },
      ],
      { ordered: false },
    );
    // Unordered bulk writes run grouped by kind: all updates (the upsert included) before the delete.
    expect([res.modifiedCount, res.deletedCount, res.upsertedCount]).toEqual([5, 1, 1]);
  });
});
