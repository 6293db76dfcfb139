import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedDemo } from '../../server/modules/demo/seed';
import type { AppOptions } from '../../server/app';
import { buildTestApp } from '../helpers/app';

/** Debian's chromium (test/run.mjs installs it), headless, cut off from every network but loopback. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The real service on a loopback port, serving the H5 build (dist/h5) and the API from one origin, with
 * the demo community and its users seeded (log in through the 演示账号 picker on 我的). `options` may give it
 * a manual clock.
 */
export async function startServer(
  options: Partial<AppOptions> = {},
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = await buildTestApp({ h5Root: resolve(__dirname, '../../dist/h5'), ...options });
  await seedDemo(app.db.connection, app.models);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** Collects what a user would never want to see: page errors and console errors (CSP violations included). */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}
