import { buildWechatStandin, type WechatStandinOptions } from './app';

export { buildWechatStandin, type WechatStandinOptions };

export interface RunningStandin {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts the stand-in on a loopback port (0 = any free port) and returns its base URL. */
export async function startWechatStandin(opts: WechatStandinOptions & { port?: number }): Promise<RunningStandin> {
  const app = buildWechatStandin(opts);
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('WeChat stand-in did not bind a TCP port');
  return { baseUrl: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}
