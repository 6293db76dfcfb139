import type { FastifyInstance } from 'fastify';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';
import { createWechatClient, WechatApiError } from '../../server/wechat/client';
import { testWechatBase, testWechatCredentials } from '../helpers/wechat';

let app: FastifyInstance;
let captain: LoggedIn;
let unit11: string;
let unit21: string;

beforeAll(async () => {
  app = await buildDemoApp();
  captain = await loginDemo(app, 'captain');
  unit11 = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  unit21 = await placeId(app, ['幸福里社区', '阳光花园', '2栋', '1单元']);
});
afterAll(() => app.close());

async function invite(unitId: string, by = captain, ttlHours?: number): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/nodes/${unitId}/invites`,
    headers: by.headers,
    payload: { ttlHours },
  });
  expect(res.statusCode).toBe(201);
  return res.json().code;
}

const apply = (who: LoggedIn, body: object) =>
  app.inject({ method: 'POST', url: '/api/join-requests', headers: who.headers, payload: body });
const decide = (who: LoggedIn, id: string, action: 'approve' | 'reject', reason?: string) =>
  app.inject({
    method: 'POST',
    url: `/api/join-requests/${id}/${action}`,
    headers: who.headers,
    ...(reason ? { payload: { reason } } : {}),
  });

describe('joining a household', () => {
  test('invite → apply → captain approves → the newcomer is a resident of that household with its registered area', async () => {
    const code = await invite(unit11);
    const person = await newcomer(app);
    const preview = await app.inject({ url: `/api/invites/${code.toLowerCase()}`, headers: person.headers });
    expect(preview.json().unit.path).toEqual(['幸福里社区', '阳光花园', '1栋', '1单元']);
    expect(preview.json().rooms).toContainEqual({ room: '402', floor: 4 });

    const applied = await apply(person, { code, room: '402', relation: 'owner', note: '刚买的房' });
    expect(applied.statusCode).toBe(201);
    expect((await app.inject({ url: '/api/me', headers: person.headers })).json().pendingJoinRequests).toBe(1);

    const queue = await app.inject({ url: '/api/join-requests?view=review&status=pending', headers: captain.headers });
    const mine = queue.json().find((r: { id: string }) => r.id === applied.json().id);
    expect(mine).toMatchObject({ room: '402', relation: 'owner', note: '刚买的房' });
    expect(mine.applicant.displayName).toMatch(/^邻\*+$/);

    expect((await decide(captain, applied.json().id, 'approve')).json().status).toBe('approved');
    const me = (await app.inject({ url: '/api/me', headers: person.headers })).json();
    const household = await app.models.Household.findOne({
      communityId: { $exists: true },
      unitId: unit11,
      room: '402',
    }).lean();
    expect(me.households).toEqual([
      expect.objectContaining({ room: '402', relation: 'owner', areaHundredths: household!.areaHundredths }),
    ]);
    expect(me.roles).toEqual([
      expect.objectContaining({ role: 'resident', node: expect.objectContaining({ id: unit11 }) }),
    ]);
    expect(me.pendingJoinRequests).toBe(0);
  });

  test("the applicant's note is checked like any text: risky is refused and nothing is filed; blank is dropped", async () => {
    const code = await invite(unit11);
    const person = await newcomer(app);
    const risky = await apply(person, { code, room: '402', relation: 'tenant', note: '出售违禁品' });
    expect([risky.statusCode, risky.json().code]).toEqual([422, 'CONTENT_RISKY']);
    const mine = await app.inject({ url: '/api/join-requests?view=mine', headers: person.headers });
    expect(mine.json()).toEqual([]);

    const blank = await apply(person, { code, room: '402', relation: 'tenant', note: '   ' });
    expect(blank.statusCode).toBe(201);
    expect(blank.json()).not.toHaveProperty('note');
    const tooLong = await apply(await newcomer(app), { code, room: '402', relation: 'tenant', note: '长'.repeat(101) });
    expect(tooLong.statusCode).toBe(400);
  });

  test('the area always comes from the register: the applicant cannot send one', async () => {
    const person = await newcomer(app);
    const code = await invite(unit11);
    const sent = await apply(person, { code, room: '501', relation: 'owner', areaHundredths: 1 });
    expect([sent.statusCode, sent.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const res = await apply(person, { code, room: '501', relation: 'owner' });
    expect(res.statusCode).toBe(201);
    await decide(captain, res.json().id, 'approve');
    const me = (await app.inject({ url: '/api/me', headers: person.headers })).json();
    expect(me.households[0].areaHundredths).toBeGreaterThan(7000);
  });

  test('applying twice (a retry after a dropped network) files one request', async () => {
    const person = await newcomer(app);
    const code = await invite(unit11);
    const first = await apply(person, { code, room: '601', relation: 'tenant' });
    const second = await apply(person, { code, room: '601', relation: 'tenant' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().id).toBe(first.json().id);
    const mine = (await app.inject({ url: '/api/join-requests?view=mine', headers: person.headers })).json();
    expect(mine).toHaveLength(1);
  });

  test('a rejection carries its reason to the applicant', async () => {
    const person = await newcomer(app);
    const res = await apply(person, { code: await invite(unit11), room: '602', relation: 'family' });
    await decide(captain, res.json().id, 'reject', '房号与登记不符');
    const mine = (await app.inject({ url: '/api/join-requests?view=mine', headers: person.headers })).json();
    expect(mine[0]).toMatchObject({ status: 'rejected', reason: '房号与登记不符' });
  });

  test('an applicant may withdraw a pending request', async () => {
    const person = await newcomer(app);
    const res = await apply(person, { code: await invite(unit11), room: '102', relation: 'tenant' });
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/join-requests/${res.json().id}/cancel`,
      headers: person.headers,
    });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await decide(captain, res.json().id, 'approve')).json().code).toBe('JOIN_REQUEST_DECIDED');
  });

  test('two reviewers approving at once: one wins, the other is told it was decided', async () => {
    const person = await newcomer(app);
    const res = await apply(person, { code: await invite(unit11), room: '202', relation: 'family' });
    const staff = await loginDemo(app, 'staff');
    const results = await Promise.all([
      decide(captain, res.json().id, 'approve'),
      decide(staff, res.json().id, 'approve'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const household = await app.models.Household.findOne({
      communityId: { $exists: true },
      unitId: unit11,
      room: '202',
    }).lean();
    expect(household!.members.filter((m) => m.userId.equals(person.me.id))).toHaveLength(1);
  });

  test.each([
    ['an unknown code', async () => 'ZZZZZZZZ', '101', 404, 'INVITE_INVALID'],
    [
      'a revoked code',
      async () => {
        const code = await invite(unit11);
        await app.inject({ method: 'DELETE', url: `/api/invites/${code}`, headers: captain.headers });
        return code;
      },
      '101',
      404,
      'INVITE_INVALID',
    ],
    ['a room not in the unit', async () => invite(unit11), '999', 404, 'ROOM_NOT_FOUND'],
  ])('%s is refused with a clear code', async (_name, code, room, status, errorCode) => {
    const res = await apply(await newcomer(app), { code: await code(), room, relation: 'tenant' });
    expect([res.statusCode, res.json().code]).toEqual([status, errorCode]);
  });

  test('an expired code no longer works', async () => {
    const code = await invite(unit11, captain, 1);
    await app.models.Invite.updateOne(
      { communityId: { $exists: true }, code },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expect((await apply(await newcomer(app), { code, room: '101', relation: 'tenant' })).json().code).toBe(
      'INVITE_INVALID',
    );
  });

  test('a member of a household cannot apply to it again', async () => {
    const owner = await loginDemo(app, 'owner');
    const res = await apply(owner, { code: await invite(unit11), room: '302', relation: 'owner' });
    expect([res.statusCode, res.json().code]).toEqual([409, 'ALREADY_MEMBER']);
  });
});

describe('who may review', () => {
  let requestIn21: string;
  beforeAll(async () => {
    const staff = await loginDemo(app, 'staff');
    const res = await apply(await newcomer(app), {
      code: await invite(unit21, staff),
      room: '301',
      relation: 'tenant',
    });
    requestIn21 = res.json().id;
  });

  test('a resident cannot approve', async () => {
    expect((await decide(await loginDemo(app, 'owner'), requestIn21, 'approve')).statusCode).toBe(403);
  });

  test('the building captain of 1栋 cannot act on 2栋, and does not see its requests', async () => {
    expect((await decide(captain, requestIn21, 'approve')).statusCode).toBe(403);
    const queue = (await app.inject({ url: '/api/join-requests?view=review', headers: captain.headers })).json();
    expect(queue.map((r: { id: string }) => r.id)).not.toContain(requestIn21);
    const invites = await app.inject({
      method: 'POST',
      url: `/api/nodes/${unit21}/invites`,
      headers: captain.headers,
      payload: {},
    });
    expect(invites.statusCode).toBe(403);
  });

  test('the unit captain of 1栋2单元 reviews only their unit', async () => {
    const unitcap = await loginDemo(app, 'unitcap');
    expect((await decide(unitcap, requestIn21, 'approve')).statusCode).toBe(403);
  });

  test('community staff may decide anywhere in their community', async () => {
    const res = await decide(await loginDemo(app, 'staff'), requestIn21, 'reject', '请先联系物业核实');
    expect(res.json().status).toBe('rejected');
  });
});

describe('the invite as a mini-program code', () => {
  const wxacode = (who: LoggedIn, code: string) =>
    app.inject({ url: `/api/invites/${code}/wxacode`, headers: who.headers });

  test('the captain gets a WeChat code that opens the join page with the invite as its scene', async () => {
    const code = await invite(unit11);
    const res = await wxacode(captain, code.toLowerCase());
    expect(res.statusCode).toBe(200);
    const { contentType, data } = res.json<{ contentType: string; data: string }>();
    expect(contentType).toBe('image/jpeg');
    const image = Buffer.from(data, 'base64');
    expect(image.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const made = (await (await fetch(`${testWechatBase()}/linli-dev/codes`)).json()) as object[];
    expect(made).toContainEqual({ scene: code, page: 'packages/community/join/index', envVersion: 'release' });
  });

  test("residents, other units' captains and revoked codes get none", async () => {
    const code = await invite(unit11);
    expect((await wxacode(await loginDemo(app, 'owner'), code)).statusCode).toBe(403);
    const otherCode = await invite(unit21, await loginDemo(app, 'staff'));
    expect((await wxacode(await loginDemo(app, 'unitcap'), otherCode)).statusCode).toBe(403);
    await app.inject({ method: 'DELETE', url: `/api/invites/${code}`, headers: captain.headers });
    expect((await wxacode(captain, code)).json().code).toBe('INVITE_INVALID');
  });

  test('WeChat refusing is a 503 the page can explain; the invite code itself still works', async () => {
    const code = await invite(unit11);
    const refuse = jest
      .spyOn(app.wechat, 'unlimitedQrCode')
      .mockRejectedValueOnce(new WechatApiError(45009, 'reach max api daily quota limit', 'getwxacodeunlimit'));
    try {
      const res = await wxacode(captain, code);
      expect([res.statusCode, res.json().code]).toEqual([503, 'WECHAT_UNAVAILABLE']);
      expect(res.body).not.toContain('45009');
    } finally {
      refuse.mockRestore();
    }
    expect((await app.inject({ url: `/api/invites/${code}`, headers: captain.headers })).statusCode).toBe(200);
  });

  test("the stand-in answers WeChat's errors for a bad scene or page", async () => {
    const client = createWechatClient({ baseUrl: testWechatBase(), ...testWechatCredentials });
    await expect(client.unlimitedQrCode({ scene: 'X'.repeat(33), page: 'pages/index/index' })).rejects.toMatchObject({
      errcode: 40169,
    });
    await expect(client.unlimitedQrCode({ scene: '邀请', page: 'pages/index/index' })).rejects.toMatchObject({
      errcode: 40129,
    });
    await expect(client.unlimitedQrCode({ scene: 'ABC', page: '/pages/index/index' })).rejects.toMatchObject({
      errcode: 41030,
    });
  });
});
