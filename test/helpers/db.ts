import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DbKind } from '../../shared/schemas/common';

/** The database server of this jest run (see global-setup.ts) and a fresh database name per caller. */
export function testMongo(): { uri: string; kind: DbKind; dbName: string } {
  const uri = process.env.LINLI_TEST_MONGODB_URI;
  if (!uri) throw new Error('LINLI_TEST_MONGODB_URI is unset: run tests through jest (globalSetup starts the engine)');
  return {
    uri,
    kind: process.env.LINLI_TEST_DB_KIND === 'mongodb' ? 'mongodb' : 'embedded',
    dbName: `test_${randomBytes(6).toString('hex')}`,
  };
}

/** The database operations (one round trip each, as `collection.method`) the app made while `fn` ran. */
export async function roundTrips(app: FastifyInstance, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  app.db.connection.set('debug', (collection: string, method: string) => seen.push(`${collection}.${method}`));
  try {
    await fn();
  } finally {
    app.db.connection.set('debug', false);
  }
  return seen;
}
