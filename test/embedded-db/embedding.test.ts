/** The embedding API the server codes against: unix sockets, data directories and the child-process mode. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { spawnEmbeddedDb, startEmbeddedDb } from '../../server/embedded-db';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edb-embed-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('serves a unix socket with a URI mongoose accepts as is', async () => {
  const db = await startEmbeddedDb({ socketPath: join(dir, 'db.sock') });
  try {
    expect(db.uri).toMatch(/^mongodb:\/\/%2F.*db\.sock\/\?directConnection=true$/);
    const conn = await mongoose.createConnection(db.uri).asPromise();
    await conn.db!.collection('x').insertOne({ a: 1 });
    expect(await conn.db!.collection('x').countDocuments()).toBe(1);
    await conn.close();
  } finally {
    await db.stop();
  }
});

it('keeps data in its directory across restarts and locks it while open', async () => {
  const data = join(dir, 'data');
  const first = await startEmbeddedDb({ port: 0, dataDir: data });
  const client = await MongoClient.connect(first.uri);
  await client.db('app').collection('c').createIndex({ k: 1 }, { unique: true });
  await client
    .db('app')
    .collection('c')
    .insertMany([{ k: 1 }, { k: 2 }]);
  await client.close();
  await expect(startEmbeddedDb({ port: 0, dataDir: data })).rejects.toThrow(/already open/);
  await first.stop();

  const child = await spawnEmbeddedDb({ dataDir: data });
  try {
    const c = await MongoClient.connect(child.uri);
    const coll = c.db('app').collection('c');
    expect((await coll.find().sort({ k: 1 }).toArray()).map((d) => d.k)).toEqual([1, 2]);
    await expect(coll.insertOne({ k: 2 })).rejects.toMatchObject({ code: 11000 });
    await coll.insertOne({ k: 3 });
    await c.close();
  } finally {
    await child.stop();
  }

  const again = await startEmbeddedDb({ port: 0, dataDir: data });
  const c = await MongoClient.connect(again.uri);
  expect(await c.db('app').collection('c').countDocuments()).toBe(3);
  await c.close();
  await again.stop();
}, 20_000);
