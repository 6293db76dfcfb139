import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../server/clock';
import { AUTH_RECHECK_MS } from '../../server/modules/roles/actor-cache';
import { buildTestApp, testConfig } from '../helpers/app';
import { testMongo } from '../helpers/db';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * Each instance caches who a session is (server/modules/roles/actor-cache.ts). What the cache must never hide:
 * a revoked role, a ban, a logout, a stolen refresh token — at once on the instance that made the change, and
 * within AUTH_RECHECK_MS on another instance of the same database.
 */
const clock = manualClock(new Date('2026-05-04T02:00:00Z'));
const config = testConfig();
const mongo = testMongo();
let a: FastifyInstance;
let b: FastifyInstance;
let street: LoggedIn;

beforeAll(async () => {
  a = await buildDemoApp({ config, mongo, clock });
  // A second instance of the service on the same database, with its own cache.
  b = await buildTestApp({ config, mongo, clock });
  street = await loginDemo(a, 'street');
}, 90_000);
afterAll(async () => {
  await b.close();
  await a.close();
});

const call = (app: FastifyInstance, who: LoggedIn, method: 'GET' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

/** Database operations (one round trip each) and the collections they touched, while `fn` runs. */
async function counted(app: FastifyInstance, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  app.db.connection.set('debug', (collection: string, method: string) => seen.push(`${collection}.${method}`));
  try {
    await fn();
  } finally {
    app.db.connection.set('debug', false);
  }
  return seen;
}

async function grantStaff(owner: LoggedIn): Promise<string> {
  const community = await placeId(a, ['幸福里社区']);
  const res = await a.inject({
    method: 'POST',
    url: `/api/nodes/${community}/roles`,
    headers: street.headers,
    payload: { userId: owner.me.id, role: 'community_staff' },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

const revoke = async (grantId: string) =>
  expect(
    (await a.inject({ method: 'DELETE', url: `/api/role-grants/${grantId}`, headers: street.headers })).statusCode,
  ).toBe(204);

test('a granted role works on the next request, and a revoked one stops working on the next request', async () => {
  const owner = await loginDemo(a, 'owner');
  expect((await call(a, owner, 'GET', '/api/moderation/bans')).statusCode).toBe(403);
  const grant = await grantStaff(owner);
  expect((await call(a, owner, 'GET', '/api/moderation/bans')).statusCode).toBe(200);
  await revoke(grant);
  expect((await call(a, owner, 'GET', '/api/moderation/bans')).statusCode).toBe(403);
});

test('another instance sees a role revocation within the bound', async () => {
  clock.set(new Date('2026-05-04T03:00:00Z'));
  const owner = await loginDemo(a, 'owner');
  const grant = await grantStaff(owner);
  expect((await call(b, owner, 'GET', '/api/moderation/bans')).statusCode).toBe(200);
  await revoke(grant);
  clock.advance(AUTH_RECHECK_MS);
  expect((await call(b, owner, 'GET', '/api/moderation/bans')).statusCode).toBe(403);
});

test('a ban refuses what the person posts at once', async () => {
  const tenant = await loginDemo(a, 'tenant');
  const staff = await loginDemo(a, 'staff');
  expect((await call(a, tenant, 'PATCH', '/api/me', { displayName: '小张' })).statusCode).toBe(200);
  const ban = await a.inject({
    method: 'POST',
    url: `/api/moderation/users/${tenant.me.id}/ban`,
    headers: staff.headers,
    payload: { days: 1, reason: '辱骂邻居' },
  });
  expect(ban.statusCode).toBe(200);
  const refused = await call(a, tenant, 'PATCH', '/api/me', { displayName: '小张二' });
  expect(refused.statusCode).toBe(403);
  expect(refused.json()).toMatchObject({ code: 'USER_BANNED' });
});

test('logout ends the access token at once here, and within the bound on another instance', async () => {
  clock.set(new Date('2026-05-04T04:00:00Z'));
  const owner = await loginDemo(a, 'owner');
  expect((await call(a, owner, 'GET', '/api/me')).statusCode).toBe(200);
  expect((await call(b, owner, 'GET', '/api/me')).statusCode).toBe(200);
  const out = await a.inject({
    method: 'POST',
    url: '/api/auth/logout',
    payload: { refreshToken: owner.refreshToken },
  });
  expect(out.statusCode).toBeLessThan(300);
  const after = await call(a, owner, 'GET', '/api/me');
  expect(after.statusCode).toBe(401);
  expect(after.json()).toMatchObject({ code: 'SESSION_REVOKED' });
  clock.advance(AUTH_RECHECK_MS);
  expect((await call(b, owner, 'GET', '/api/me')).statusCode).toBe(401);
});

test('a refresh token used twice (stolen) ends the session at once', async () => {
  const owner = await loginDemo(a, 'owner');
  expect((await call(a, owner, 'GET', '/api/me')).statusCode).toBe(200);
  const refresh = () =>
    a.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: owner.refreshToken } });
  expect((await refresh()).statusCode).toBe(200);
  expect((await refresh()).json()).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
  expect((await call(a, owner, 'GET', '/api/me')).statusCode).toBe(401);
});

test('a repeated request is authorised without the database until the bound, then with one small read', async () => {
  clock.set(new Date('2026-05-04T05:00:00Z'));
  const grid = await loginDemo(a, 'grid');
  const first = await counted(a, () => call(a, grid, 'GET', '/api/me'));
  const again = await counted(a, () => call(a, grid, 'GET', '/api/me'));
  // Who the session is: its session, its user, its grants and the grid the grid worker covers.
  expect(first.filter((op) => /^(sessions|rolegrants|grids)\./.test(op))).not.toEqual([]);
  expect(first.length - again.length).toBeGreaterThanOrEqual(4);
  expect(again.filter((op) => /^(sessions|rolegrants)\./.test(op))).toEqual([]);
  clock.advance(AUTH_RECHECK_MS);
  const checked = await counted(a, () => call(a, grid, 'GET', '/api/me'));
  expect(checked.length).toBe(again.length + 1);
});
