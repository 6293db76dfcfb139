import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from 'helmet';
import rateLimit, { normalizeIP, type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessTokenPayload } from './auth';

/** Taro's H5 tab bar renders `<a href="javascript:;">`; allow exactly that URL, nothing else inline. */
const TARO_TABBAR_LINK = `'sha256-${createHash('sha256').update('javascript:;').digest('base64')}'`;

export interface SecurityOptions {
  rateLimits: {
    /** Every route, per user when logged in, per address otherwise. */
    perMinute: number;
    /** Logging in and refreshing tokens, per address. */
    loginPerMinute: number;
    /** Photo uploads, per user. */
    uploadsPerMinute: number;
  };
  /** CSP sources allowed for inline scripts of the served H5 page. */
  inlineScriptHashes: string[];
}

/**
 * The user a valid bearer token names, checked by signature and expiry only: the limit runs before any route
 * and must stay cheap, so no database. A revoked session's token still counts against its user, which is fine.
 */
function tokenSubject(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  try {
    return request.server.jwt.verify<AccessTokenPayload>(header.slice('Bearer '.length)).sub;
  } catch {
    return null;
  }
}

/**
 * Logged-in callers have their own budget wherever they connect from; others share their address's (for IPv6 its
 * /64, which one subscriber holds whole, as the plugin's own key does).
 */
function clientKey(request: FastifyRequest): string {
  const sub = tokenSubject(request);
  return sub ? `user:${sub}` : `ip:${normalizeIP(request.ip)}`;
}

/** Security headers, CORS for the H5 build served elsewhere, and rate limits per client and on costly routes. */
export default fp<SecurityOptions>(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    // Built once: @fastify/helmet builds the middleware again on every request (its directives parsed each time).
    const secureHeaders = helmet({
      // The H5 build and Swagger UI inject styles and use data: images; everything else stays same-origin.
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'", ...opts.inlineScriptHashes, "'unsafe-hashes'", TARO_TABBAR_LINK],
          connectSrc: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onRequest', function securityHeaders(request, reply, done) {
      secureHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
    });
    await app.register(cors, { origin: true, exposedHeaders: ['x-request-id', 'retry-after'] });

    // Tighter budgets on the routes an attacker would hammer, set here by method and path so the modules that
    // own those routes need not know. Each such route counts on its own, instead of the general budget.
    const minute = 60_000;
    const login = { max: opts.rateLimits.loginPerMinute, timeWindow: minute };
    const tighter: Record<string, RateLimitOptions> = {
      'POST /api/auth/login': login,
      'POST /api/auth/refresh': login,
      'POST /api/media': { max: opts.rateLimits.uploadsPerMinute, timeWindow: minute },
    };
    // Added before the rate-limit plugin's own onRoute hook, which then reads `config.rateLimit`.
    app.addHook('onRoute', function tighterLimits(route) {
      const limit = typeof route.method === 'string' ? tighter[`${route.method} ${route.url}`] : undefined;
      if (limit) route.config = { ...route.config, rateLimit: limit };
    });
    await app.register(rateLimit, {
      max: opts.rateLimits.perMinute,
      timeWindow: minute,
      keyGenerator: clientKey,
    });
  },
  { name: 'security' },
);
