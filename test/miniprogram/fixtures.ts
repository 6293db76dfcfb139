import Taro from '@tarojs/taro';
import type { Me } from '../../shared/schemas/people';
import { clearSession, saveSession } from '../../miniprogram/services/session';
import { session } from './demo-data';
import { __reset } from './doubles/taro';

export * from './demo-data';

/** Starts each test on a fresh H5 page, logged out, with empty storage. */
export function resetApp(): void {
  __reset();
  clearSession();
}

export function logIn(me: Me): void {
  saveSession(session(me));
}

type Reply = { status: number; body?: unknown } | 'network-error';
type Route = Reply | ((request: SentRequest) => Reply | Promise<Reply>);
export interface SentRequest {
  method: string;
  path: string;
  url: string;
  body: unknown;
  authorization: string | undefined;
}

export const ok = (body: unknown = null, status = 200): Reply => ({ status, body });
export const fail = (status: number, code: string): Reply => ({
  status,
  body: { statusCode: status, code, message: code, reqId: 'req-1' },
});

/**
 * Plays the service: each `'METHOD /path'` (query string ignored) answers with its reply, or calls its
 * function. Returns the requests the page sent, in order. An unexpected request fails the test loudly.
 */
export function serve(routes: Record<string, Route>): SentRequest[] {
  const sent: SentRequest[] = [];
  (Taro.request as unknown as jest.Mock).mockImplementation(
    async (option: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => {
      const path = option.url.replace(/^\/api/, '').split('?')[0]!;
      const req: SentRequest = {
        method: option.method ?? 'GET',
        path,
        url: option.url,
        body: option.data,
        authorization: option.header?.authorization,
      };
      sent.push(req);
      const route = routes[`${req.method} ${path}`];
      if (!route) throw new Error(`unexpected request ${req.method} ${option.url}`);
      const reply = typeof route === 'function' ? await route(req) : route;
      if (reply === 'network-error') throw new Error('request:fail timeout');
      return { statusCode: reply.status, data: reply.body, header: {} };
    },
  );
  return sent;
}

/** A reply the test releases when it wants, to see what the page shows while waiting. */
export function deferred(): { route: () => Promise<Reply>; release: (reply: Reply) => void } {
  let release!: (reply: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (release = resolve));
  return { route: () => promise, release };
}
