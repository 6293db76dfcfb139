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

describe('editing and withdrawing a notice', () => {
  const editNotice = (who: LoggedIn, id: string, body: object) =>
    app.inject({ method: 'PUT', url: `/api/notices/${id}`, headers: who.headers, payload: body });
  const withdraw = (who: LoggedIn, id: string) =>
    app.inject({ method: 'POST', url: `/api/notices/${id}/withdraw`, headers: who.headers });
  const listed = async (who: LoggedIn) =>
    (
      (await app.inject({ url: `/api/channels/${building1}/notices?limit=50`, headers: who.headers })).json() as {
        items: { id: string; title: string; editedAt: string | null; canManage: boolean; moderation: string }[];
      }
    ).items;
  const timeline = async (who: LoggedIn, id: string) =>
    app.inject({ url: `/api/notices/${id}/timeline`, headers: who.headers });

  test('its author edits it: residents see the new text marked edited, and what it said before', async () => {
    const owner = await loginDemo(app, 'owner');
    const notice = (await post(captain, building1, { title: '周六停水通知', body: '周六上午八点到十点停水。' })).json();
    expect((await listed(owner)).find((n) => n.id === notice.id)).toMatchObject({ editedAt: null, canManage: false });

    const res = await editNotice(captain, notice.id, { title: '周日停水通知', body: '改为周日上午八点到十点停水。' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: '周日停水通知', canManage: true, moderation: 'visible' });
    expect(res.json().editedAt).toEqual(expect.any(String));

    const seen = (await listed(owner)).find((n) => n.id === notice.id)!;
    expect(seen).toMatchObject({ title: '周日停水通知', canManage: false, editedAt: res.json().editedAt });
    const versions = await app.inject({ url: `/api/notices/${notice.id}/versions`, headers: owner.headers });
    expect(versions.json()).toEqual([
      {
        title: '周六停水通知',
        body: '周六上午八点到十点停水。',
        replacedAt: res.json().editedAt,
        editor: { displayName: '张**', role: 'building_captain' },
      },
    ]);
    const actions = (await timeline(captain, notice.id)).json().map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['posted', 'edited']));
  });

  test('staff may edit it too; a resident and another captain may not', async () => {
    const notice = (await post(captain, building1, { title: '电梯检修', body: '周三电梯检修。' })).json();
    const staff = await loginDemo(app, 'staff');
    expect((await listed(staff)).find((n) => n.id === notice.id)!.canManage).toBe(true);
    expect((await editNotice(staff, notice.id, { title: '电梯检修（改期）', body: '改为周四。' })).statusCode).toBe(
      200,
    );
    for (const who of [await loginDemo(app, 'owner'), await loginDemo(app, 'unitcap')]) {
      expect((await editNotice(who, notice.id, { title: '我改的', body: '我改的内容' })).statusCode).toBe(403);
      expect((await withdraw(who, notice.id)).statusCode).toBe(403);
    }
    // Someone outside the channel learns nothing about it.
    expect(
      (await editNotice(await loginDemo(app, 'tenant'), notice.id, { title: '标题', body: '内容' })).statusCode,
    ).toBe(404);
  });

  test('the new text is checked again: risky is refused and nothing changes; doubtful goes back to review', async () => {
    const owner = await loginDemo(app, 'owner');
    const notice = (await post(captain, building1, { title: '二手闲置', body: '家里的旧书架送人。' })).json();
    const risky = await editNotice(captain, notice.id, { title: '二手闲置', body: '出售违禁品' });
    expect([risky.statusCode, risky.json().code]).toEqual([422, 'CONTENT_RISKY']);
    expect((await listed(owner)).find((n) => n.id === notice.id)).toMatchObject({ title: '二手闲置', editedAt: null });

    const doubtful = await editNotice(captain, notice.id, { title: '二手闲置', body: '测试待审词' });
    expect(doubtful.json().moderation).toBe('review');
    expect((await listed(owner)).map((n) => n.id)).not.toContain(notice.id);
  });

  test('withdrawn, it leaves every list and count but stays in the audit for its author and staff', async () => {
    const owner = await loginDemo(app, 'owner');
    const unread = async () => (await channels(owner)).find((c) => c.node.id === building1)!.unreadNotices;
    const before = await unread();
    const notice = (await post(captain, building1, { title: '临时通知', body: '发错了的通知。' })).json();
    expect(await unread()).toBe(before + 1);

    expect((await withdraw(captain, notice.id)).statusCode).toBe(204);
    expect(await unread()).toBe(before);
    expect((await listed(owner)).map((n) => n.id)).not.toContain(notice.id);
    expect((await listed(captain)).map((n) => n.id)).not.toContain(notice.id);
    expect((await timeline(owner, notice.id)).statusCode).toBe(404);
    const entries = (await timeline(captain, notice.id)).json() as { action: string }[];
    expect(entries.at(-1)!.action).toBe('withdrawn');

    // Gone: neither edited nor withdrawn again.
    expect((await editNotice(captain, notice.id, { title: '临时通知', body: '再改一次。' })).statusCode).toBe(404);
    expect((await withdraw(captain, notice.id)).statusCode).toBe(404);
  });
});
