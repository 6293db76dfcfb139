import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'linli-config-'));

test('defaults give a runnable development configuration', () => {
  const config = loadConfig({ LINLI_DATA_DIR: dataDir() });
  expect(config).toMatchObject({
    env: 'development',
    port: 3000,
    host: '127.0.0.1',
    mongodbUri: undefined,
    publicBaseUrl: 'http://localhost:3000',
    wechatEnvVersion: 'release',
  });
  expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
});

test('a generated JWT secret is persisted in the data dir and reused', () => {
  const dir = dataDir();
  expect(loadConfig({ LINLI_DATA_DIR: dir }).jwtSecret).toBe(loadConfig({ LINLI_DATA_DIR: dir }).jwtSecret);
  expect(loadConfig({ LINLI_DATA_DIR: dataDir() }).jwtSecret).not.toBe(loadConfig({ LINLI_DATA_DIR: dir }).jwtSecret);
});

test('bad values are all named in one clear error', () => {
  const load = () =>
    loadConfig({ LINLI_DATA_DIR: dataDir(), PORT: 'eighty', MONGODB_URI: 'postgres://x', JWT_SECRET: 'short' });
  expect(load).toThrow(ConfigError);
  expect(load).toThrow(/PORT[\s\S]*MONGODB_URI[\s\S]*JWT_SECRET|PORT[\s\S]*JWT_SECRET[\s\S]*MONGODB_URI/);
  expect(() => loadConfig({ LINLI_DATA_DIR: dataDir(), WECHAT_ENV_VERSION: 'beta' })).toThrow(/WECHAT_ENV_VERSION/);
  expect(loadConfig({ LINLI_DATA_DIR: dataDir(), WECHAT_ENV_VERSION: 'trial' }).wechatEnvVersion).toBe('trial');
});

test('production refuses generated secrets, demo credentials and the WeChat stand-in', () => {
  expect(() => loadConfig({ NODE_ENV: 'production', LINLI_DATA_DIR: dataDir() })).toThrow(
    /JWT_SECRET[\s\S]*WECHAT_API_BASE[\s\S]*WECHAT_APPID[\s\S]*WECHAT_SECRET[\s\S]*WECHAT_PUSH_TOKEN/,
  );
  const config = loadConfig({
    NODE_ENV: 'production',
    LINLI_DATA_DIR: dataDir(),
    JWT_SECRET: 'x'.repeat(40),
    WECHAT_API_BASE: 'https://api.weixin.qq.com',
    WECHAT_APPID: 'wx1234567890abcdef',
    WECHAT_SECRET: 's'.repeat(32),
    WECHAT_PUSH_TOKEN: 'productiontoken',
  });
  expect(config).toMatchObject({ jwtSecret: 'x'.repeat(40), wechatApiBase: 'https://api.weixin.qq.com' });
});

test('numbers are read from strings and URLs lose trailing slashes', () => {
  const config = loadConfig({
    LINLI_DATA_DIR: dataDir(),
    PORT: '8080',
    WECHAT_API_BASE: 'http://127.0.0.1:4000/',
    PUBLIC_BASE_URL: 'https://linli.example.cn/',
  });
  expect(config).toMatchObject({
    port: 8080,
    wechatApiBase: 'http://127.0.0.1:4000',
    publicBaseUrl: 'https://linli.example.cn',
  });
});

test('TRUST_PROXY is off by default and otherwise a list of proxy addresses', () => {
  const load = (value?: string) => loadConfig({ LINLI_DATA_DIR: dataDir(), TRUST_PROXY: value }).trustProxy;
  expect(load()).toBe(false);
  expect(load('false')).toBe(false);
  expect(load('127.0.0.1, 10.0.0.0/8,loopback,::1,fd00::/8')).toEqual([
    '127.0.0.1',
    '10.0.0.0/8',
    'loopback',
    '::1',
    'fd00::/8',
  ]);
  // Believing any X-Forwarded-For would let anyone choose the address they are counted under.
  for (const bad of ['true', '1', '10.0.0.0/33', 'proxy.example.cn', '10.0.0.1,']) {
    expect(() => load(bad)).toThrow(/TRUST_PROXY/);
  }
});

test('docs are served outside production unless DOCS_ENABLED says otherwise; limits are read', () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ LINLI_DATA_DIR: dataDir(), ...env });
  expect(load({}).docsEnabled).toBe(true);
  expect(load({ DOCS_ENABLED: 'false' }).docsEnabled).toBe(false);
  expect(() => load({ DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED/);
  expect(load({})).toMatchObject({ rateLimitLoginPerMinute: 20, rateLimitUploadsPerMinute: 30 });
  expect(load({ RATE_LIMIT_LOGIN_PER_MINUTE: '5', RATE_LIMIT_UPLOADS_PER_MINUTE: '7' })).toMatchObject({
    rateLimitLoginPerMinute: 5,
    rateLimitUploadsPerMinute: 7,
  });
  expect(() => load({ RATE_LIMIT_LOGIN_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_LOGIN_PER_MINUTE/);
});
