import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Literals } from '../shared/schemas/ids';
import type { S3Options } from './modules/media/storage';

/** Environment variables the service reads, validated once at start-up. See .env.example. */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Literals(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  LINLI_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WECHAT_API_BASE: Type.Optional(Type.String({ pattern: '^https?://' })),
  WECHAT_APPID: Type.String({ minLength: 1, default: 'wx0000000000linli' }),
  WECHAT_SECRET: Type.String({ minLength: 1, default: 'linli-dev-secret' }),
  /** Which version of the mini-program the codes this service makes (invites) open. */
  WECHAT_ENV_VERSION: Literals(['release', 'trial', 'develop'], { default: 'release' }),
  /** The token configured for WeChat's message push (media check verdicts); signs every push. */
  WECHAT_PUSH_TOKEN: Type.String({ minLength: 3, maxLength: 32, default: 'linlidevpushtoken' }),
  /** JSON file of subscribe-message templates (see server/modules/notifications/templates.default.json). */
  LINLI_SUBSCRIBE_TEMPLATES: Type.Optional(Type.String({ minLength: 1 })),
  /** Photos on local disk (default) or in an S3-compatible object store. */
  LINLI_STORAGE: Type.Union([Type.Literal('disk'), Type.Literal('s3')], { default: 'disk' }),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 1 })),
  S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_LOGIN_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1 })),
  RATE_LIMIT_UPLOADS_PER_MINUTE: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Years after closing that a report's photos and personal fields are purged (shown in the privacy policy). */
  LINLI_REPORT_RETENTION_YEARS: Type.Integer({ minimum: 1, maximum: 30, default: 3 }),
  /** `false` (default) or the proxies whose X-Forwarded-For is believed: IPs, CIDRs or proxy-addr's names. */
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1 })),
  /** Serve the OpenAPI UI and JSON at /docs; default on outside production. */
  DOCS_ENABLED: Type.Optional(Type.Boolean()),
});
type Env = Static<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: string;
  /** Unset → the embedded engine is started on the data directory. */
  mongodbUri: string | undefined;
  dataDir: string;
  jwtSecret: string;
  /** Unset → `npm start` runs the bundled WeChat stand-in and points here. */
  wechatApiBase: string | undefined;
  wechatAppId: string;
  wechatSecret: string;
  wechatEnvVersion: 'release' | 'trial' | 'develop';
  wechatPushToken: string;
  subscribeTemplatesPath: string;
  s3: S3Options | undefined;
  publicBaseUrl: string;
  rateLimitPerMinute: number;
  /** Per address, on logging in and refreshing tokens. */
  rateLimitLoginPerMinute: number;
  /** Per user, on photo uploads. */
  rateLimitUploadsPerMinute: number;
  /** Closed reports older than this many years lose their photos and personal fields (retention job). */
  reportRetentionYears: number;
  /** Fastify's `trustProxy`: false, or the addresses of the proxies in front of us. */
  trustProxy: false | string[];
  docsEnabled: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment. Throws ConfigError naming every bad variable, so a
 * misconfigured deployment fails at start-up with one readable message instead of later.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((key) => source[key] !== undefined && source[key] !== '')
      .map((key) => [key, source[key]]),
  );
  const env = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...known })) as Env;
  const problems = [...Value.Errors(EnvSchema, env)].map((e) => `${e.path.slice(1) || 'environment'}: ${e.message}`);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const dataDir = resolve(env.LINLI_DATA_DIR);
  const s3Keys = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  if (env.LINLI_STORAGE === 's3' && s3Keys.some((key) => !env[key])) {
    throw new ConfigError(
      `Invalid configuration:\n  LINLI_STORAGE=s3 needs ${s3Keys.filter((key) => !env[key]).join(', ')}`,
    );
  }
  const trustProxy = proxyList(env.TRUST_PROXY);
  if (env.NODE_ENV === 'production') {
    // Production never falls back to generated secrets, demo credentials or the WeChat stand-in.
    const missing = ['JWT_SECRET', 'WECHAT_API_BASE', 'WECHAT_APPID', 'WECHAT_SECRET', 'WECHAT_PUSH_TOKEN'].filter(
      (key) => !known[key],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.map((key) => `${key}: must be set in production`).join('\n  ')}`,
      );
    }
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    mongodbUri: env.MONGODB_URI,
    dataDir,
    jwtSecret: env.JWT_SECRET ?? persistedSecret(dataDir),
    wechatApiBase: env.WECHAT_API_BASE?.replace(/\/+$/, ''),
    wechatAppId: env.WECHAT_APPID,
    wechatSecret: env.WECHAT_SECRET,
    wechatEnvVersion: env.WECHAT_ENV_VERSION,
    wechatPushToken: env.WECHAT_PUSH_TOKEN,
    subscribeTemplatesPath: resolve(
      env.LINLI_SUBSCRIBE_TEMPLATES ?? join(__dirname, 'modules/notifications/templates.default.json'),
    ),
    s3:
      env.LINLI_STORAGE === 's3'
        ? {
            endpoint: env.S3_ENDPOINT!,
            bucket: env.S3_BUCKET!,
            region: env.S3_REGION,
            accessKeyId: env.S3_ACCESS_KEY_ID!,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
          }
        : undefined,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    // The suites log in dozens of demo users from one address within a minute: under test the tighter limits
    // default to the general one, and the rate-limit tests set them explicitly.
    rateLimitLoginPerMinute:
      env.RATE_LIMIT_LOGIN_PER_MINUTE ?? (env.NODE_ENV === 'test' ? env.RATE_LIMIT_PER_MINUTE : 20),
    rateLimitUploadsPerMinute:
      env.RATE_LIMIT_UPLOADS_PER_MINUTE ?? (env.NODE_ENV === 'test' ? env.RATE_LIMIT_PER_MINUTE : 30),
    reportRetentionYears: env.LINLI_REPORT_RETENTION_YEARS,
    trustProxy,
    docsEnabled: env.DOCS_ENABLED ?? env.NODE_ENV !== 'production',
  };
}

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY besides addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY as Fastify takes it. `true` (believe any X-Forwarded-For) is refused on purpose: anyone could then
 * pick the address the rate limit counts them under.
 */
function proxyList(value: string | undefined): false | string[] {
  if (value === undefined || value === 'false') return false;
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => {
    if (PROXY_RANGE_NAMES.includes(entry)) return false;
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return true;
    return prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  if (bad.length > 0) {
    const named = bad.map((entry) => JSON.stringify(entry)).join(', ');
    throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: not a proxy address or CIDR: ${named}`);
  }
  return entries;
}

/** Outside production a missing JWT_SECRET is generated once and kept, so tokens survive restarts. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}
