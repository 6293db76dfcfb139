/**
 * Connection helpers for the conformance suite. With MONGODB_URI set the suite talks to that server; otherwise each
 * test file starts its own in-memory engine on an ephemeral port. Tests only use the official driver and mongoose.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedDb, type EmbeddedDb } from '../../server/embedded-db';

export interface Harness {
  uri: string;
  client: MongoClient;
  /** Whether the server is a replica set member (transactions need one). */
  replicaSet: boolean;
  /** A fresh database with a unique name. */
  db(): Db;
  close(): Promise<void>;
}

export const againstRealMongo = Boolean(process.env.MONGODB_URI);

export const uniqueName = (prefix = 'edb'): string => `${prefix}_${randomBytes(6).toString('hex')}`;

export async function openHarness(): Promise<Harness> {
  let engine: EmbeddedDb | null = null;
  // Test commands (fail points) on, as a mongod started with enableTestCommands.
  const uri = process.env.MONGODB_URI ?? (engine = await startEmbeddedDb({ port: 0, testCommands: true })).uri;
  const client = await MongoClient.connect(uri);
  const hello = await client.db('admin').command({ hello: 1 });
  const used: Db[] = [];
  return {
    uri,
    client,
    replicaSet: typeof hello.setName === 'string',
    db() {
      const db = client.db(uniqueName());
      used.push(db);
      return db;
    },
    async close() {
      for (const db of used) await db.dropDatabase().catch(() => undefined);
      await client.close();
      await engine?.stop();
    },
  };
}

/** A mongoose connection to a fresh database of the harness's server. */
export async function openMongoose(h: Harness): Promise<mongoose.Connection> {
  return mongoose.createConnection(h.uri, { dbName: uniqueName('mg') }).asPromise();
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** mulberry32: a small seeded generator, so a failure of a randomised test can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
