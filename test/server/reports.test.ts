import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../server/clock';
import { buildDemoApp, placeId } from '../helpers/demo';
import { fileReport, move, photo } from '../helpers/reports';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

const HOUR = 3600_000;
const start = new Date('2026-11-23T09:00:00+08:00');
const clock = manualClock(start);
let app: FastifyInstance;
let owner: LoggedIn;
let grid: LoggedIn;
let property: LoggedIn;
let staff: LoggedIn;

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  [owner, grid, property, staff] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'property'),
    loginDemo(app, 'staff'),
  ]);
});
afterAll(() => app.close());
beforeEach(() => clock.set(start));

const get = async (who: LoggedIn, id: string) => app.inject({ url: `/api/reports/${id}`, headers: who.headers });
const inboxTitles = async (who: LoggedIn) =>
  (await app.inject({ url: '/api/inbox?limit=50', headers: who.headers }))
    .json()
    .items.map((n: { title: string }) => n.title) as string[];

describe('from a photo to a fix the resident confirms', () => {
  test('report → accept → assign to property → resolve with a photo → rate → closed, with its timeline', async () => {
    const filed = await fileReport(app, owner);
    expect(filed.statusCode).toBe(201);
    const id = filed.json().id;
    expect(filed.json()).toMatchObject({
      state: 'submitted',
      level: 'grid',
      category: { code: 'sanitation', name: '环境卫生' },
      place: { path: ['幸福里社区', '阳光花园', '1栋', '1单元'] },
      acceptBy: new Date(start.getTime() + 8 * HOUR).toISOString(),
      actions: [],
    });
    expect((await get(grid, id)).json().actions).toEqual(['accept', 'reject']);

    clock.advance(HOUR);
    expect((await move(app, grid, id, 'accept')).json()).toMatchObject({
      state: 'accepted',
      acceptBy: null,
      resolveBy: new Date(start.getTime() + HOUR + 72 * HOUR).toISOString(),
    });
    const candidates = (await app.inject({ url: `/api/reports/${id}/assignees`, headers: grid.headers })).json();
    expect(candidates).toContainEqual({
      kind: 'property',
      userId: null,
      displayName: '物业',
      role: 'property_handler',
    });
    expect((await move(app, grid, id, 'assign', { assignee: { kind: 'property' } })).json()).toMatchObject({
      state: 'assigned',
      assignee: { kind: 'property', displayName: '物业' },
    });

    clock.advance(HOUR);
    expect((await get(property, id)).json().actions).toEqual(['start', 'resolve']);
    const resolved = await move(app, property, id, 'resolve', {
      note: '杂物已清理',
      mediaIds: [await photo(app, property)],
    });
    expect(resolved.json()).toMatchObject({
      state: 'resolved',
      resolution: { note: '杂物已清理', media: [expect.objectContaining({ id: expect.any(String) })] },
    });
    expect((await get(owner, id)).json().actions).toEqual(['confirm', 'reopen']);

    const closed = await move(app, owner, id, 'confirm', { score: 5, comment: '处理很及时' });
    expect(closed.json()).toMatchObject({
      state: 'closed',
      rating: { score: 5, comment: '处理很及时' },
      autoClosed: false,
      actions: [],
    });

    const timeline = (await app.inject({ url: `/api/reports/${id}/timeline`, headers: owner.headers })).json();
    expect(timeline.map((e: { action: string; to: string }) => `${e.action}→${e.to}`)).toEqual([
      'submit→submitted',
      'accept→accepted',
      'assign→assigned',
      'resolve→resolved',
      'confirm→closed',
    ]);
    expect(timeline[3].attachments).toHaveLength(1);
    expect(await inboxTitles(owner)).toEqual(
      expect.arrayContaining(['随手拍已受理', '随手拍已派单', '随手拍已办结，请确认是否解决']),
    );
  });

  test('a reporter who says it is not fixed sends it back to the handler; the reopen count is kept', async () => {
    const id = (await fileReport(app, owner)).json().id;
    await move(app, grid, id, 'accept');
    await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });
    await move(app, property, id, 'resolve', { note: '已处理', mediaIds: [await photo(app, property)] });
    const reopened = await move(app, owner, id, 'reopen', { note: '还没有清理干净' });
    expect(reopened.json()).toMatchObject({
      state: 'assigned',
      reopenCount: 1,
      resolution: null,
      assignee: { kind: 'property' },
    });
    await move(app, property, id, 'resolve', { note: '再次清理', mediaIds: [await photo(app, property)] });
    expect((await move(app, owner, id, 'confirm', { score: 4 })).json()).toMatchObject({
      state: 'closed',
      reopenCount: 1,
    });
  });

  test('a dispatcher may reject as a duplicate of another report, with a reason', async () => {
    const first = (await fileReport(app, owner)).json().id;
    const second = (await fileReport(app, owner)).json().id;
    const res = await move(app, grid, second, 'reject', {
      kind: 'duplicate',
      note: '已有相同上报',
      duplicateOf: first,
    });
    expect(res.json()).toMatchObject({
      state: 'rejected',
      rejection: { kind: 'duplicate', note: '已有相同上报', duplicateOf: first },
    });
    expect(
      (await move(app, grid, first, 'reject', { kind: 'duplicate', note: '重复', duplicateOf: first })).statusCode,
    ).toBe(400);
  });
});

describe('only the right role makes each move', () => {
  test('residents, handlers and reporters are refused the moves that are not theirs', async () => {
    const id = (await fileReport(app, owner)).json().id;
    expect((await move(app, owner, id, 'accept')).statusCode).toBe(403);
    // Property staff see their estate's public reports, but do not dispatch them.
    expect((await move(app, property, id, 'accept')).statusCode).toBe(403);
    await move(app, grid, id, 'accept');
    await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });
    const selfFix = await move(app, owner, id, 'resolve', {
      note: '我自己修好了',
      mediaIds: [await photo(app, owner)],
    });
    expect(selfFix.statusCode).toBe(403);
    // Nobody confirms what is not resolved yet: the state is wrong, whatever the role.
    expect((await move(app, owner, id, 'confirm', { score: 5 })).json().code).toBe('INVALID_TRANSITION');
    expect((await move(app, grid, id, 'accept')).json().code).toBe('INVALID_TRANSITION');
    await move(app, property, id, 'resolve', { note: '已处理', mediaIds: [await photo(app, property)] });
    expect((await move(app, property, id, 'confirm', { score: 5 })).statusCode).toBe(403);
    expect((await move(app, grid, id, 'reopen', { note: '我觉得没修好' })).statusCode).toBe(403);
  });

  test("a property handler of another estate neither sees nor handles a report assigned to 阳光花园's property", async () => {
    const elsewhere = await newcomer(app);
    const granted = await app.inject({
      method: 'POST',
      url: `/api/nodes/${await placeId(app, ['幸福里社区', '翠竹苑'])}/roles`,
      headers: staff.headers,
      payload: { userId: elsewhere.me.id, role: 'property_handler' },
    });
    expect(granted.statusCode).toBe(201);
    const id = (await fileReport(app, owner)).json().id;
    await move(app, grid, id, 'accept');
    await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });

    expect((await get(elsewhere, id)).statusCode).toBe(404);
    const resolve = { note: '已处理', mediaIds: [await photo(app, elsewhere)] };
    expect((await move(app, elsewhere, id, 'resolve', resolve)).statusCode).toBe(404);
    expect((await get(property, id)).json().actions).toEqual(['start', 'resolve']);
  });

  test("a grid worker does not dispatch another grid's reports, and cannot even see them", async () => {
    const volunteer = await loginDemo(app, 'volunteer');
    const id = (await fileReport(app, volunteer, { category: 'facility', description: '路灯坏了' })).json().id;
    expect((await get(grid, id)).statusCode).toBe(404);
    expect((await get(staff, id)).json().actions).toEqual(['accept', 'reject']);
  });

  test('two dispatchers accepting at once: one wins, the other is told the report changed', async () => {
    const id = (await fileReport(app, owner)).json().id;
    const results = await Promise.all([move(app, grid, id, 'accept'), move(app, staff, id, 'accept')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const timeline = (await app.inject({ url: `/api/reports/${id}/timeline`, headers: owner.headers })).json();
    expect(timeline.filter((e: { action: string }) => e.action === 'accept')).toHaveLength(1);
  });
});

describe('filing', () => {
  test('sending the same report twice (a retry after a dropped network) files one', async () => {
    const mediaIds = [await photo(app, owner)];
    const body = { category: 'parking', description: '消防通道被占用', mediaIds, idempotencyKey: 'same-report-key-1' };
    const results = await Promise.all(
      [1, 2, 3].map(() => app.inject({ method: 'POST', url: '/api/reports', headers: owner.headers, payload: body })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
  });

  test('risky text is refused and an unknown category is a clear 400', async () => {
    expect((await fileReport(app, owner, { description: '出售违禁品' })).json().code).toBe('CONTENT_RISKY');
    expect((await fileReport(app, owner, { category: 'nonsense' })).json().code).toBe('UNKNOWN_CATEGORY');
  });

  test('someone without a household must name the place', async () => {
    const street = await loginDemo(app, 'street');
    const res = await fileReport(app, street);
    expect([res.statusCode, res.json().code]).toEqual([400, 'NO_HOUSEHOLD']);
  });
});

describe('who sees what', () => {
  test('neighbours of the estate see public reports with the reporter as 某居民, or masked when they chose', async () => {
    const hidden = (await fileReport(app, owner)).json().id;
    const shown = (await fileReport(app, owner, { showName: true })).json().id;
    const captain = await loginDemo(app, 'captain');
    expect((await get(captain, hidden)).json().reporter).toEqual({ displayName: '某居民', isMe: false });
    expect((await get(captain, shown)).json().reporter).toEqual({ displayName: '王**', isMe: false });
    expect((await get(owner, hidden)).json().reporter).toEqual({ displayName: '王阿姨', isMe: true });
    const estate = (await app.inject({ url: '/api/reports?view=estate', headers: captain.headers })).json();
    expect(estate.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([hidden, shown]));
    expect(JSON.stringify(estate)).not.toMatch(/1380000|phone/);
  });

  test('a neighbour dispute is private: only the reporter and those handling it see it', async () => {
    const id = (await fileReport(app, owner, { category: 'dispute', description: '楼上漏水多次沟通无果' })).json().id;
    expect((await get(owner, id)).json().private).toBe(true);
    expect((await get(await loginDemo(app, 'captain'), id)).statusCode).toBe(404);
    expect((await get(staff, id)).statusCode).toBe(200);
    const estate = (
      await app.inject({ url: '/api/reports?view=estate', headers: (await loginDemo(app, 'captain')).headers })
    ).json();
    expect(estate.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  test('another estate or community sees nothing', async () => {
    const id = (await fileReport(app, owner)).json().id;
    expect((await get(await loginDemo(app, 'volunteer'), id)).statusCode).toBe(404);
    expect((await get(await loginDemo(app, 'other'), id)).statusCode).toBe(404);
  });
});

describe('me too: nearby open reports of the same category', () => {
  const here = { longitude: 116.397, latitude: 39.909 };
  const metresNorth = (m: number) => ({ longitude: here.longitude, latitude: here.latitude + m / 111_195 });

  test('a report within the category radius is suggested with its distance; following it keeps me informed', async () => {
    const id = (
      await fileReport(app, owner, { category: 'parking', description: '消防通道停车', location: here })
    ).json().id;
    const captain = await loginDemo(app, 'captain');
    const query = (p: { longitude: number; latitude: number }, category = 'parking') =>
      app.inject({
        url: `/api/reports/nearby?category=${category}&longitude=${p.longitude}&latitude=${p.latitude}`,
        headers: captain.headers,
      });
    const near = (await query(metresNorth(30))).json();
    expect(near).toEqual([{ report: expect.objectContaining({ id }), distanceMeters: 30 }]);
    expect((await query(metresNorth(80))).json()).toEqual([]);
    expect((await query(metresNorth(30), 'noise')).json()).toEqual([]);

    const followed = await app.inject({ method: 'POST', url: `/api/reports/${id}/follow`, headers: captain.headers });
    expect(followed.json()).toMatchObject({ followerCount: 1, following: true });
    await move(app, grid, id, 'accept');
    expect(await inboxTitles(captain)).toContain('随手拍已受理');
    const mine = (await app.inject({ url: '/api/reports?view=mine', headers: captain.headers })).json();
    expect(mine.items.map((r: { id: string }) => r.id)).toContain(id);
  });
});

describe('graded response at exact deadlines', () => {
  test('a missed accept deadline escalates grid → community → street, each in the overdue ledger', async () => {
    const filed = (await fileReport(app, owner, { category: 'safety', description: '楼道电动车飞线充电' })).json();
    expect(filed.acceptBy).toBe(new Date(start.getTime() + HOUR).toISOString());

    clock.set(new Date(start.getTime() + HOUR - 1));
    await app.jobs.runDue();
    expect((await get(owner, filed.id)).json().level).toBe('grid');
    clock.set(new Date(start.getTime() + HOUR));
    await app.jobs.runDue();
    expect((await get(owner, filed.id)).json()).toMatchObject({
      level: 'community',
      acceptBy: new Date(start.getTime() + 2 * HOUR).toISOString(),
    });
    expect(await inboxTitles(staff)).toContain('随手拍超时升级');

    clock.set(new Date(start.getTime() + 2 * HOUR));
    await app.jobs.runDue();
    expect((await get(owner, filed.id)).json().level).toBe('street');
    // The community's staff may still act at street level; the grid worker no longer dispatches it.
    expect((await get(grid, filed.id)).json().actions).toEqual([]);

    const community = await placeId(app, ['幸福里社区']);
    const ledger = (
      await app.inject({ url: `/api/reports/overdue-ledger?communityId=${community}`, headers: staff.headers })
    ).json();
    const entries = ledger.items.filter((e: { reportId: string }) => e.reportId === filed.id);
    expect(
      entries.map((e: { kind: string; fromLevel: string; toLevel: string }) => `${e.kind}:${e.fromLevel}→${e.toLevel}`),
    ).toEqual(['accept:community→street', 'accept:grid→community']);
    const timeline = (await app.inject({ url: `/api/reports/${filed.id}/timeline`, headers: owner.headers })).json();
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'escalate:accept', 'escalate:accept']);
  });

  test('accepted in time, nothing escalates; a missed resolve deadline escalates on its own', async () => {
    const id = (await fileReport(app, owner, { category: 'safety', description: '燃气味道很重' })).json().id;
    clock.set(new Date(start.getTime() + 30 * 60_000));
    await move(app, grid, id, 'accept');
    clock.set(new Date(start.getTime() + 2 * HOUR));
    await app.jobs.runDue();
    expect((await get(owner, id)).json().level).toBe('grid');
    const resolveBy = new Date(start.getTime() + 30 * 60_000 + 24 * HOUR);
    clock.set(resolveBy);
    await app.jobs.runDue();
    expect((await get(owner, id)).json()).toMatchObject({ level: 'community', state: 'accepted', overdue: false });
  });

  test("an escalated report stays overdue, first on the next level's handling list and in the figures, until handled", async () => {
    const id = (await fileReport(app, owner, { category: 'safety', description: '消防栓被挡' })).json().id;
    clock.set(new Date(start.getTime() + 30 * 60_000));
    await move(app, grid, id, 'accept');
    const resolveBy = new Date(start.getTime() + 30 * 60_000 + 24 * HOUR);
    clock.set(resolveBy);
    // Another report staff see, due in 8 h: sooner than the community level's fresh deadline, not yet overdue.
    const later = (await fileReport(app, owner, { category: 'sanitation', description: '楼道堆物' })).json().id;
    await app.jobs.runDue();
    clock.set(new Date(resolveBy.getTime() + HOUR));
    // The community level has a fresh deadline a day ahead, yet the report is still overdue since the missed one.
    expect((await get(staff, id)).json()).toMatchObject({
      level: 'community',
      overdue: true,
      overdueSince: resolveBy.toISOString(),
      resolveBy: new Date(resolveBy.getTime() + 24 * HOUR).toISOString(),
    });
    const handling = async () =>
      (await app.inject({ url: '/api/reports?view=handling&limit=50', headers: staff.headers })).json().items as {
        id: string;
        overdue: boolean;
      }[];
    // Overdue reports first (this one among them), then the others by deadline.
    const inbox = await handling();
    const at = (reportId: string) => inbox.findIndex((r) => r.id === reportId);
    expect(inbox[at(id)]).toMatchObject({ overdue: true });
    expect(inbox[at(later)]).toMatchObject({ overdue: false });
    expect(at(id)).toBeLessThan(at(later));
    expect(inbox.slice(0, at(id)).every((r) => r.overdue)).toBe(true);
    const community = await placeId(app, ['幸福里社区']);
    const figuresUrl = `/api/reports/figures?communityId=${community}&from=${start.toISOString()}&to=${new Date(start.getTime() + 30 * 24 * HOUR).toISOString()}`;
    const overdueIn = async () =>
      ((await app.inject({ url: figuresUrl, headers: staff.headers })).json().overdue as { id: string }[]).map(
        (o) => o.id,
      );
    expect(await overdueIn()).toContain(id);

    // Assigning keeps it overdue; resolving ends it.
    await move(app, staff, id, 'assign', { assignee: { kind: 'property' } });
    expect((await get(staff, id)).json()).toMatchObject({ overdue: true, overdueSince: resolveBy.toISOString() });
    await move(app, property, id, 'resolve', { note: '已清理', mediaIds: [await photo(app, property)] });
    expect((await get(staff, id)).json()).toMatchObject({ overdue: false, overdueSince: null });
    clock.advance(61_000); // past the minute figures are reused for
    expect(await overdueIn()).not.toContain(id);
  });

  test('a resolved report the reporter ignores closes by itself after exactly 7 days', async () => {
    const id = (await fileReport(app, owner)).json().id;
    await move(app, grid, id, 'accept');
    await move(app, grid, id, 'assign', { assignee: { kind: 'property' } });
    await move(app, property, id, 'resolve', { note: '已处理', mediaIds: [await photo(app, property)] });
    clock.set(new Date(start.getTime() + 7 * 24 * HOUR - 1));
    await app.jobs.runDue();
    expect((await get(owner, id)).json().state).toBe('resolved');
    clock.set(new Date(start.getTime() + 7 * 24 * HOUR));
    await app.jobs.runDue();
    expect((await get(owner, id)).json()).toMatchObject({ state: 'closed', autoClosed: true, rating: null });
  });
});
