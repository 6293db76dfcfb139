import type { FastifyInstance } from 'fastify';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

let app: FastifyInstance;
let captain: LoggedIn;
let building1: string;

beforeAll(async () => {
  app = await buildDemoApp();
  captain = await loginDemo(app, 'captain');
  building1 = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
});
afterAll(() => app.close());

const post = (who: LoggedIn, channel: string, body: object) =>
  app.inject({ method: 'POST', url: `/api/channels/${channel}/notices`, headers: who.headers, payload: body });
const channels = async (who: LoggedIn) =>
  (await app.inject({ url: '/api/channels', headers: who.headers })).json() as {
    node: { id: string; name: string };
    label: string;
    unreadNotices: number;
    canPost: boolean;
  }[];

/** A newcomer approved into a household of the owner's unit, as a family member. */
async function familyMemberOf(room: string): Promise<LoggedIn> {
  const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  const code = (
    await app.inject({ method: 'POST', url: `/api/nodes/${unit}/invites`, headers: captain.headers, payload: {} })
  ).json().code;
  const person = await newcomer(app);
  const req = await app.inject({
    method: 'POST',
    url: '/api/join-requests',
    headers: person.headers,
    payload: { code, room, relation: 'family' },
  });
  await app.inject({ method: 'POST', url: `/api/join-requests/${req.json().id}/approve`, headers: captain.headers });
  return person;
}

test('a resident has the four channels of their path, unit first', async () => {
  const list = await channels(await loginDemo(app, 'owner'));
  expect(list.map((c) => [c.label, c.node.name, c.canPost])).toEqual([
    ['单元群', '1单元', false],
    ['楼栋群', '1栋', false],
    ['小区群', '阳光花园', false],
    ['社区群', '幸福里社区', false],
  ]);
});

test("a building captain's notice reaches their building's residents, not the next building's", async () => {
  const owner = await loginDemo(app, 'owner');
  const before = (await channels(owner)).find((c) => c.node.id === building1)!.unreadNotices;
  const res = await post(captain, building1, { title: '本周六楼道大扫除', body: '请各户提前清理楼道杂物。' });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ author: { displayName: '张**', role: 'building_captain' }, readByMe: false });

  expect((await channels(owner)).find((c) => c.node.id === building1)!.unreadNotices).toBe(before + 1);
  await app.inject({ method: 'POST', url: `/api/notices/${res.json().id}/read`, headers: owner.headers });
  expect((await channels(owner)).find((c) => c.node.id === building1)!.unreadNotices).toBe(before);

  const tenant = await loginDemo(app, 'tenant');
  expect((await channels(tenant)).map((c) => c.node.id)).not.toContain(building1);
  expect((await app.inject({ url: `/api/channels/${building1}/notices`, headers: tenant.headers })).statusCode).toBe(
    403,
  );
});

test('residents cannot post notices', async () => {
  const res = await post(await loginDemo(app, 'owner'), building1, { title: '标题标题', body: '内容内容' });
  expect(res.statusCode).toBe(403);
});

test('read receipts count households: two members of one household reading make one', async () => {
  const owner = await loginDemo(app, 'owner');
  const family = await familyMemberOf('302');
  const notice = (await post(captain, building1, { title: '电梯维保通知', body: '周一上午电梯停运两小时。' })).json();
  for (const reader of [owner, family]) {
    await app.inject({ method: 'POST', url: `/api/notices/${notice.id}/read`, headers: reader.headers });
  }
  const again = await app.inject({ method: 'POST', url: `/api/notices/${notice.id}/read`, headers: family.headers });
  expect(again.json().readHouseholds).toBe(1);
  const page = (await app.inject({ url: `/api/channels/${building1}/notices`, headers: captain.headers })).json();
  const seen = page.items.find((n: { id: string }) => n.id === notice.id);
  expect(seen.receipts).toEqual({ readHouseholds: 1, totalHouseholds: expect.any(Number) });
  expect(seen.receipts.totalHouseholds).toBeGreaterThanOrEqual(3);
  // Residents see whether they read it, not who else did.
  const residentView = (await app.inject({ url: `/api/channels/${building1}/notices`, headers: owner.headers })).json();
  expect(residentView.items.find((n: { id: string }) => n.id === notice.id)).toMatchObject({ readByMe: true });
  expect(residentView.items[0].receipts).toBeUndefined();
});

test('notices page by cursor, pinned first, newest next, without repeats', async () => {
  const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '2单元']);
  const unitcap = await loginDemo(app, 'unitcap');
  for (const [title, pinned] of [
    ['第一条通知', false],
    ['置顶的通知', true],
    ['第三条通知', false],
    ['第四条通知', false],
  ] as const) {
    expect((await post(unitcap, unit, { title, body: '内容', pinned })).statusCode).toBe(201);
  }
  const titles: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page: { items: { title: string }[]; nextCursor: string | null } = (
      await app.inject({ url: `/api/channels/${unit}/notices?limit=3${query}`, headers: unitcap.headers })
    ).json();
    titles.push(...page.items.map((n) => n.title));
    cursor = page.nextCursor;
  } while (cursor);
  expect(titles).toEqual(['置顶的通知', '第四条通知', '第三条通知', '第一条通知']);
  const broken = await app.inject({ url: `/api/channels/${unit}/notices?cursor=nonsense`, headers: unitcap.headers });
  expect(broken.statusCode).toBe(400);
});
