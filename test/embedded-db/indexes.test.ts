import { MongoServerError, type Db } from 'mongodb';
import { eventually, againstRealMongo, openHarness, type Harness } from './helpers';

let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  db = h.db();
});

const failure = async (p: Promise<unknown>): Promise<MongoServerError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
};

it('creates, lists and drops indexes', async () => {
  const c = db.collection('ix');
  expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
  expect(await c.createIndex({ email: 1 }, { unique: true, name: 'by_email' })).toBe('by_email');
  expect(await c.createIndex({ email: 1 }, { unique: true, name: 'by_email' })).toBe('by_email');
  const list = await c.listIndexes().toArray();
  expect(list.map((i) => [i.name, i.key, i.unique ?? false])).toEqual([
    ['_id_', { _id: 1 }, false],
    ['a_1_b_-1', { a: 1, b: -1 }, false],
    ['by_email', { email: 1 }, true],
  ]);
  await c.dropIndex('a_1_b_-1');
  expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'by_email']);
  await c.dropIndexes();
  expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
});

it('reports index catalog errors with MongoDB codes', async () => {
  const c = db.collection('ixerr');
  await c.createIndex({ a: 1 }, { name: 'a' });
  expect((await failure(c.createIndex({ b: 1 }, { name: 'a' }))).code).toBe(86);
  expect((await failure(c.createIndex({ a: 1 }, { name: 'other' }))).code).toBe(85);
  expect((await failure(c.dropIndex('nope'))).code).toBe(27);
  expect((await failure(c.dropIndex('_id_'))).code).toBe(72);
  expect((await failure(db.collection('missing').listIndexes().toArray())).code).toBe(26);
});

it('enforces unique indexes with the duplicate key error shape', async () => {
  const c = db.collection('uniq');
  await c.createIndex({ email: 1 }, { unique: true });
  await c.insertOne({ email: 'a@x' });
  const err = await failure(c.insertOne({ email: 'a@x' }));
  expect(err.code).toBe(11000);
  expect(err.message).toMatch(/E11000 duplicate key error collection: .*uniq index: email_1 dup key/);
  expect(err.keyPattern).toEqual({ email: 1 });
  expect(err.keyValue).toEqual({ email: 'a@x' });
  await c.insertOne({ email: 'b@x' });
  expect((await failure(c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } }))).code).toBe(11000);
  const fam = await failure(c.findOneAndUpdate({ email: 'b@x' }, { $set: { email: 'a@x' } }));
  expect(fam.code).toBe(11000);
  expect(fam.keyValue).toEqual({ email: 'a@x' });
  expect((await failure(c.insertOne({ _id: (await c.findOne())!._id }))).keyPattern).toEqual({ _id: 1 });
});

it('enforces compound and multikey unique indexes', async () => {
  const c = db.collection('cmk');
  await c.createIndex({ org: 1, name: 1 }, { unique: true });
  await c.insertMany([
    { org: 1, name: 'a' },
    { org: 2, name: 'a' },
  ]);
  expect((await failure(c.insertOne({ org: 1, name: 'a' }))).keyValue).toEqual({ org: 1, name: 'a' });
  const tags = db.collection('tags');
  await tags.createIndex({ tags: 1 }, { unique: true });
  await tags.insertOne({ tags: ['x', 'y'] });
  expect((await failure(tags.insertOne({ tags: ['z', 'y'] }))).keyValue).toEqual({ tags: 'y' });
  expect(await tags.countDocuments({ tags: 'y' })).toBe(1);
});

it('treats missing fields as null unless the index is sparse or partial', async () => {
  const plain = db.collection('plain');
  await plain.createIndex({ code: 1 }, { unique: true });
  await plain.insertOne({ x: 1 });
  expect((await failure(plain.insertOne({ x: 2 }))).keyValue).toEqual({ code: null });

  const sparse = db.collection('sparse');
  await sparse.createIndex({ code: 1 }, { unique: true, sparse: true });
  await sparse.insertMany([{ x: 1 }, { x: 2 }, { code: 'a' }]);
  expect((await failure(sparse.insertOne({ code: 'a' }))).code).toBe(11000);
  expect(await sparse.countDocuments({ code: 'a' })).toBe(1);

  const partial = db.collection('partial');
  await partial.createIndex({ slug: 1 }, { unique: true, partialFilterExpression: { live: true } });
  await partial.insertMany([
    { slug: 's', live: false },
    { slug: 's', live: false },
    { slug: 's', live: true },
  ]);
  expect((await failure(partial.insertOne({ slug: 's', live: true }))).code).toBe(11000);
  expect(await partial.countDocuments({ slug: 's', live: true })).toBe(1);
  expect(await partial.countDocuments({ slug: 's' })).toBe(3);
});

it('refuses to build a unique index over duplicates', async () => {
  const c = db.collection('dups');
  await c.insertMany([{ k: 1 }, { k: 1 }]);
  expect((await failure(c.createIndex({ k: 1 }, { unique: true }))).code).toBe(11000);
  expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
});

it('finds documents through indexes after updates and deletes', async () => {
  const c = db.collection('maint');
  await c.createIndex({ k: 1 });
  await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ k: i % 5, i })));
  await c.updateMany({ k: 1 }, { $set: { k: 7 } });
  await c.deleteMany({ k: 2 });
  expect(await c.countDocuments({ k: 1 })).toBe(0);
  expect(await c.countDocuments({ k: 7 })).toBe(10);
  expect(await c.countDocuments({ k: { $in: [0, 7, 2] } })).toBe(20);
  expect(await c.find({ k: 3 }).hint('k_1').toArray()).toHaveLength(10);
});

it('expires documents through TTL indexes', async () => {
  await h.client.db('admin').command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
  const c = db.collection('ttl');
  await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
  await c.insertMany([
    { at: new Date(Date.now() - 60_000) },
    { at: new Date(Date.now() + 3_600_000) },
    { at: 'not a date' },
  ]);
  // A real mongod starts its TTL monitor on its own 60 s clock; the engine honours the parameter at once.
  const expired = await eventually(async () => (await c.countDocuments()) === 2, againstRealMongo ? 70_000 : 5_000);
  expect(expired).toBe(true);
}, 80_000);
