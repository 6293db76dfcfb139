import { startEmbeddedDb } from '../../server/embedded-db';
import { testWechatCredentials } from './wechat';
import { startWechatStandin } from '../../server/wechat-standin';

type Stoppable = { stop(): Promise<void> };

/**
 * Shared services for the whole jest run: one in-memory embedded engine (each test file uses its own
 * database on it; with MONGODB_URI set the suites use that server instead) and one WeChat stand-in.
 */
export default async function globalSetup(): Promise<void> {
  const started: Stoppable[] = [];
  if (process.env.MONGODB_URI) {
    process.env.LINLI_TEST_DB_KIND = 'mongodb';
    process.env.LINLI_TEST_MONGODB_URI = process.env.MONGODB_URI;
  } else {
    const engine = await startEmbeddedDb({ port: 0 });
    started.push(engine);
    process.env.LINLI_TEST_DB_KIND = 'embedded';
    process.env.LINLI_TEST_MONGODB_URI = engine.uri;
  }
  const standin = await startWechatStandin(testWechatCredentials);
  started.push(standin);
  process.env.LINLI_TEST_WECHAT_BASE = standin.baseUrl;
  (globalThis as { __linliServices?: Stoppable[] }).__linliServices = started;
}
