import type { FastifyInstance } from 'fastify';
import type { Config } from '../../server/config';
import { buildTestApp, testConfig } from '../helpers/app';
import { newcomer } from '../helpers/session';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWith(overrides: Partial<Config>): Promise<FastifyInstance> {
  app = await buildTestApp({ config: testConfig(overrides) });
  return app;
}

/** The status of each of `count` requests made one after another. */
async function statuses(count: number, request: (i: number) => Promise<{ statusCode: number }>) {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await request(i)).statusCode);
  return seen;
}

const spoofed = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` });

test('with TRUST_PROXY off, every X-Forwarded-For from one address counts as that address', async () => {
  const app = await appWith({ rateLimitPerMinute: 5, trustProxy: false });
  const seen = await statuses(7, (i) => app.inject({ url: '/api/app-info', headers: spoofed(i) }));
  expect(seen).toEqual([200, 200, 200, 200, 200, 429, 429]);
});

test('a 429 says when to retry, in our error shape', async () => {
  const app = await appWith({ rateLimitPerMinute: 1 });
  await app.inject('/api/app-info');
  const res = await app.inject('/api/app-info');
  expect(res.statusCode).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.json()).toEqual({
    statusCode: 429,
    code: 'RATE_LIMITED',
    message: expect.any(String),
    reqId: res.headers['x-request-id'],
  });
});

test('with TRUST_PROXY naming the proxy, its X-Forwarded-For is the client address', async () => {
  const app = await appWith({ rateLimitPerMinute: 2, trustProxy: ['127.0.0.1'] });
  const distinct = await statuses(5, (i) => app.inject({ url: '/api/app-info', headers: spoofed(i) }));
  expect(distinct).toEqual([200, 200, 200, 200, 200]);
  const same = await statuses(3, () => app.inject({ url: '/api/app-info', headers: spoofed(99) }));
  expect(same).toEqual([200, 200, 429]);
  // A request from an address that is not the configured proxy is not believed.
  const elsewhere = () =>
    app.inject({ url: '/api/app-info', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': '192.0.2.1' } });
  expect(await statuses(3, elsewhere)).toEqual([200, 200, 429]);
  expect((await app.inject({ url: '/api/app-info', headers: spoofed(50) })).statusCode).toBe(200);
});

test('logged-in people have their own budget; an invalid token counts as the address', async () => {
  const app = await appWith({ rateLimitPerMinute: 3 });
  const [ana, bo] = [await newcomer(app), await newcomer(app)];
  const as = (who: { headers: Record<string, string> }) => () =>
    app.inject({ url: '/api/app-info', headers: who.headers });
  expect(await statuses(4, as(ana))).toEqual([200, 200, 200, 429]);
  expect(await statuses(4, as(bo))).toEqual([200, 200, 200, 429]);
  const [header, payload] = ana.accessToken.split('.');
  const forged = { headers: { authorization: `Bearer ${header}.${payload}.forged` } };
  expect(await statuses(2, as(forged))).toEqual([200, 200]);
  expect(await statuses(2, () => app.inject('/api/app-info'))).toEqual([200, 429]);
});

test('logging in and refreshing have a tighter limit per address than the rest', async () => {
  const app = await appWith({ rateLimitPerMinute: 50, rateLimitLoginPerMinute: 2 });
  const login = () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { code: 'not-a-code' } });
  const refresh = () =>
    app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'not-a-token' } });
  const logins = await statuses(3, login);
  expect(logins.slice(0, 2)).not.toContain(429);
  expect(logins[2]).toBe(429);
  const refreshes = await statuses(3, refresh);
  expect(refreshes.slice(0, 2)).not.toContain(429);
  expect(refreshes[2]).toBe(429);
  expect((await app.inject('/api/app-info')).statusCode).toBe(200);
});

test('uploads have a tighter limit per user than the rest', async () => {
  const app = await appWith({ rateLimitPerMinute: 50, rateLimitUploadsPerMinute: 2 });
  const [ana, bo] = [await newcomer(app), await newcomer(app)];
  // Empty bodies are refused by the route, but only after the limit has counted them.
  const upload = (who: { headers: Record<string, string> }) => () =>
    app.inject({ method: 'POST', url: '/api/media', headers: who.headers });
  const uploads = await statuses(3, upload(ana));
  expect(uploads.slice(0, 2)).not.toContain(429);
  expect(uploads[2]).toBe(429);
  expect(await statuses(1, upload(bo))).not.toContain(429);
  expect((await app.inject({ url: '/api/app-info', headers: ana.headers })).statusCode).toBe(200);
});

test('IPv6 callers are counted by their /64, so rotating addresses within it gains nothing', async () => {
  const app = await appWith({ rateLimitPerMinute: 2 });
  const from = (i: number) => app.inject({ url: '/api/app-info', remoteAddress: `2001:db8:1:2::${i + 1}` });
  expect(await statuses(3, from)).toEqual([200, 200, 429]);
  expect((await app.inject({ url: '/api/app-info', remoteAddress: '2001:db8:1:3::1' })).statusCode).toBe(200);
});
