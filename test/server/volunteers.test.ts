import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { manualClock } from '../../server/clock';
import { buildDemoApp, placeId } from '../helpers/demo';
import { cameraJpeg, multipart } from '../helpers/images';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';
import { doorCode, orderMove, orderService } from '../helpers/volunteers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A Wednesday, 10:00 in Beijing: 吴志愿 is available, 郑师傅 (evenings only) is not.
const start = new Date('2026-12-02T10:00:00+08:00');
const clock = manualClock(start);
let app: FastifyInstance;
let owner: LoggedIn;
let grid: LoggedIn;
let staff: LoggedIn;
let volunteer: LoggedIn;
let handyman: LoggedIn;
let community: string;

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  [owner, grid, staff, volunteer, handyman] = await Promise.all([
    loginDemo(app, 'owner'),
    loginDemo(app, 'grid'),
    loginDemo(app, 'staff'),
    loginDemo(app, 'volunteer'),
    loginDemo(app, 'handyman'),
  ]);
  community = await placeId(app, ['幸福里社区']);
}, 30_000);
afterAll(() => app.close());
beforeEach(() => clock.set(start));

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });
const ledgerOf = async (who: LoggedIn) => {
  const me = (await get(who, '/api/volunteers/me')).json();
  return (await get(who, `/api/volunteers/${me.id}/ledger`)).json();
};
const soon = () => new Date(clock.now().getTime() + HOUR);

describe('registration', () => {
  test('a resident registers, staff verify (the badge follows), suspend and reinstate with a reason', async () => {
    const person = await loginDemo(app, 'tenant');
    const estate = await placeId(app, ['幸福里社区', '阳光花园']);
    const body = {
      realName: '刘小刚',
      phone: '13812345678',
      skills: ['errands', 'repairs'],
      areaIds: [estate],
      availability: [{ day: 6, part: 'morning' }],
    };
    const registered = await app.inject({
      method: 'POST',
      url: '/api/volunteers',
      headers: person.headers,
      payload: body,
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toMatchObject({
      status: 'pending',
      phone: '13812345678',
      totals: { halfHours: 0, stars: 0 },
    });
    const again = await app.inject({ method: 'POST', url: '/api/volunteers', headers: person.headers, payload: body });
    expect(again.json()).toMatchObject({ statusCode: 409, code: 'VOLUNTEER_EXISTS' });
    const id = registered.json().id;

    // Grid workers see the phone masked; staff see it whole.
    expect((await get(grid, `/api/volunteers/${id}`)).json().phone).toBe('138****5678');
    expect((await get(staff, `/api/volunteers/${id}`)).json().phone).toBe('13812345678');
    const byGrid = await app.inject({
      method: 'POST',
      url: `/api/volunteers/${id}/verify`,
      headers: grid.headers,
      payload: { reason: '核实' },
    });
    expect(byGrid.statusCode).toBe(403);
    const decide = (verb: string) =>
      app.inject({
        method: 'POST',
        url: `/api/volunteers/${id}/${verb}`,
        headers: staff.headers,
        payload: { reason: '已核实身份' },
      });
    expect((await decide('verify')).json()).toMatchObject({ status: 'verified', statusReason: '已核实身份' });
    expect((await get(person, '/api/me')).json().badges).toContain('volunteer');
    expect((await decide('reinstate')).json()).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await decide('suspend')).json().status).toBe('suspended');
    expect((await get(person, '/api/me')).json().badges).not.toContain('volunteer');
    expect((await decide('reinstate')).json().status).toBe('verified');
    const timeline = await app.models.Event.find({ communityId: community, itemKind: 'volunteer', itemId: id }).lean();
    expect(timeline.map((e) => e.action)).toEqual(['register', 'verify', 'suspend', 'reinstate']);
  });

  test('bad input gets a clear 4xx', async () => {
    const person = await newcomer(app);
    const cases: [string, string, object][] = [
      ['POST', '/api/volunteers', { realName: 'x', phone: '123', skills: [], areaIds: [], availability: [] }],
      [
        'POST',
        '/api/volunteers',
        { realName: '某人', phone: '13812345678', skills: ['flying'], areaIds: [community], availability: [] },
      ],
      [
        'POST',
        '/api/volunteer-orders',
        {
          kind: 'elderly_help',
          description: '帮忙',
          windowStart: 'tomorrow',
          windowEnd: 'later',
          idempotencyKey: 'abcdefgh',
        },
      ],
      ['POST', '/api/volunteer-orders/000000000000000000000000/check-in', { code: '12ab' }],
      ['POST', '/api/volunteer-orders/000000000000000000000000/rate', { score: 9 }],
      ['GET', '/api/volunteer-orders?view=everything', {}],
      ['GET', '/api/volunteer-figures?communityId=' + community + '&month=2026-13', {}],
    ];
    for (const [method, url, payload] of cases) {
      const res = await app.inject({
        method: method as 'POST',
        url,
        headers: owner.headers,
        ...(method === 'POST' ? { payload } : {}),
      });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // A window that ends before it starts, or one longer than 12 hours.
    const backwards = await orderService(app, owner, { start: soon(), hours: -1 });
    expect(backwards.statusCode).toBe(400);
    expect((await orderService(app, owner, { start: soon(), hours: 13 })).statusCode).toBe(400);
    // Someone without a household must name a place.
    // Only captains, grid workers and staff order for a neighbour.
    const neighbour = (await loginDemo(app, 'tenant')).me.id;
    expect((await orderService(app, owner, { start: soon() }, { forUserId: neighbour })).statusCode).toBe(403);
    const forNeighbour = await orderService(app, grid, { start: soon() }, { forUserId: neighbour, kind: 'errands' });
    expect(forNeighbour.json()).toMatchObject({
      requester: { displayName: '刘**' },
      place: { path: ['幸福里社区', '阳光花园', '2栋', '1单元'] },
    });
    expect((await orderService(app, person, { start: soon() })).json().code).toBe('NO_HOUSEHOLD');
  });
});

describe('点单—派单—接单—评单', () => {
  test('order → suggestions with reasons → dispatch → accept → door codes → hours → rate → upheld complaint voids them', async () => {
    const filed = await orderService(app, owner, { start: soon() });
    expect(filed.statusCode).toBe(201);
    const id = filed.json().id;
    expect(filed.json()).toMatchObject({
      state: 'ordered',
      actions: ['cancel'],
      place: { path: ['幸福里社区', '阳光花园', '1栋', '1单元'] },
    });

    const suggestions = (await get(grid, `/api/volunteer-orders/${id}/suggestions`)).json();
    // 吴 (skill, area, time, one order on hand, well rated) before 郑 (skill and area, but evenings only, two on hand).
    expect(suggestions.slice(0, 2).map((s: { displayName: string }) => s.displayName)).toEqual(['吴**', '郑**']);
    expect(suggestions[0].reasons).toEqual([
      '擅长助老服务',
      '在服务片区内',
      '周三上午有空',
      '手上有 1 单在办',
      '评分 4.8（6 次）',
    ]);
    expect(suggestions[1].reasons).toContain('该时段未登记有空');
    expect((await get(owner, `/api/volunteer-orders/${id}/suggestions`)).statusCode).toBe(403);

    clock.advance(10 * MINUTE);
    const dispatched = await orderMove(app, grid, id, 'dispatch', { volunteerId: suggestions[0].volunteerId });
    expect(dispatched.json()).toMatchObject({
      state: 'dispatched',
      acceptBy: new Date(clock.now().getTime() + 2 * HOUR).toISOString(),
    });
    expect((await get(volunteer, `/api/volunteer-orders/${id}`)).json().actions).toEqual(['accept', 'decline']);
    // Others may not accept it for the volunteer.
    expect((await orderMove(app, handyman, id, 'accept')).statusCode).toBe(404);
    expect((await orderMove(app, volunteer, id, 'accept')).json().state).toBe('accepted');
    expect((await orderMove(app, volunteer, id, 'accept')).json().code).toBe('ORDER_STATE_CHANGED');

    // Only the resident sees the door code; the volunteer checks in with it.
    expect((await get(volunteer, `/api/volunteer-orders/${id}/door-code`)).statusCode).toBe(403);
    const inCode = await doorCode(app, owner, id);
    expect(inCode).toMatch(/^\d{6}$/);
    const wrong = String((Number(inCode) + 1) % 1_000_000).padStart(6, '0');
    expect((await orderMove(app, volunteer, id, 'check-in', { code: wrong })).json().code).toBe('DOOR_CODE_INVALID');
    clock.advance(3 * MINUTE);
    expect((await orderMove(app, volunteer, id, 'check-in', { code: inCode })).json().code).toBe('DOOR_CODE_INVALID');
    const fresh = await doorCode(app, owner, id);
    const checkedIn = await orderMove(app, volunteer, id, 'check-in', { code: fresh });
    expect(checkedIn.json()).toMatchObject({ state: 'in_service', checkInAt: clock.now().toISOString() });

    // 50 minutes later, a new code checks out: 45–60 minutes counts as one hour (two half-hours).
    clock.advance(50 * MINUTE);
    expect((await orderMove(app, volunteer, id, 'check-out', { code: fresh })).json().code).toBe('DOOR_CODE_INVALID');
    const outCode = await doorCode(app, owner, id);
    const out = await orderMove(app, volunteer, id, 'check-out', { code: outCode });
    expect(out.json()).toMatchObject({ state: 'completed', credited: { halfHours: 2, minutes: 50, manual: false } });
    expect((await orderMove(app, volunteer, id, 'check-out', { code: outCode })).json().code).toBe(
      'ORDER_STATE_CHANGED',
    );

    const ledger = await ledgerOf(volunteer);
    // Demo entries were written at the real time, after this test's clock: find this order's.
    expect(ledger.items.find((e: { minutes: number }) => e.minutes === 50)).toMatchObject({
      kind: 'order',
      halfHours: 2,
    });
    const hoursBefore = ledger.totals.halfHours;

    const rated = await orderMove(app, owner, id, 'rate', { score: 2, comment: '来晚了' });
    expect(rated.json()).toMatchObject({ state: 'rated', rating: { score: 2 }, canComplain: true });
    const complained = await orderMove(app, owner, id, 'complain', { text: '志愿者态度不好，提前离开' });
    expect(complained.json().complaint).toMatchObject({ status: 'open' });
    expect((await orderMove(app, owner, id, 'complain', { text: '再投诉一次' })).statusCode).toBe(409);
    expect((await get(staff, '/api/inbox?limit=5')).json().items[0].title).toBe('收到志愿服务投诉');
    expect((await orderMove(app, grid, id, 'complaint/decide', { upheld: true, note: '核实属实' })).statusCode).toBe(
      403,
    );
    const upheld = await orderMove(app, staff, id, 'complaint/decide', { upheld: true, note: '核实属实' });
    expect(upheld.json().complaint).toMatchObject({ status: 'upheld', note: '核实属实' });

    const after = await ledgerOf(volunteer);
    expect(after.items.find((e: { kind: string }) => e.kind === 'void')).toMatchObject({
      halfHours: -2,
      note: '核实属实',
    });
    expect(after.totals.halfHours).toBe(hoursBefore - 2);
    const actions = (await get(owner, `/api/volunteer-orders/${id}/timeline`))
      .json()
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'order',
      'dispatch',
      'accept',
      'check_in',
      'check_out',
      'rate',
      'complain',
      'complaint_upheld',
    ]);
  });

  test('a void reverses points and the star level', async () => {
    const me = (await get(volunteer, '/api/volunteers/me')).json();
    const current = me.totals.halfHours;
    // Bring 吴志愿 to half an hour short of 100 hours, then one service of an hour crosses the first star.
    await app.volunteers.ledger.credit({
      communityId: new Types.ObjectId(community),
      userId: new Types.ObjectId(me.userId),
      kind: 'manual',
      serviceKind: 'elderly_help',
      minutes: (199 - current) * 30,
      halfHours: 199 - current,
      title: '历史服务时长导入',
      note: '纸质台账',
    });
    expect((await ledgerOf(volunteer)).totals).toEqual({ halfHours: 199, points: 199, stars: 0, toNextStar: 1 });
    const id = (await orderService(app, owner, { start: soon() })).json().id;
    await orderMove(app, grid, id, 'dispatch', { volunteerId: me.userId });
    await orderMove(app, volunteer, id, 'accept');
    await orderMove(app, volunteer, id, 'check-in', { code: await doorCode(app, owner, id) });
    clock.advance(60 * MINUTE);
    await orderMove(app, volunteer, id, 'check-out', { code: await doorCode(app, owner, id) });
    expect((await ledgerOf(volunteer)).totals).toEqual({ halfHours: 201, points: 201, stars: 1, toNextStar: 399 });
    await orderMove(app, owner, id, 'complain', { text: '根本没来' });
    await orderMove(app, staff, id, 'complaint/decide', { upheld: true, note: '代签到' });
    expect((await ledgerOf(volunteer)).totals).toEqual({ halfHours: 199, points: 199, stars: 0, toNextStar: 1 });
  });

  test('staff add hours by hand with a reason, capped by the window and marked manual', async () => {
    const id = (await orderService(app, owner, { start: soon(), hours: 1 })).json().id;
    await orderMove(app, grid, id, 'dispatch', {
      volunteerId: (await get(volunteer, '/api/volunteers/me')).json().userId,
    });
    await orderMove(app, volunteer, id, 'accept');
    expect((await orderMove(app, grid, id, 'manual-hours', { minutes: 30, reason: '忘记签退' })).statusCode).toBe(403);
    expect((await orderMove(app, staff, id, 'manual-hours', { minutes: 61, reason: '忘记签退' })).statusCode).toBe(400);
    const manual = await orderMove(app, staff, id, 'manual-hours', { minutes: 40, reason: '居民手机没电' });
    expect(manual.json()).toMatchObject({ state: 'completed', credited: { halfHours: 1, minutes: 40, manual: true } });
    const entries = (await ledgerOf(volunteer)).items;
    expect(entries.find((e: { note: string | null }) => e.note === '居民手机没电')).toMatchObject({
      kind: 'manual',
      halfHours: 1,
      title: expect.stringContaining('（补录）'),
    });
  });

  test('too many wrong door codes lock check-in for a while', async () => {
    const id = (await orderService(app, owner, { start: soon() })).json().id;
    await orderMove(app, grid, id, 'dispatch', {
      volunteerId: (await get(volunteer, '/api/volunteers/me')).json().userId,
    });
    await orderMove(app, volunteer, id, 'accept');
    const code = await doorCode(app, owner, id);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await orderMove(app, volunteer, id, 'check-in', { code: wrong })).statusCode).toBe(400);
    expect((await orderMove(app, volunteer, id, 'check-in', { code })).json().code).toBe('DOOR_CODE_LOCKED');
    clock.advance(16 * MINUTE);
    expect(
      (await orderMove(app, volunteer, id, 'check-in', { code: await doorCode(app, owner, id) })).json().state,
    ).toBe('in_service');
  });
});

describe('接单 timeout and open orders', () => {
  test('an order not accepted within 2 hours goes back to dispatch with the history kept', async () => {
    const id = (await orderService(app, owner, { start: new Date(start.getTime() + 5 * HOUR) })).json().id;
    const volunteerId = (await get(volunteer, '/api/volunteers/me')).json().userId;
    await orderMove(app, grid, id, 'dispatch', { volunteerId });
    clock.advance(2 * HOUR - MINUTE);
    await app.jobs.runDue();
    expect((await get(owner, `/api/volunteer-orders/${id}`)).json().state).toBe('dispatched');
    clock.advance(2 * MINUTE);
    await app.jobs.runDue();
    const back = (await get(grid, `/api/volunteer-orders/${id}`)).json();
    expect(back).toMatchObject({
      state: 'ordered',
      volunteer: null,
      history: [{ volunteer: '吴**', outcome: 'timeout' }],
    });
    // The one who let it lapse is no longer suggested for it; a decline is kept in the history too.
    const suggested = (await get(grid, `/api/volunteer-orders/${id}/suggestions`)).json();
    expect(suggested.map((s: { volunteerId: string }) => s.volunteerId)).not.toContain(volunteerId);
    const handymanId = (await get(handyman, '/api/volunteers/me')).json().userId;
    await orderMove(app, grid, id, 'dispatch', { volunteerId: handymanId });
    const declined = await orderMove(app, handyman, id, 'decline', { reason: '临时有事' });
    expect(declined.json().history.map((h: { outcome: string }) => h.outcome)).toEqual(['timeout', 'declined']);
    expect((await get(grid, '/api/inbox?limit=5')).json().items[0].title).toBe('志愿者婉拒了派单');
  });

  test('staff set the accept timeout (15 min – 24 h): the next dispatch uses it, an offer already made keeps its own', async () => {
    const url = `/api/communities/${community}/volunteer-settings`;
    const put = (who: LoggedIn, payload: object) => app.inject({ method: 'PUT', url, headers: who.headers, payload });
    expect((await get(staff, url)).json()).toEqual({ acceptTimeoutMinutes: 120 });
    expect((await get(owner, url)).statusCode).toBe(403);
    expect((await put(grid, { acceptTimeoutMinutes: 30 })).statusCode).toBe(403);
    for (const acceptTimeoutMinutes of [14, 24 * 60 + 1, 30.5])
      expect((await put(staff, { acceptTimeoutMinutes })).json()).toMatchObject({ statusCode: 400 });
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    expect((await put(staff, { acceptTimeoutMinutes: 30 }).then(() => get(staff, url))).json()).toEqual({
      acceptTimeoutMinutes: 30,
    });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: url.replace(community, unit),
          headers: staff.headers,
          payload: { acceptTimeoutMinutes: 30 },
        })
      ).statusCode,
    ).toBe(400);

    const volunteerId = (await get(volunteer, '/api/volunteers/me')).json().userId;
    const later = { start: new Date(start.getTime() + 5 * HOUR) };
    try {
      const id = (await orderService(app, owner, later)).json().id;
      const dispatched = await orderMove(app, grid, id, 'dispatch', { volunteerId });
      expect(dispatched.json().acceptBy).toBe(new Date(clock.now().getTime() + 30 * MINUTE).toISOString());
      // Changed back while the offer stands: it keeps the 30 minutes it was made with.
      await put(staff, { acceptTimeoutMinutes: 120 });
      clock.advance(31 * MINUTE);
      await app.jobs.runDue();
      expect((await get(owner, `/api/volunteer-orders/${id}`)).json()).toMatchObject({ state: 'ordered' });
      // The next dispatch has the two hours again.
      const again = await orderMove(app, grid, id, 'dispatch', {
        volunteerId: (await get(handyman, '/api/volunteers/me')).json().userId,
      });
      expect(again.json().acceptBy).toBe(new Date(clock.now().getTime() + 2 * HOUR).toISOString());
    } finally {
      await put(staff, { acceptTimeoutMinutes: 120 });
    }
  });

  test('50 volunteers take one open order at once: exactly one wins, the others get 409 ORDER_TAKEN', async () => {
    const takers = await Promise.all(Array.from({ length: 50 }, () => newcomer(app)));
    await app.models.Volunteer.insertMany(
      takers.map((t, i) => ({
        communityId: community,
        userId: t.me.id,
        realName: `志愿者${i}`,
        phone: '13900000000',
        skills: ['elderly_help'],
        areaIds: [community],
        status: 'verified',
      })),
    );
    // They are volunteers of the community, without a home there: they see it through their registration.
    for (const t of takers) {
      await app.models.RoleGrant.create({
        userId: t.me.id,
        role: 'resident',
        nodeId: community,
        communityId: community,
      });
    }
    const id = (await orderService(app, owner, { start: soon() })).json().id;
    expect((await orderMove(app, grid, id, 'publish')).json().state).toBe('open');
    const results = await Promise.all(takers.map((t) => orderMove(app, t, id, 'take')));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'ORDER_TAKEN')).toBe(true);
    const order = await app.models.VolunteerOrder.findOne({ communityId: community, _id: id }).lean();
    expect(order).toMatchObject({ state: 'accepted', version: 2 });
    const events = await app.models.Event.countDocuments({ communityId: community, itemId: id, action: 'take' });
    expect(events).toBe(1);
  }, 60_000);
});

describe('moderation of orders', () => {
  test('text WeChat wants reviewed opens a case; no volunteer gets the order until staff approve', async () => {
    const me = (await get(volunteer, '/api/volunteers/me')).json();
    const res = await orderService(app, owner, { start: soon() }, { description: '这里有测试待审词，请帮忙' });
    const id = res.json().id;
    const cases = (await get(staff, '/api/moderation/cases?limit=50')).json().items;
    const found = cases.find((c: { itemId: string }) => c.itemId === id);
    expect(found).toMatchObject({
      kind: 'order',
      reason: 'text-review',
      text: { description: '这里有测试待审词，请帮忙' },
      itemState: 'review',
    });
    expect((await get(owner, `/api/volunteer-orders/${id}`)).statusCode).toBe(200);
    const refused = await orderMove(app, grid, id, 'dispatch', { volunteerId: me.userId });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'ORDER_UNDER_REVIEW']);
    expect((await orderMove(app, grid, id, 'publish')).json().code).toBe('ORDER_UNDER_REVIEW');
    const decided = await app.inject({
      method: 'POST',
      url: `/api/moderation/cases/${found.id}/approve`,
      headers: staff.headers,
    });
    expect(decided.json()).toMatchObject({ status: 'closed', itemState: 'visible' });
    expect((await orderMove(app, grid, id, 'dispatch', { volunteerId: me.userId })).json().state).toBe('dispatched');
    expect((await get(volunteer, `/api/volunteer-orders/${id}`)).statusCode).toBe(200);
  });

  test('who cannot see an order cannot flag it; an order staff hid is gone for its volunteer', async () => {
    const me = (await get(volunteer, '/api/volunteers/me')).json();
    const id = (await orderService(app, owner, { start: soon() })).json().id;
    await orderMove(app, grid, id, 'dispatch', { volunteerId: me.userId });
    const flag = (who: LoggedIn) =>
      app.inject({
        method: 'POST',
        url: '/api/flags',
        headers: who.headers,
        payload: { kind: 'order', id, reason: '内容不当' },
      });
    expect((await flag(handyman)).statusCode).toBe(404);
    expect((await flag(volunteer)).json()).toMatchObject({ flags: 1, hidden: false });
    await app.models.VolunteerOrder.updateOne(
      { _id: id, communityId: community },
      { $set: { 'moderation.state': 'hidden' } },
    );
    expect((await get(volunteer, `/api/volunteer-orders/${id}`)).statusCode).toBe(404);
    const tasks = (await get(volunteer, '/api/volunteer-orders?view=tasks')).json().items;
    expect(tasks.map((o: { id: string }) => o.id)).not.toContain(id);
    expect((await get(grid, `/api/volunteer-orders/${id}`)).statusCode).toBe(200);
  });
});

describe('photos on an order', () => {
  test('a photo is seen by those who see the order: a neighbour gets 404, the volunteer once it is theirs', async () => {
    const body = multipart(await cameraJpeg());
    const uploaded = await app.inject({
      method: 'POST',
      url: '/api/media',
      headers: { ...owner.headers, 'content-type': body.contentType, 'idempotency-key': `order-photo-${Date.now()}` },
      payload: body.payload,
    });
    const photo = uploaded.json().id;
    const res = await orderService(app, owner, { start: soon() }, { mediaIds: [photo] });
    expect(res.json().media).toMatchObject([{ id: photo }]);
    const again = await orderService(app, owner, { start: soon() }, { mediaIds: [photo] });
    expect([again.statusCode, again.json().code]).toEqual([409, 'MEDIA_ATTACHED']);
    const tooMany = await orderService(app, owner, { start: soon() }, { mediaIds: Array(4).fill(photo) });
    expect(tooMany.statusCode).toBe(400);
    const id = res.json().id;
    const neighbour = await loginDemo(app, 'tenant');
    const photoFor = (who: LoggedIn) => app.inject({ url: `/api/media/${photo}`, headers: who.headers });
    expect((await photoFor(neighbour)).statusCode).toBe(404);
    expect((await photoFor(volunteer)).statusCode).toBe(404);
    const me = (await get(volunteer, '/api/volunteers/me')).json();
    await orderMove(app, grid, id, 'dispatch', { volunteerId: me.userId });
    expect((await photoFor(volunteer)).statusCode).toBe(200);
    expect((await get(volunteer, `/api/volunteer-orders/${id}`)).json().media[0].url).toEqual(expect.any(String));
    expect((await photoFor(neighbour)).statusCode).toBe(404);
  });
});

describe('activities', () => {
  test('sign-ups fill the places, then wait; a cancellation moves the first waiting up; check-in and hours', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/volunteer-activities',
      headers: staff.headers,
      payload: {
        nodeId: community,
        title: '夜间安全巡逻',
        kind: 'patrol',
        description: '沿小区主干道巡逻一圈',
        startAt: new Date(start.getTime() + 24 * HOUR).toISOString(),
        endAt: new Date(start.getTime() + 25.5 * HOUR).toISOString(),
        places: 1,
      },
    });
    expect(created.statusCode).toBe(201);
    const { id, checkInCode } = created.json();
    expect(checkInCode).toMatch(/^\d{6}$/);
    const act = (who: LoggedIn, verb: string, payload: object = {}) =>
      app.inject({ method: 'POST', url: `/api/volunteer-activities/${id}/${verb}`, headers: who.headers, payload });
    const teacher = await loginDemo(app, 'teacher');
    expect((await act(volunteer, 'sign-up')).json()).toMatchObject({
      mine: 'signed_up',
      signedUp: 1,
      checkInCode: null,
    });
    expect((await act(handyman, 'sign-up')).json()).toMatchObject({ mine: 'waiting', waitingPosition: 1 });
    expect((await act(teacher, 'sign-up')).json()).toMatchObject({ mine: 'waiting', waitingPosition: 2 });
    expect((await act(teacher, 'sign-up')).json().code).toBe('ALREADY_SIGNED_UP');
    expect((await act(owner, 'sign-up')).json().code).toBe('NOT_A_VOLUNTEER');

    expect((await act(volunteer, 'cancel')).json()).toMatchObject({ mine: null, signedUp: 1, waiting: 1 });
    expect((await get(handyman, `/api/volunteer-activities/${id}`)).json()).toMatchObject({ mine: 'signed_up' });
    expect((await get(teacher, `/api/volunteer-activities/${id}`)).json()).toMatchObject({ waitingPosition: 1 });
    expect((await get(handyman, '/api/inbox?limit=1')).json().items[0].title).toBe('候补成功，您已获得活动名额');

    expect((await act(handyman, 'check-in', { code: checkInCode === '000000' ? '111111' : '000000' })).statusCode).toBe(
      400,
    );
    expect((await act(handyman, 'check-in', { code: checkInCode })).json().mine).toBe('checked_in');
    expect((await act(teacher, 'check-in', { code: checkInCode })).statusCode).toBe(409);
    expect((await act(handyman, 'complete')).statusCode).toBe(403);
    expect((await act(staff, 'complete')).json().completed).toBe(true);
    expect((await ledgerOf(handyman)).items[0]).toMatchObject({ kind: 'activity', minutes: 90, halfHours: 3 });
  });
});

describe('figures', () => {
  test('per community and month, with a CSV export, for staff and grid workers only', async () => {
    const month = `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}`;
    const res = await get(staff, `/api/volunteer-figures?communityId=${community}&month=${month}`);
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.orders.length).toBeGreaterThan(0);
    expect(f.halfHours).toBeGreaterThan(0);
    expect(f.byVolunteer[0]).toMatchObject({ displayName: expect.any(String) });
    const csv = await get(staff, `/api/volunteer-figures/export?communityId=${community}&month=${month}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('志愿服务统计');
    expect((await get(owner, `/api/volunteer-figures?communityId=${community}&month=${month}`)).statusCode).toBe(403);
  });

  test("per grid: only orders in the grid's buildings (and their hours); grid workers see their grid only", async () => {
    const grids = (await get(staff, `/api/nodes/${community}/grids`)).json();
    const first = grids.find((g: { name: string }) => g.name === '第一网格').id;
    const second = grids.find((g: { name: string }) => g.name === '第二网格').id;
    const teacher = await loginDemo(app, 'teacher');
    // Orders are stamped with the real time: the month they fall in is the real one.
    const placed = (await orderService(app, owner, { start: soon() })).json();
    const month = placed.createdAt.slice(0, 7);
    const figuresOf = (who: LoggedIn, grid?: string) =>
      get(who, `/api/volunteer-figures?communityId=${community}&month=${month}${grid ? `&gridId=${grid}` : ''}`);
    const count = (f: { orders: { count: number }[] }) => f.orders.reduce((n, o) => n + o.count, 0);
    const before = { all: count((await figuresOf(staff)).json()), first: count((await figuresOf(grid, first)).json()) };

    await orderService(app, teacher, { start: soon() }); // 翠竹苑: the second grid
    await orderService(app, owner, { start: soon() }); // 阳光花园1栋: the first grid
    const all = (await figuresOf(staff)).json();
    const mine = (await figuresOf(grid, first)).json();
    expect(count(all)).toBe(before.all + 2);
    expect(count(mine)).toBe(before.first + 1);
    expect(count((await figuresOf(staff, first)).json())).toBe(count(mine));
    // Hours of a grid are those served on its orders: activities and hours imported by hand belong to no grid.
    const theirs = (await figuresOf(staff, second)).json();
    const activityHours = all.byKind.find((k: { kind: string }) => k.kind === 'activity')?.halfHours ?? 0;
    expect(mine.halfHours + theirs.halfHours).toBeLessThanOrEqual(all.halfHours - activityHours);
    expect(mine.byKind.map((k: { kind: string }) => k.kind)).not.toContain('activity');
    expect(count(mine) + count(theirs)).toBe(count(all));
    const csv = await get(
      grid,
      `/api/volunteer-figures/export?communityId=${community}&month=${month}&gridId=${first}`,
    );
    expect(csv.statusCode).toBe(200);

    // The grid worker: not the whole community, not the other grid; a grid of another community is not found.
    expect((await figuresOf(grid)).statusCode).toBe(403);
    expect((await figuresOf(grid, second)).statusCode).toBe(403);
    expect((await figuresOf(owner, first)).statusCode).toBe(403);
    expect((await figuresOf(staff, new Types.ObjectId().toHexString())).statusCode).toBe(404);
  });
});
