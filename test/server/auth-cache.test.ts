import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../server/clock';
import { AUTH_RECHECK_MS } from '../../server/modules/roles/actor-cache';
import { buildTestApp, testConfig } from '../helpers/app';
import { roundTrips, testMongo } from '../helpers/db';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

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
  const first = await roundTrips(a, () => call(a, grid, 'GET', '/api/me'));
  const again = await roundTrips(a, () => call(a, grid, 'GET', '/api/me'));
  // Who the session is: its session, its user, its grants and the grid the grid worker covers.
  expect(first.filter((op) => /^(sessions|rolegrants|grids)\./.test(op))).not.toEqual([]);
  expect(first.length - again.length).toBeGreaterThanOrEqual(4);
  expect(again.filter((op) => /^(sessions|rolegrants)\./.test(op))).toEqual([]);
  clock.advance(AUTH_RECHECK_MS);
  const checked = await roundTrips(a, () => call(a, grid, 'GET', '/api/me'));
  expect(checked.length).toBe(again.length + 1);
});

describe('GET /me is kept with the cached actor', () => {
  const me = async (app: FastifyInstance, who: LoggedIn) => {
    const res = await call(app, who, 'GET', '/api/me');
    expect(res.statusCode).toBe(200);
    return res.json<{
      displayName: string;
      pendingJoinRequests: number;
      privacyAccepted: { version: string } | null;
      households: { id: string; members: { name: string; isMe: boolean }[] }[];
    }>();
  };

  test('a repeated GET /me makes no round trip to the database', async () => {
    clock.set(new Date('2026-05-04T06:00:00Z'));
    const owner = await loginDemo(a, 'owner');
    await me(a, owner);
    expect(await roundTrips(a, () => me(a, owner))).toEqual([]);
  });

  test('what changes it shows at once here and within the bound on another instance', async () => {
    clock.set(new Date('2026-05-04T07:00:00Z'));
    const captain = await loginDemo(a, 'captain');
    const owner = await loginDemo(a, 'owner');
    const person = await newcomer(a);
    const [home] = (await me(a, owner)).households;
    const household = await a.models.Household.findOne({ _id: home!.id, communityId: { $exists: true } }).lean();
    const before = home!.members.length;
    await me(b, owner);
    expect((await me(a, person)).pendingJoinRequests).toBe(0);
    await me(b, person);

    // Applying: the applicant's count of pending requests.
    const invite = await a.inject({
      method: 'POST',
      url: `/api/nodes/${String(household!.unitId)}/invites`,
      headers: captain.headers,
      payload: {},
    });
    const applied = await a.inject({
      method: 'POST',
      url: '/api/join-requests',
      headers: person.headers,
      payload: { code: invite.json<{ code: string }>().code, room: household!.room, relation: 'tenant' },
    });
    expect(applied.statusCode).toBe(201);
    expect((await me(a, person)).pendingJoinRequests).toBe(1);

    // Approval: the applicant's household, and the new member in the household's other members' answer.
    const approved = await a.inject({
      method: 'POST',
      url: `/api/join-requests/${applied.json<{ id: string }>().id}/approve`,
      headers: captain.headers,
    });
    expect(approved.statusCode).toBe(200);
    expect((await me(a, person)).households.map((h) => h.id)).toEqual([home!.id]);
    expect((await me(a, owner)).households[0]!.members).toHaveLength(before + 1);
    expect((await me(b, owner)).households[0]!.members).toHaveLength(before);
    clock.advance(AUTH_RECHECK_MS);
    expect((await me(b, owner)).households[0]!.members).toHaveLength(before + 1);
    expect((await me(b, person)).pendingJoinRequests).toBe(0);

    // A new member's name (masked) in the others' answers; the privacy acceptance in the person's own.
    expect((await call(a, person, 'PATCH', '/api/me', { displayName: '新邻居' })).statusCode).toBe(200);
    const names = (await me(a, owner)).households[0]!.members.filter((m) => !m.isMe).map((m) => m.name);
    expect(names).toContain('新**');
    const policy = (await a.inject('/api/privacy-policy')).json<{ version: string }>();
    await call(a, person, 'GET', '/api/me');
    const accepted = await a.inject({
      method: 'POST',
      url: '/api/me/privacy-acceptance',
      headers: person.headers,
      payload: { version: policy.version },
    });
    expect(accepted.statusCode).toBe(200);
    expect((await me(a, person)).privacyAccepted?.version).toBe(policy.version);
  });
});
