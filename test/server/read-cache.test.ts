import type { FastifyInstance } from 'fastify';
import { createReadCache, READ_CACHE_MS } from '../../server/data/read-cache';
import { buildTestApp, testConfig } from '../helpers/app';
import { roundTrips, testMongo } from '../helpers/db';
import { buildDemoApp } from '../helpers/demo';
import { fileReport, move } from '../helpers/reports';
import { loginDemo, type LoggedIn } from '../helpers/session';

/**
 * List pages are kept in the read cache (server/data/read-cache.ts) until a write to what they show. What it must
 * never hide: a write made through this instance (on the next request, also after a transaction commits), and a
 * write made through another instance for longer than READ_CACHE_MS.
 */
const config = testConfig();
const mongo = testMongo();
let a: FastifyInstance;
let b: FastifyInstance;
let owner: LoggedIn;
let staff: LoggedIn;

beforeAll(async () => {
  a = await buildDemoApp({ config, mongo });
  // A second instance of the service on the same database, with its own cache.
  b = await buildTestApp({ config, mongo });
  [owner, staff] = await Promise.all([loginDemo(a, 'owner'), loginDemo(a, 'staff')]);
}, 90_000);
afterAll(async () => {
  await b.close();
  await a.close();
});

interface Listed {
  id: string;
  state: string;
  description: string;
  reporter: { displayName: string; isMe: boolean };
  following: boolean;
  actions: string[];
}
const list = async (app: FastifyInstance, who: LoggedIn, view = 'all') => {
  const res = await app.inject({ url: `/api/reports?view=${view}&limit=20`, headers: who.headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: Listed[] }>().items;
};
const find = async (app: FastifyInstance, who: LoggedIn, id: string, view = 'all') =>
  (await list(app, who, view)).find((r) => r.id === id);

test('a repeated list page reads nothing, and each reader still sees it as themselves', async () => {
  const id = (await fileReport(a, owner)).json<{ id: string }>().id;
  await list(a, staff);
  expect(await roundTrips(a, () => list(a, staff))).toEqual([]);
  // The resident's own page: the same report, shown as theirs.
  const mine = await find(a, owner, id, 'mine');
  expect(mine?.reporter.isMe).toBe(true);
  const staffs = await find(a, staff, id);
  expect(staffs?.reporter.isMe).toBe(false);
  expect(staffs?.actions).toContain('accept');
});

test('a move, a follow and a new name show on the next request of this instance', async () => {
  const id = (await fileReport(a, owner)).json<{ id: string }>().id;
  expect((await find(a, staff, id))?.state).toBe('submitted');
  expect((await move(a, staff, id, 'accept')).statusCode).toBe(200);
  expect((await find(a, staff, id))?.state).toBe('accepted');

  expect((await find(a, staff, id))?.following).toBe(false);
  const follow = await a.inject({ method: 'POST', url: `/api/reports/${id}/follow`, headers: staff.headers });
  expect(follow.statusCode).toBeLessThan(300);
  expect((await find(a, staff, id))?.following).toBe(true);

  const before = (await find(a, owner, id, 'mine'))?.reporter.displayName;
  const renamed = await a.inject({
    method: 'PATCH',
    url: '/api/me',
    headers: owner.headers,
    payload: { displayName: `${before}二` },
  });
  expect(renamed.statusCode).toBe(200);
  expect((await find(a, owner, id, 'mine'))?.reporter.displayName).toBe(`${before}二`);
});

test('a write inside a transaction shows once it commits, though a read before the commit kept the old page', async () => {
  const id = (await fileReport(a, owner)).json<{ id: string }>().id;
  await list(a, staff);
  await a.db.connection.transaction(async (session) => {
    await a.models.Report.updateOne(
      { _id: id, communityId: { $exists: true } },
      { $set: { description: '事务里改的描述' } },
      { session },
    );
    expect((await find(a, staff, id))?.description).not.toBe('事务里改的描述');
  });
  expect((await find(a, staff, id))?.description).toBe('事务里改的描述');
});

test('another instance sees a write within the bound', async () => {
  const id = (await fileReport(a, owner)).json<{ id: string }>().id;
  expect((await find(b, staff, id))?.state).toBe('submitted');
  expect((await move(a, staff, id, 'accept')).statusCode).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, READ_CACHE_MS));
  expect((await find(b, staff, id))?.state).toBe('accepted');
});

describe('createReadCache', () => {
  test('keeps an answer until a write to a model it was read from, or the bound', async () => {
    let now = 0;
    const cache = createReadCache(() => now);
    let reads = 0;
    const read = () => cache.get('k', ['Report', 'User'], async () => ++reads);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    cache.wrote('Media');
    expect(await read()).toBe(1);
    cache.wrote('User');
    expect(await read()).toBe(2);
    now += READ_CACHE_MS - 1;
    expect(await read()).toBe(2);
    now += 1;
    expect(await read()).toBe(3);
  });

  test('shares one read among callers that ask at once, and keeps no failure', async () => {
    const cache = createReadCache(() => 0);
    let reads = 0;
    const failing = () =>
      cache.get('k', ['Report'], async () => {
        reads += 1;
        throw new Error('gone');
      });
    await Promise.all([expect(failing()).rejects.toThrow('gone'), expect(failing()).rejects.toThrow('gone')]);
    expect(reads).toBe(1);
    await expect(failing()).rejects.toThrow('gone');
    expect(reads).toBe(2);
  });
});
