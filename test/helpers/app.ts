import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { testMongo } from './db';
import { testWechatBase } from './wechat';

/** Configuration for a test app: a throwaway data dir, quiet logs, no production branches. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-test-'));
  return { ...loadConfig({ NODE_ENV: 'test', LINLI_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), ...overrides };
}

/** Builds the app on its own fresh database; close it in afterAll/afterEach. */
export async function buildTestApp(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  return buildApp({
    config: testConfig(),
    mongo: testMongo(),
    wechat: { baseUrl: testWechatBase(), standin: true },
    logger: false,
    // Tests run due jobs by hand (app.jobs.runDue()) so they decide exactly when scheduled work happens.
    runJobs: false,
    ...options,
  });
}
