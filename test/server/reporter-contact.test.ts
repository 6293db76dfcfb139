import type { FastifyInstance } from 'fastify';
import { buildDemoApp } from '../helpers/demo';
import { fileReport, move } from '../helpers/reports';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

/** The demo owner's phone (server/modules/demo/data.ts): it must reach those who handle her report, and no one else. */
const OWNER_PHONE = '13800000007';

let app: FastifyInstance;
let owner: LoggedIn;
let grid: LoggedIn;
let staff: LoggedIn;
let property: LoggedIn;
let follower: LoggedIn;
let neighbour: LoggedIn;

beforeAll(async () => {
  app = await buildDemoApp();
  [owner, grid, staff, property, follower, neighbour] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'staff'),
    loginDemo(app, 'property'),
    loginDemo(app, 'unitcap'),
    loginDemo(app, 'tenant'),
  ]);
});
afterAll(() => app.close());

const contact = (who: LoggedIn, id: string) =>
  app.inject({ method: 'POST', url: `/api/reports/${id}/reporter-contact`, headers: who.headers });
const detail = (who: LoggedIn, id: string) => app.inject({ url: `/api/reports/${id}`, headers: who.headers });

async function ownersReport(): Promise<string> {
  const filed = await fileReport(app, owner);
  expect(filed.statusCode).toBe(201);
  return filed.json().id;
}

test("the grid worker and staff get the reporter's name and phone to call; each ask is in the report's timeline", async () => {
  const id = await ownersReport();
  expect((await detail(grid, id)).json().canContactReporter).toBe(true);
  for (const who of [grid, staff]) {
    const res = await contact(who, id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ displayName: '王阿姨', phone: OWNER_PHONE });
  }
  const timeline = await app.inject({ url: `/api/reports/${id}/timeline`, headers: staff.headers });
  const asks = timeline.json().filter((e: { action: string }) => e.action === 'reporter-contact');
  expect(asks.map((e: { actorRole: string | null }) => e.actorRole)).toEqual(['dispatcher', 'dispatcher']);
});

test('the property company may once the report is assigned to it; before, it is a neighbour like any other', async () => {
  const id = await ownersReport();
  expect((await detail(property, id)).json().canContactReporter).toBe(false);
  expect((await contact(property, id)).statusCode).toBe(403);
  await move(app, grid, id, 'accept');
  await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });
  expect((await detail(property, id)).json().canContactReporter).toBe(true);
  expect((await contact(property, id)).json().phone).toBe(OWNER_PHONE);
});

test('the reporter, a follower and a neighbour may not ask; someone who cannot see the report learns nothing', async () => {
  const id = await ownersReport();
  expect(
    (await app.inject({ method: 'POST', url: `/api/reports/${id}/follow`, headers: follower.headers })).statusCode,
  ).toBe(200);
  for (const who of [owner, follower, neighbour]) {
    expect((await detail(who, id)).json().canContactReporter).toBe(false);
    const res = await contact(who, id);
    expect([res.statusCode, res.json().code]).toEqual([403, 'FORBIDDEN']);
  }
  expect((await contact(await newcomer(app), id)).statusCode).toBe(404);
  const unknown = await contact(grid, '000000000000000000000000');
  expect(unknown.statusCode).toBe(404);
});

test("the reporter's phone is in no other answer: detail, lists and timeline, as anyone", async () => {
  const id = await ownersReport();
  await app.inject({ method: 'POST', url: `/api/reports/${id}/follow`, headers: follower.headers });
  await contact(grid, id);
  for (const who of [owner, follower, neighbour, grid, staff]) {
    const answers = await Promise.all([
      detail(who, id),
      app.inject({ url: `/api/reports/${id}/timeline`, headers: who.headers }),
      app.inject({ url: '/api/reports?view=mine', headers: who.headers }),
      app.inject({ url: '/api/reports?view=estate', headers: who.headers }),
      app.inject({ url: '/api/reports?view=handling', headers: who.headers }),
    ]);
    for (const answer of answers) expect(answer.body).not.toContain(OWNER_PHONE);
  }
  // The detail was read whole, as a resident and as a follower: it is a report, not a blank page.
  expect((await detail(follower, id)).json().description).toBe('楼道里堆满了杂物，影响通行');
});
