import { randomBytes } from 'node:crypto';
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
