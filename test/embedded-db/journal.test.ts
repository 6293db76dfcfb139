/**
 * Durability orderings the crash test cannot see. A SIGKILL leaves the page cache to the kernel, so a journal
 * opened without synchronous writes survives it as well as one opened with them; and a reply sent just ahead of
 * its record rarely loses a race against a kill. Both are checked here through the journal's file seam
 * (`journalFile`): the flags the journal is opened with, and a journal write that fails.
 */
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDb, type EmbeddedDb } from '../../server/embedded-db';
import { journalFile } from '../../server/embedded-db/journal';

let dir: string;
const running: { engine: EmbeddedDb; client: MongoClient }[] = [];

async function start() {
  const engine = await startEmbeddedDb({ port: 0, dataDir: dir });
  const client = await MongoClient.connect(engine.uri, { retryWrites: false });
  running.push({ engine, client });
  return { engine, client, docs: client.db('journal').collection<{ _id: string }>('docs') };
}

async function stop() {
  const { engine, client } = running.pop()!;
  await client.close();
  await engine.stop();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edb-journal-'));
});
afterEach(async () => {
  jest.restoreAllMocks();
  while (running.length) await stop();
  rmSync(dir, { recursive: true, force: true });
});

const failingWrite = () => {
  throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
};

test('every journal file is opened for synchronous writes (O_DSYNC), the first and the one after a snapshot', async () => {
  const open = jest.spyOn(journalFile, 'open');
  const { docs } = await start();
  await docs.insertOne({ _id: 'a' });
  // A clean stop writes a snapshot, which starts a new journal.
  await stop();
  const journals = open.mock.calls.filter(([path]) => /journal-\d+\.log$/.test(String(path)));
  expect(journals.map(([path]) => String(path).slice(-18))).toEqual(['journal-000001.log', 'journal-000002.log']);
  for (const [, flags] of journals) expect(Number(flags) & constants.O_DSYNC).toBe(constants.O_DSYNC);
});

test('a write is acknowledged only once its journal record is written: when the write fails, the client is told', async () => {
  const write = jest.spyOn(journalFile, 'write');
  const { docs } = await start();
  await docs.insertOne({ _id: 'before' });
  expect(write).toHaveBeenCalledTimes(1);

  write.mockImplementationOnce(failingWrite);
  await expect(docs.insertOne({ _id: 'refused' })).rejects.toThrow(/EIO/);
  await expect(docs.updateOne({ _id: 'before' }, { $set: { n: 1 } })).resolves.toMatchObject({ modifiedCount: 1 });
  expect(write).toHaveBeenCalledTimes(3);

  // What was acknowledged survives a restart. (The refused insert stays in memory and reaches the snapshot of a
  // clean stop: a known gap of the engine, not asserted here.)
  await stop();
  const { docs: reopened } = await start();
  expect(await reopened.findOne({ _id: 'before' })).toEqual({ _id: 'before', n: 1 });
});

test('a transaction is acknowledged as committed only once its journal record is written', async () => {
  const write = jest.spyOn(journalFile, 'write');
  const { client, docs } = await start();
  await docs.insertOne({ _id: 'created' });
  const session = client.startSession();
  try {
    session.startTransaction();
    await docs.insertOne({ _id: 'in-txn' }, { session });
    write.mockImplementationOnce(failingWrite);
    await expect(session.commitTransaction()).rejects.toThrow(/EIO/);
  } finally {
    await session.endSession();
  }
});
