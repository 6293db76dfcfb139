import { startEmbeddedDb } from '../../server/embedded-db';

/**
 * One in-memory embedded engine for the whole jest run (each test file uses its own database on it).
 * With MONGODB_URI set the suites run against that server instead and nothing is started.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.LINLI_TEST_DB_KIND = 'mongodb';
    process.env.LINLI_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const engine = await startEmbeddedDb({ port: 0 });
  (globalThis as { __linliEngine?: { stop(): Promise<void> } }).__linliEngine = engine;
  process.env.LINLI_TEST_DB_KIND = 'embedded';
  process.env.LINLI_TEST_MONGODB_URI = engine.uri;
}
