import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Taro's H5 tab bar renders `<a href="javascript:;">`; allow exactly that URL, nothing else inline. */
const TARO_TABBAR_LINK = `'sha256-${createHash('sha256').update('javascript:;').digest('base64')}'`;

export interface SecurityOptions {
  rateLimitPerMinute: number;
  /** CSP sources allowed for inline scripts of the served H5 page. */
  inlineScriptHashes: string[];
}

/** Security headers, CORS for the H5 build served elsewhere, and a per-client rate limit. */
export default fp<SecurityOptions>(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    await app.register(helmet, {
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
    await app.register(cors, { origin: true, exposedHeaders: ['x-request-id'] });
    await app.register(rateLimit, { max: opts.rateLimitPerMinute, timeWindow: '1 minute' });
  },
  { name: 'security' },
);
