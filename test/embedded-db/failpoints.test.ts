import { MongoClient, type CommandStartedEvent, type Db, type Document, type MongoServerError } from 'mongodb';
import { startEmbeddedDb } from '../../server/embedded-db';
import { againstRealMongo, openHarness, uniqueName, type Harness } from './helpers';

let h: Harness;
let db: Db;
/** Whether the server takes configureFailPoint (a real mongod needs enableTestCommands). */
let failPoints = false;

const admin = (): Db => h.client.db('admin');
const arm = (mode: unknown, data: Document): Promise<Document> =>
  admin().command({ configureFailPoint: 'failCommand', mode, data });

beforeAll(async () => {
  h = await openHarness();
  failPoints = await arm('off', {}).then(
    () => h.replicaSet,
    () => false,
  );
});
afterAll(() => h.close());
beforeEach(() => {
  db = h.db();
});
afterEach(async () => {
  if (failPoints) await arm('off', {});
});

/** A client of the harness's server that records the commands it sends. */
async function watchedClient(options: Record<string, unknown> = {}): Promise<{ client: MongoClient; sent: string[] }> {
  const client = new MongoClient(h.uri, { monitorCommands: true, ...options });
  const sent: string[] = [];
  client.on('commandStarted', (e: CommandStartedEvent) => sent.push(e.commandName));
  await client.connect();
  return { client, sent };
}

it('is refused unless the engine was started with test commands', async () => {
  if (againstRealMongo) return;
  const plain = await startEmbeddedDb({ port: 0 });
  const client = await MongoClient.connect(plain.uri);
  try {
    await expect(
      client
        .db('admin')
        .command({ configureFailPoint: 'failCommand', mode: 'alwaysOn', data: { failCommands: ['find'] } }),
    ).rejects.toMatchObject({ code: 59 });
  } finally {
    await client.close();
    await plain.stop();
  }
});

it('fails the next n matching commands with a retryable error that the driver retries once', async () => {
  if (!failPoints) return;
  const { client, sent } = await watchedClient();
  try {
    const c = client.db(db.databaseName).collection('retry');
    await arm({ times: 1 }, { failCommands: ['insert'], errorCode: 91 });
    await c.insertOne({ a: 1 });
    expect(sent.filter((n) => n === 'insert')).toHaveLength(2);
    expect(await c.countDocuments()).toBe(1);
  } finally {
    await client.close();
  }
  // Without retries the error reaches the caller with the label the server adds to retryable writes.
  const { client: noRetry } = await watchedClient({ retryWrites: false });
  try {
    await arm({ times: 1 }, { failCommands: ['insert'], errorCode: 189 });
    const err = (await noRetry
      .db(db.databaseName)
      .collection('retry')
      .insertOne({ a: 2 })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(189);
    await noRetry.db(db.databaseName).collection('retry').insertOne({ a: 3 });
  } finally {
    await noRetry.close();
  }
  expect(await db.collection('retry').countDocuments()).toBe(2);
});

it('skips the first n matches, takes explicit error labels, and can be switched off', async () => {
  if (!failPoints) return;
  await arm({ skip: 1 }, { failCommands: ['find'], errorCode: 2, errorLabels: ['Custom'] });
  await db.collection('s').findOne({});
  const err = (await db
    .collection('s')
    .findOne({})
    .catch((e: unknown) => e)) as MongoServerError;
  expect(err.code).toBe(2);
  expect(err.errorLabels).toEqual(['Custom']);
  await expect(db.collection('s').findOne({})).rejects.toMatchObject({ code: 2 });
  await arm('off', {});
  expect(await db.collection('s').findOne({})).toBeNull();
});

it('closes or delays the connection, only for the application it names', async () => {
  if (!failPoints) return;
  const { client, sent } = await watchedClient();
  try {
    const c = client.db(db.databaseName).collection('net');
    await arm({ times: 1 }, { failCommands: ['find'], closeConnection: true });
    // A network error: the driver retries the read once on a new connection.
    expect(await c.findOne({})).toBeNull();
    expect(sent.filter((n) => n === 'find')).toHaveLength(2);
    await arm({ times: 1 }, { failCommands: ['find'], errorCode: 2, appName: 'another-app' });
    expect(await c.findOne({})).toBeNull();
    await arm({ times: 1 }, { failCommands: ['ping'], blockConnection: true, blockTimeMS: 300 });
    const started = Date.now();
    await client.db('admin').command({ ping: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  } finally {
    await client.close();
  }
});

it('labels errors inside transactions and retries a commit that failed with a retryable error', async () => {
  if (!failPoints) return;
  const c = db.collection('txn');
  await c.insertOne({ _id: 0 as never });
  const session = h.client.startSession();
  try {
    await arm({ times: 1 }, { failCommands: ['insert'], errorCode: 10107 });
    session.startTransaction();
    const err = (await c.insertOne({ _id: 1 as never }, { session }).catch((e: unknown) => e)) as MongoServerError;
    expect(err.errorLabels).toContain('TransientTransactionError');
    expect(err.errorLabels).not.toContain('RetryableWriteError');
    await session.abortTransaction();

    await arm({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 91 });
    session.startTransaction();
    await c.insertOne({ _id: 2 as never }, { session });
    await session.commitTransaction();

    await arm({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 251 });
    session.startTransaction();
    await c.insertOne({ _id: 3 as never }, { session });
    const failed = (await session.commitTransaction().catch((e: unknown) => e)) as MongoServerError;
    expect(failed.errorLabels).toContain('TransientTransactionError');
    await session.abortTransaction().catch(() => undefined);
  } finally {
    await session.endSession();
  }
  expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([0, 2]);
});

it('adds a write concern error to a command that otherwise succeeds', async () => {
  if (!failPoints) return;
  await arm(
    { times: 1 },
    { failCommands: ['insert'], writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } },
  );
  const err = (await db
    .collection(uniqueName('wce'))
    .insertOne({ a: 1 })
    .catch((e: unknown) => e)) as MongoServerError;
  expect(err.code).toBe(64);
});

it('answers a retried write from its first execution when only the reply was lost', async () => {
  if (!failPoints) return;
  const { client, sent } = await watchedClient();
  try {
    const c = client.db(db.databaseName).collection('once');
    // The insert runs, then its reply reports a retryable write concern error: the driver sends it again.
    await arm({ times: 1 }, { failCommands: ['insert'], writeConcernError: { code: 91, errmsg: 'shutting down' } });
    await c.insertOne({ _id: 1 as never });
    await arm({ times: 1 }, { failCommands: ['update'], writeConcernError: { code: 189, errmsg: 'stepped down' } });
    await c.updateOne({ _id: 1 as never }, { $inc: { n: 1 } });
    expect(sent.filter((n) => n === 'insert' || n === 'update')).toEqual(['insert', 'insert', 'update', 'update']);
    expect(await c.find().toArray()).toEqual([{ _id: 1, n: 1 }]);
  } finally {
    await client.close();
  }
});
