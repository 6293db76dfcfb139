import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { startWechatStandin, type RunningStandin, type WechatStandinOptions } from '../../server/wechat-standin';
import { buildTestApp, testConfig } from './app';
import { ownStandin, testWechatCredentials } from './wechat';

/** A free loopback port (for an app whose own URL must be known before it is built). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LiveApp {
  app: FastifyInstance;
  standin: RunningStandin;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * An app listening on loopback with a WeChat stand-in of its own that pushes media-check verdicts back to
 * it and downloads photos from it, as WeChat does with a deployed service.
 */
export async function liveApp(standinOptions: Partial<WechatStandinOptions> = {}): Promise<LiveApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({ publicBaseUrl: baseUrl });
  const standin = await startWechatStandin({
    ...testWechatCredentials,
    pushUrl: `${baseUrl}/api/wechat/push`,
    pushToken: config.wechatPushToken,
    pushDelayMs: 20,
    ...standinOptions,
  });
  const app = await buildTestApp({ config, wechat: { baseUrl: standin.baseUrl, standin: true } });
  ownStandin.set(app, standin.baseUrl);
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    standin,
    baseUrl,
    async close() {
      await app.close();
      await standin.stop();
    },
  };
}

/** Waits for something that happens asynchronously (a pushed verdict), failing with `what` after a while. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
