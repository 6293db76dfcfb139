import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ServiceUnavailableError } from '../errors';

export interface H5Options {
  /** Folder holding the mini-program's H5 build (`taro build --type h5`). */
  root: string;
}

/**
 * CSP hashes of index.html's inline scripts (Taro inlines its rem sizing script), so the page runs under
 * `script-src 'self'` without allowing inline scripts in general.
 */
export function inlineScriptHashes(root: string): string[] {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body]) =>
      `'sha256-${createHash('sha256')
        .update(body ?? '')
        .digest('base64')}'`,
  );
}

/**
 * Serves the H5 build at `/`, compressed when the browser accepts it. Hashed assets are cached for a year;
 * index.html is always revalidated.
 */
export default fp<H5Options>(
  async function h5(app: FastifyInstance, opts: H5Options) {
    if (!existsSync(join(opts.root, 'index.html'))) {
      app.log.warn({ root: opts.root }, 'H5 build missing; run `npm run build:h5`');
      app.get('/', { schema: { hide: true } }, async function h5Missing() {
        throw new ServiceUnavailableError('The H5 build is missing: run `npm run build:h5`');
      });
      return;
    }
    await app.register(fastifyStatic, {
      root: opts.root,
      prefix: '/',
      wildcard: true,
      // The brotli and gzip copies written at build time (tasks/compress-h5.ts), chosen by Accept-Encoding, with
      // `Vary: accept-encoding`; a file without copies is sent as it is.
      preCompressed: true,
      setHeaders(reply, path) {
        // `path` is the file sent: index.html.br is index.html too.
        const html = /\.html(\.br|\.gz)?$/.test(path);
        reply.header('cache-control', html ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  },
  { name: 'h5' },
);
