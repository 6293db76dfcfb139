import { MongoServerError, type Db } from 'mongodb';
import { againstRealMongo, openHarness, type Harness } from './helpers';

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

it('answers the handshake and server commands', async () => {
  const admin = h.client.db('admin');
  expect((await admin.command({ ping: 1 })).ok).toBe(1);
  const hello = await admin.command({ hello: 1 });
  expect(hello.isWritablePrimary).toBe(true);
  expect(hello.maxWireVersion).toBeGreaterThanOrEqual(8);
  expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
  const info = await admin.command({ buildInfo: 1 });
  expect(info.version).toMatch(/^\d+\.\d+/);
  expect((await admin.command({ serverStatus: 1 })).uptime).toBeGreaterThanOrEqual(0);
});

it('creates, lists and drops collections and databases', async () => {
  await db.createCollection('a');
  await db.collection('b').insertOne({ x: 1 });
  expect((await db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['a', 'b']);
  expect((await db.listCollections({ name: 'b' }, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual(['b']);
  expect((await failure(db.createCollection('a'))).code).toBe(48);
  expect(await db.collection('a').drop()).toBe(true);
  const dbs = await h.client.db('admin').admin().listDatabases();
  expect(dbs.databases.map((d) => d.name)).toContain(db.databaseName);
  await db.dropDatabase();
  const after = await h.client.db('admin').admin().listDatabases({ nameOnly: true });
  expect(after.databases.map((d) => d.name)).not.toContain(db.databaseName);
});

it('renames collections', async () => {
  await db.collection('old').insertOne({ x: 1 });
  await db.collection('taken').insertOne({ y: 1 });
  expect((await failure(db.renameCollection('old', 'taken'))).code).toBe(48);
  await db.renameCollection('old', 'new');
  expect(await db.collection('new').countDocuments()).toBe(1);
  expect(await db.collection('old').countDocuments()).toBe(0);
  expect((await failure(db.renameCollection('nothing', 'x'))).code).toBe(26);
});

it('reports statistics', async () => {
  await db.collection('s').insertMany([{ a: 'x'.repeat(100) }, { a: 'y' }]);
  const stats = await db.command({ dbStats: 1 });
  expect(stats.collections).toBe(1);
  expect(stats.objects).toBe(2);
  expect(stats.dataSize).toBeGreaterThan(100);
  const coll = await db.command({ collStats: 's' });
  expect(coll.count).toBe(2);
  expect(coll.nindexes).toBe(1);
});

it('fails loudly on unknown commands and unsupported features', async () => {
  expect((await failure(db.command({ frobnicate: 1 }))).code).toBe(59);
  const c = db.collection('loud');
  await c.insertOne({ a: 'x' });
  expect((await failure(c.find({ a: { $frob: 1 } }).toArray())).code).toBe(2);
  if (againstRealMongo) return; // a real mongod supports what follows; the engine must refuse it, not ignore it
  for (const p of [
    c.find({ $text: { $search: 'x' } }).toArray(),
    c.createIndex({ a: 'text' }),
    db.createCollection('capped', { capped: true, size: 1000 }),
  ]) {
    const err = await failure(p);
    expect(err.code).toBe(115);
    expect(err.message).toMatch(/embedded-db does not support/);
  }
});
