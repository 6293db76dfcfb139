import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../../server/config';
import { buildTestApp } from '../helpers/app';
import { login } from '../helpers/session';
import { testWechatBase, testWechatCredentials } from '../helpers/wechat';

/** What a production deployment sets, here pointing at the run's WeChat stand-in. */
function productionEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    LINLI_DATA_DIR: mkdtempSync(join(tmpdir(), 'linli-production-')),
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'p'.repeat(48),
    WECHAT_API_BASE: testWechatBase(),
    WECHAT_APPID: testWechatCredentials.appId,
    WECHAT_SECRET: testWechatCredentials.secret,
    WECHAT_PUSH_TOKEN: 'productiontoken',
    ...extra,
  };
}

test('production refuses to start without each required secret', () => {
  for (const key of ['JWT_SECRET', 'WECHAT_API_BASE', 'WECHAT_APPID', 'WECHAT_SECRET', 'WECHAT_PUSH_TOKEN']) {
    const load = () => loadConfig(productionEnv({ [key]: undefined }));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`${key}: must be set in production`));
  }
  expect(() => loadConfig(productionEnv({ JWT_SECRET: 'too-short' }))).toThrow(/JWT_SECRET/);
  expect(loadConfig(productionEnv())).toMatchObject({ env: 'production', docsEnabled: false, trustProxy: false });
});

describe('an app built with a production configuration', () => {
  let app: FastifyInstance;
  // Even when handed the WeChat stand-in, production has no demo logins.
  beforeAll(async () => {
    app = await buildTestApp({ config: loadConfig(productionEnv()) });
  });
  afterAll(() => app.close());

  test('has no demo or development helper routes', async () => {
    expect((await app.inject('/api/dev/demo-users')).statusCode).toBe(404);
    const code = await app.inject({ method: 'POST', url: '/api/dev/demo-code', payload: { key: 'resident' } });
    expect(code.statusCode).toBe(404);
  });

  test('serves no docs, yet still builds the OpenAPI document', async () => {
    expect((await app.inject('/docs')).statusCode).toBe(404);
    expect((await app.inject('/docs/json')).statusCode).toBe(404);
    expect(Object.keys((app.swagger() as { paths: object }).paths)).toContain('/api/auth/login');
  });

  test('serves the API as usual', async () => {
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await login(app, 'production-resident')).me.displayName).toBeTruthy();
  });
});

test('DOCS_ENABLED=true serves the docs in production', async () => {
  const app = await buildTestApp({ config: loadConfig(productionEnv({ DOCS_ENABLED: 'true' })) });
  try {
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
    expect((await app.inject('/api/dev/demo-users')).statusCode).toBe(404);
  } finally {
    await app.close();
  }
});
