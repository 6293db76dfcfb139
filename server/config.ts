import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Environment variables the service reads, validated once at start-up. See .env.example. */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  LINLI_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WECHAT_API_BASE: Type.Optional(Type.String({ pattern: '^https?://' })),
  WECHAT_APPID: Type.String({ minLength: 1, default: 'wx0000000000linli' }),
  WECHAT_SECRET: Type.String({ minLength: 1, default: 'linli-dev-secret' }),
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
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
  publicBaseUrl: string;
  rateLimitPerMinute: number;
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
  if (env.NODE_ENV === 'production') {
    // Production never falls back to generated secrets, demo credentials or the WeChat stand-in.
    const missing = ['JWT_SECRET', 'WECHAT_API_BASE', 'WECHAT_APPID', 'WECHAT_SECRET'].filter((key) => !known[key]);
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
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
  };
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
