/**
 * Collations, views, validators, writing pipelines ($out, $merge), `let` variables and field order of projections:
 * what MongoDB 7.0 does, checked through the official driver (also runnable against a real server with MONGODB_URI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoServerError, type Db, type Document as Doc } from 'mongodb';
import { startEmbeddedDb } from '../../server/embedded-db';
import { Store, type JournalOp } from '../../server/embedded-db/store';
import { againstRealMongo, openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
});
beforeEach(() => {
  db = h.db();
});
afterAll(() => h.close());

const failure = async (p: Promise<unknown>): Promise<MongoServerError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
};

const names = ['张伟', '李娜', '王芳', '赵磊', '陈静'];

describe('collation', () => {
  it('matches, counts, lists distinct values and deletes case-insensitively at strength 2', async () => {
    const c = db.collection('words');
    await c.insertMany([{ w: 'ping' }, { w: 'PING' }, { w: 'Pong' }, { w: 'pïng' }]);
    const ci = { locale: 'en_US', strength: 2 };
    expect((await c.find({ w: 'Ping' }, { collation: ci }).toArray()).map((d) => d.w).sort()).toEqual(['PING', 'ping']);
    expect(await c.countDocuments({ w: 'ping' }, { collation: ci })).toBe(2);
    // Strength 1 also ignores the diaeresis.
    expect(await c.countDocuments({ w: 'ping' }, { collation: { locale: 'en', strength: 1 } })).toBe(3);
    expect(await c.countDocuments({ w: 'ping' })).toBe(1);
    expect(await c.distinct('w', { w: { $in: ['PING', 'pong'] } }, { collation: ci })).toHaveLength(2);
    expect((await c.deleteMany({ w: 'PING' }, { collation: ci })).deletedCount).toBe(2);
    expect((await c.updateOne({ w: 'PONG' }, { $set: { seen: true } }, { collation: ci })).modifiedCount).toBe(1);
  });

  it('sorts Chinese names by pinyin with the zh locale, in find and in $sort', async () => {
    const c = db.collection('people');
    await c.insertMany(names.map((name) => ({ name })));
    const pinyin = ['陈静', '李娜', '王芳', '张伟', '赵磊'];
    const found = await c.find().sort({ name: 1 }).collation({ locale: 'zh' }).toArray();
    expect(found.map((d) => d.name)).toEqual(pinyin);
    const agg = await c.aggregate([{ $sort: { name: -1 } }], { collation: { locale: 'zh' } }).toArray();
    expect(agg.map((d) => d.name)).toEqual([...pinyin].reverse());
    // Without a collation, strings sort by their UTF-8 bytes.
    const binary = await c.find().sort({ name: 1 }).toArray();
    expect(binary.map((d) => d.name)).toEqual([...names].sort());
  });

  it("uses the collection's default collation, which a query's own collation overrides", async () => {
    await db.createCollection('ci', { collation: { locale: 'en', strength: 2 } });
    const c = db.collection('ci');
    await c.insertMany([{ _id: 1, w: 'a' } as never, { _id: 2, w: 'A' } as never, { _id: 3, w: 'b' } as never]);
    expect(await c.countDocuments({ w: 'a' })).toBe(2);
    expect(await c.countDocuments({ w: 'a' }, { collation: { locale: 'simple' } })).toBe(1);
    const info = await db.listCollections({ name: 'ci' }).next();
    expect((info as { options?: Doc } | null)?.options?.collation).toMatchObject({ locale: 'en', strength: 2 });
  });

  it('keeps answers right when an index has a different collation than the query', async () => {
    const c = db.collection('indexed');
    await c.createIndex({ w: 1 }, { collation: { locale: 'en', strength: 2 } });
    await c.insertMany([{ w: 'a' }, { w: 'A' }, { w: 'b' }]);
    expect(await c.countDocuments({ w: 'a' })).toBe(1);
    expect(await c.countDocuments({ w: 'a' }, { collation: { locale: 'en', strength: 2 } })).toBe(2);
    const [, idx] = await c.indexes();
    expect(idx?.collation).toMatchObject({ locale: 'en', strength: 2 });
    expect(
      (
        await c
          .find({ w: { $gte: 'a' } })
          .sort({ w: 1 })
          .toArray()
      ).map((d) => d.w),
    ).toEqual(['a', 'b']);
  });

  it('refuses an unknown locale', async () => {
    const err = await failure(
      db
        .collection('x')
        .find({}, { collation: { locale: 'xx_NOPE_1234' } })
        .toArray(),
    );
    expect(err.code).toBe(2);
  });
});

describe('views', () => {
  beforeEach(async () => {
    await db
      .collection('base')
      .insertMany([
        { _id: 1, kind: 'a', n: 3 } as never,
        { _id: 2, kind: 'b', n: 1 } as never,
        { _id: 3, kind: 'a', n: 2 } as never,
      ]);
    await db.createCollection('onlyA', { viewOn: 'base', pipeline: [{ $match: { kind: 'a' } }] });
  });

  it('reads through the pipeline with find, count, distinct and aggregate, and over another view', async () => {
    const v = db.collection('onlyA');
    expect(await v.find({}, { sort: { n: 1 }, projection: { _id: 1 } }).toArray()).toEqual([{ _id: 3 }, { _id: 1 }]);
    expect(await v.countDocuments({ n: { $gt: 2 } })).toBe(1);
    expect(await v.distinct('kind')).toEqual(['a']);
    expect(await v.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }]).toArray()).toEqual([
      { _id: null, total: 5 },
    ]);
    await db.createCollection('bigA', { viewOn: 'onlyA', pipeline: [{ $match: { n: { $gte: 3 } } }] });
    expect(await db.collection('bigA').find().toArray()).toEqual([{ _id: 1, kind: 'a', n: 3 }]);
  });

  it('is listed as a view and refuses writes with 166', async () => {
    const listed = await db.listCollections({ name: 'onlyA' }).next();
    expect(listed).toMatchObject({ type: 'view', options: { viewOn: 'base' } });
    const v = db.collection('onlyA');
    for (const write of [
      v.insertOne({ kind: 'a' }),
      v.updateOne({}, { $set: { n: 0 } }),
      v.deleteMany({}),
      v.findOneAndDelete({}),
      v.createIndex({ n: 1 }),
    ])
      expect((await failure(write)).code).toBe(166);
    expect(await db.collection('base').countDocuments()).toBe(3);
  });
});

describe('document validation', () => {
  it('refuses documents breaking the validator with 121, unless bypassed; collMod replaces it', async () => {
    await db.createCollection('checked', { validator: { age: { $gte: 0 } } });
    const c = db.collection('checked');
    await c.insertOne({ _id: 1, age: 5 } as never);
    const err = await failure(c.insertOne({ _id: 2, age: -1 } as never));
    expect(err.code).toBe(121);
    expect(err.errInfo).toMatchObject({ failingDocumentId: 2 });
    expect((await failure(c.updateOne({ _id: 1 } as never, { $set: { age: -3 } }))).code).toBe(121);
    await c.insertOne({ _id: 3, age: -1 } as never, { bypassDocumentValidation: true });
    await db.command({ collMod: 'checked', validator: { age: { $lt: 0 } }, validationAction: 'error' });
    await c.insertOne({ _id: 4, age: -2 } as never);
    expect((await failure(c.insertOne({ _id: 5, age: 2 } as never))).code).toBe(121);
    const info = await db.listCollections({ name: 'checked' }).next();
    expect((info as { options?: Doc } | null)?.options).toMatchObject({ validator: { age: { $lt: 0 } } });
  });

  it('checks $jsonSchema validators', async () => {
    const schema = {
      bsonType: 'object',
      required: ['name', 'age'],
      properties: {
        name: { bsonType: 'string', minLength: 1 },
        age: { bsonType: 'int', minimum: 0, maximum: 150 },
        tags: { bsonType: 'array', items: { enum: ['a', 'b'] }, uniqueItems: true },
      },
      additionalProperties: true,
    };
    await db.createCollection('schema', { validator: { $jsonSchema: schema } });
    const c = db.collection('schema');
    await c.insertOne({ name: '王芳', age: 30, tags: ['a', 'b'] });
    for (const bad of [
      { name: '王芳' },
      { name: '', age: 3 },
      { name: 'x', age: 200 },
      { name: 'x', age: 1, tags: ['c'] },
    ])
      expect((await failure(c.insertOne(bad))).code).toBe(121);
    expect(await c.countDocuments({ $jsonSchema: { required: ['tags'] } })).toBe(1);
    expect((await failure(db.createCollection('badSchema', { validator: { $jsonSchema: { frob: 1 } } }))).code).toBe(2);
  });

  it("leaves invalid documents free to change with validationLevel 'moderate', and warns only with 'warn'", async () => {
    const c = db.collection('moderate');
    await c.insertMany([{ _id: 1, age: -1 } as never, { _id: 2, age: 1 } as never]);
    await db.command({ collMod: 'moderate', validator: { age: { $gte: 0 } }, validationLevel: 'moderate' });
    await c.updateOne({ _id: 1 } as never, { $set: { age: -5 } });
    expect((await failure(c.updateOne({ _id: 2 } as never, { $set: { age: -5 } }))).code).toBe(121);
    await db.command({ collMod: 'moderate', validationAction: 'warn' });
    await c.updateOne({ _id: 2 } as never, { $set: { age: -5 } });
    expect(await c.countDocuments({ age: -5 })).toBe(2);
  });
});

describe('$out and $merge', () => {
  beforeEach(async () => {
    await db
      .collection('src')
      .insertMany([
        { _id: 1, g: 'x', v: 1 } as never,
        { _id: 2, g: 'y', v: 2 } as never,
        { _id: 3, g: 'x', v: 3 } as never,
      ]);
  });

  it('$out replaces the target, keeping its indexes, and returns no documents', async () => {
    const target = db.collection('totals');
    await target.insertOne({ _id: 'old', total: 0 } as never);
    await target.createIndex({ total: 1 }, { unique: true });
    const out = await db
      .collection('src')
      .aggregate([{ $group: { _id: '$g', total: { $sum: '$v' } } }, { $out: 'totals' }])
      .toArray();
    expect(out).toEqual([]);
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'x', total: 4 },
      { _id: 'y', total: 2 },
    ]);
    expect((await target.indexes()).map((i) => i.name)).toEqual(['_id_', 'total_1']);
    // A duplicate key leaves the target as it was.
    const dup = db.collection('src').aggregate([{ $project: { total: { $literal: 1 } } }, { $out: 'totals' }]);
    expect((await failure(dup.toArray())).code).toBe(11000);
    expect(await target.countDocuments()).toBe(2);
  });

  it('$out writes to another database', async () => {
    const other = h.db();
    await db
      .collection('src')
      .aggregate([{ $match: { g: 'y' } }, { $out: { db: other.databaseName, coll: 'copy' } }])
      .toArray();
    expect(await other.collection('copy').find().toArray()).toEqual([{ _id: 2, g: 'y', v: 2 }]);
  });

  it('refuses $out inside a transaction', async () => {
    if (!h.replicaSet) return; // transactions need a replica set
    const session = h.client.startSession();
    session.startTransaction();
    const inTxn = db
      .collection('src')
      .aggregate([{ $out: 'copy' }], { session })
      .toArray();
    expect((await failure(inTxn)).code).toBe(263);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await db.listCollections({ name: 'copy' }).toArray()).toEqual([]);
  });

  it('$merge merges, replaces, keeps or fails on matches and inserts, discards or fails the rest', async () => {
    const t = db.collection('merged');
    await t.insertMany([{ _id: 1, keep: true } as never, { _id: 9, keep: true } as never]);
    const merge = (spec: object) =>
      db
        .collection('src')
        .aggregate([{ $match: { _id: { $lte: 2 } } }, { $merge: { into: 'merged', ...spec } }])
        .toArray();
    await merge({});
    expect(await t.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, keep: true, g: 'x', v: 1 },
      { _id: 2, g: 'y', v: 2 },
      { _id: 9, keep: true },
    ]);
    await merge({ whenMatched: 'replace', whenNotMatched: 'discard' });
    expect(await t.findOne({ _id: 1 } as never)).toEqual({ _id: 1, g: 'x', v: 1 });
    await merge({ whenMatched: [{ $set: { v: { $add: ['$v', '$$new.v'] } } }] });
    expect(await t.findOne({ _id: 2 } as never)).toEqual({ _id: 2, g: 'y', v: 4 });
    await merge({ whenMatched: 'keepExisting', whenNotMatched: 'fail' });
    expect((await failure(merge({ whenMatched: 'fail' }))).code).toBe(11000);
    await t.deleteOne({ _id: 2 } as never);
    expect((await failure(merge({ whenNotMatched: 'fail' }))).code).toBe(13113);
  });

  it('$merge matches on other unique fields', async () => {
    const t = db.collection('byG');
    const mergeOnG = [{ $project: { _id: 0, g: 1 } }, { $merge: { into: 'byG', on: 'g' } }];
    expect((await failure(db.collection('src').aggregate(mergeOnG).toArray())).code).toBe(51183);
    await t.createIndex({ g: 1 }, { unique: true });
    await t.insertOne({ g: 'x', seen: 1 });
    await db
      .collection('src')
      .aggregate([
        { $group: { _id: '$g', n: { $sum: 1 } } },
        { $project: { _id: 0, g: '$_id', n: 1 } },
        { $merge: { into: 'byG', on: 'g' } },
      ])
      .toArray();
    expect(
      await t
        .find({}, { projection: { _id: 0 } })
        .sort({ g: 1 })
        .toArray(),
    ).toEqual([
      { g: 'x', seen: 1, n: 2 },
      { g: 'y', n: 1 },
    ]);
  });
});

describe('let variables, projections, sessions and 7.0 validation', () => {
  it('evaluates let values as expressions in find, aggregate, update and delete', async () => {
    const c = db.collection('lets');
    await c.insertMany([{ _id: 1 } as never, { _id: 2 } as never]);
    const lets = { id: 1, label: { $literal: '$notAField' }, twice: { $multiply: [2, 3] } };
    const match = { $expr: { $eq: ['$_id', '$$id'] } };
    expect(await c.find(match, { let: lets }).toArray()).toEqual([{ _id: 1 }]);
    const projected = await c
      .aggregate([{ $match: match }, { $project: { label: '$$label', twice: '$$twice' } }], { let: lets })
      .toArray();
    expect(projected).toEqual([{ _id: 1, label: '$notAField', twice: 6 }]);
    await c.updateOne(match, [{ $set: { label: '$$label' } }], { let: lets });
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, label: '$notAField' });
    expect((await c.deleteOne(match, { let: lets })).deletedCount).toBe(1);
  });

  it('returns included fields in the stored order, _id first', async () => {
    const c = db.collection('order');
    await c.insertOne({ _id: 1, a: 1, b: { x: 1, y: 2 }, c: 3 } as never);
    const [found] = await c.find({}, { projection: { c: 1, 'b.y': 1, 'b.x': 1, a: 1 } }).toArray();
    expect(Object.keys(found ?? {})).toEqual(['_id', 'a', 'b', 'c']);
    expect(Object.keys(found?.b ?? {})).toEqual(['x', 'y']);
    const shapes: Array<[Doc, Doc]> = [
      [{ _id: 1 }, { _id: 1 }],
      [
        { _id: 0, c: 1, a: 1 },
        { a: 1, c: 3 },
      ],
      [{ b: 0 }, { _id: 1, a: 1, c: 3 }],
      [
        { _id: 0, a: 0 },
        { b: { x: 1, y: 2 }, c: 3 },
      ],
      [{ 'b.x': 0 }, { _id: 1, a: 1, b: { y: 2 }, c: 3 }],
    ];
    for (const [projection, expected] of shapes) expect(await c.findOne({}, { projection })).toEqual(expected);
    const [projected] = await c.aggregate([{ $project: { c: 1, a: 1, sum: { $add: ['$a', '$c'] } } }]).toArray();
    expect(Object.keys(projected ?? {})).toEqual(['_id', 'a', 'c', 'sum']);
  });

  it('lists the local sessions', async () => {
    const session = h.client.startSession();
    await h.client.db('admin').command({ ping: 1 }, { session });
    const listed = await h.client
      .db('admin')
      .aggregate([{ $listLocalSessions: {} }])
      .toArray();
    const id = Buffer.from(session.id?.id.buffer ?? []);
    expect(listed.some((s) => Buffer.from(s._id.id.buffer).equals(id))).toBe(true);
    await session.endSession();
  });

  it("refuses '$'-prefixed fields in _id", async () => {
    await failure(db.collection('ids').insertOne({ _id: { $bad: 1 } } as never));
    expect(await db.collection('ids').countDocuments()).toBe(0);
  });

  it('refuses a sort on update statements before 8.0', async () => {
    const info = await db.admin().command({ buildInfo: 1 });
    if (Number(String(info.version).split('.')[0]) >= 8) return; // 8.0 added it
    const err = await failure(
      db.command({ update: 'u', updates: [{ q: {}, u: { $set: { a: 1 } }, sort: { _id: 1 } }] }),
    );
    expect(err.message).toMatch(/sort/);
  });
});

describe('durability of views and validators (engine only)', () => {
  it('replays collMod from the journal and keeps views and validators across a restart', async () => {
    if (againstRealMongo) return; // restarts the engine's own data directory
    const write = { ops: [] as JournalOp[], undo: null };
    const store = new Store();
    const coll = store.createCollection(write, 'd', 'c', { validator: { a: 1 } });
    store.setOptions(write, coll, { validator: { a: 2 }, validationLevel: 'moderate' });
    const replayed = new Store();
    for (const op of write.ops) replayed.apply(op);
    expect(replayed.get('d', 'c')?.options).toEqual({ validator: { a: 2 }, validationLevel: 'moderate' });

    const dir = mkdtempSync(join(tmpdir(), 'edb-views-'));
    try {
      let engine = await startEmbeddedDb({ port: 0, dataDir: dir });
      let client = await MongoClient.connect(engine.uri);
      await client.db('d').createCollection('base', { validator: { n: { $gte: 0 } } });
      await client.db('d').createCollection('v', { viewOn: 'base', pipeline: [{ $match: { n: 1 } }] });
      await client
        .db('d')
        .collection('base')
        .insertMany([{ n: 1 }, { n: 2 }]);
      await client.close();
      await engine.stop();
      engine = await startEmbeddedDb({ port: 0, dataDir: dir });
      client = await MongoClient.connect(engine.uri);
      expect(await client.db('d').collection('v').countDocuments()).toBe(1);
      expect((await failure(client.db('d').collection('base').insertOne({ n: -1 }))).code).toBe(121);
      await client.close();
      await engine.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
