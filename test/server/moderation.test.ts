import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { seedDemo } from '../../server/modules/demo/seed';
import { buildTestApp } from '../helpers/app';
import { buildDemoApp, place, placeId } from '../helpers/demo';
import { cameraJpeg, multipart } from '../helpers/images';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

let app: FastifyInstance;
let captain: LoggedIn;
let staff: LoggedIn;
let building: string;

beforeAll(async () => {
  app = await buildDemoApp();
  [captain, staff] = await Promise.all([loginDemo(app, 'captain'), loginDemo(app, 'staff')]);
  building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
});
afterAll(() => app.close());

const post = (who: LoggedIn, title: string, body: string, target = app, channel = building) =>
  target.inject({
    method: 'POST',
    url: `/api/channels/${channel}/notices`,
    headers: who.headers,
    payload: { title, body },
  });
const seenBy = async (who: LoggedIn, id: string) =>
  (await app.inject({ url: `/api/channels/${building}/notices`, headers: who.headers }))
    .json()
    .items.find((n: { id: string }) => n.id === id);
interface Case {
  id: string;
  itemId: string;
  reason: string;
  status: string;
  flags: unknown[];
}
interface CasePage {
  items: Case[];
  nextCursor: string | null;
  total: number;
}
const casePage = async (query: string) =>
  (await app.inject({ url: `/api/moderation/cases?${query}`, headers: staff.headers })).json<CasePage>();
/** The whole open queue, page by page. */
async function queue(): Promise<Case[]> {
  const all: Case[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: CasePage = await casePage(`limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  }
  return all;
}
const decide = (caseId: string, action: string, payload?: object) =>
  app.inject({
    method: 'POST',
    url: `/api/moderation/cases/${caseId}/${action}`,
    headers: staff.headers,
    ...(payload ? { payload } : {}),
  });

describe('text checks before anyone else sees it', () => {
  test('risky text is refused with a clear message and nothing is stored', async () => {
    const before = await app.models.Notice.countDocuments({}).setOptions(CROSS_COMMUNITY);
    const res = await post(captain, '出售违禁品', '联系我');
    expect([res.statusCode, res.json().code]).toEqual([422, 'CONTENT_RISKY']);
    expect(await app.models.Notice.countDocuments({}).setOptions(CROSS_COMMUNITY)).toBe(before);
  });

  test('text WeChat wants reviewed is published to its author and staff only, until staff approve', async () => {
    const res = await post(captain, '周末活动', '这里有测试待审词，请审核');
    expect(res.json().moderation).toBe('review');
    const owner = await loginDemo(app, 'owner');
    expect(await seenBy(owner, res.json().id)).toBeUndefined();
    expect(await seenBy(captain, res.json().id)).toMatchObject({ moderation: 'review' });
    const found = (await queue()).find((c) => c.itemId === res.json().id)!;
    expect(found.reason).toBe('text-review');
    expect((await decide(found.id, 'approve')).json()).toMatchObject({
      status: 'closed',
      decision: 'approve',
      itemState: 'visible',
    });
    expect(await seenBy(owner, res.json().id)).toMatchObject({ moderation: 'visible' });
    const told = (await app.inject({ url: '/api/inbox', headers: captain.headers })).json().items[0];
    expect(told).toMatchObject({
      kind: 'moderation.decided',
      title: '内容审核结果',
      body: '您发布的「周末活动」已通过审核',
    });
  });

  test('a nickname must pass outright', async () => {
    const person = await newcomer(app);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: person.headers,
      payload: { displayName: '测试违规词' },
    });
    expect([res.statusCode, res.json().code]).toEqual([422, 'CONTENT_RISKY']);
  });

  describe('when WeChat cannot be reached', () => {
    let offline: FastifyInstance;
    let offlineCaptain: LoggedIn;
    let offlineBuilding: string;
    beforeAll(async () => {
      offline = await buildTestApp({ wechat: { baseUrl: 'http://127.0.0.1:9', standin: false } });
      await seedDemo(offline.db.connection, offline.models);
      // Logging in needs WeChat too: issue the token the way login would.
      const user = await offline.models.User.findOne({ openid: 'demo-captain' }).lean();
      const session = await offline.models.Session.create({ userId: user!._id });
      const token = offline.jwt.sign({ sub: String(user!._id), sid: String(session._id) });
      offlineCaptain = { headers: { authorization: `Bearer ${token}` } } as LoggedIn;
      offlineBuilding = await placeId(offline, ['幸福里社区', '阳光花园', '1栋']);
    });
    afterAll(() => offline.close());

    test('the local list refuses the obvious, and everything else waits for staff (fail closed)', async () => {
      const risky = await post(offlineCaptain, '赌博广告', '快来', offline, offlineBuilding);
      expect(risky.json().code).toBe('CONTENT_RISKY');
      const ordinary = await post(offlineCaptain, '停水通知', '明天停水', offline, offlineBuilding);
      expect(ordinary.json().moderation).toBe('review');
      const cases = await offline.models.ModerationCase.find({ itemId: ordinary.json().id })
        .setOptions(CROSS_COMMUNITY)
        .lean();
      expect(cases.map((c) => c.reason)).toEqual(['check-unavailable']);
    });
  });
});

describe('flags', () => {
  test('three distinct residents hide an item until staff decide; staff can publish it again', async () => {
    const notice = (await post(captain, '楼道通知', '请勿堆放杂物')).json();
    // Newcomers are outside the community: they cannot even find the item to flag it.
    const stranger = await newcomer(app);
    const outsider = await app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: stranger.headers,
      payload: { kind: 'notice', id: notice.id, reason: '不实信息' },
    });
    expect(outsider.statusCode).toBe(404);
    const residents = [await loginDemo(app, 'owner'), await loginDemo(app, 'unitcap'), await loginDemo(app, 'grid')];
    const results = [];
    for (const who of residents) {
      results.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/flags',
            headers: who.headers,
            payload: { kind: 'notice', id: notice.id, reason: '内容不当' },
          })
        ).json(),
      );
    }
    expect(results).toEqual([
      { flags: 1, hidden: false },
      { flags: 2, hidden: false },
      { flags: 3, hidden: true },
    ]);
    expect(await seenBy(residents[0]!, notice.id)).toBeUndefined();
    const found = (await queue()).find((c) => c.itemId === notice.id)!;
    expect(found).toMatchObject({ reason: 'flags', flags: [expect.anything(), expect.anything(), expect.anything()] });
    await decide(found.id, 'approve');
    expect(await seenBy(residents[0]!, notice.id)).toMatchObject({ moderation: 'visible' });
  });

  test('one person flags once, and never their own post', async () => {
    const notice = (await post(captain, '再次通知', '内容内容')).json();
    const owner = await loginDemo(app, 'owner');
    const flag = (who: LoggedIn) =>
      app.inject({
        method: 'POST',
        url: '/api/flags',
        headers: who.headers,
        payload: { kind: 'notice', id: notice.id, reason: '重复' },
      });
    expect((await flag(owner)).statusCode).toBe(200);
    expect((await flag(owner)).json().code).toBe('ALREADY_FLAGGED');
    expect((await flag(captain)).statusCode).toBe(403);
  });
});

describe('staff decisions', () => {
  async function caseFor(title: string, body: string) {
    const notice = (await post(captain, title, `${body} 测试待审词`)).json();
    return { notice, found: (await queue()).find((c) => c.itemId === notice.id)! };
  }

  test('edit replaces the text (redaction) and publishes it; hide removes it from residents', async () => {
    const { notice, found } = await caseFor('电话通知', '有事打13812345678');
    const edited = await decide(found.id, 'edit', { text: { body: '有事请联系楼长' } });
    expect(edited.json()).toMatchObject({ decision: 'edit', text: { body: '有事请联系楼长' } });
    const owner = await loginDemo(app, 'owner');
    expect((await seenBy(owner, notice.id)).body).toBe('有事请联系楼长');
    const other = await caseFor('另一条', '内容');
    await decide(other.found.id, 'hide');
    expect(await seenBy(owner, other.notice.id)).toBeUndefined();
    expect((await decide(other.found.id, 'approve')).json().code).toBe('CASE_CLOSED');
  });

  test('a photo region is blacked out in every served size, and the old image is gone', async () => {
    const body = multipart(await cameraJpeg('#ffffff', 400, 300));
    const media = (
      await app.inject({
        method: 'POST',
        url: '/api/media',
        headers: { ...captain.headers, 'content-type': body.contentType, 'idempotency-key': 'redact-0001' },
        payload: body.payload,
      })
    ).json();
    const notice = (
      await app.inject({
        method: 'POST',
        url: `/api/channels/${building}/notices`,
        headers: captain.headers,
        payload: { title: '有人脸的照片', body: '测试待审词', mediaIds: [media.id] },
      })
    ).json();
    const found = (await queue()).find((c) => c.itemId === notice.id)!;
    const res = await decide(found.id, 'redact-photo', {
      mediaId: media.id,
      rects: [{ x: 0, y: 0, width: 100, height: 100 }],
    });
    expect(res.json().status).toBe('open');
    const url = res.json().media[0].url;
    const { data, info } = await sharp((await app.inject({ url })).rawPayload)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    expect(Math.max(...pixel(50, 50))).toBeLessThan(20);
    expect(Math.min(...pixel(250, 250))).toBeGreaterThan(230);
    expect((await app.inject({ url: media.url })).statusCode).toBe(404);
  });

  test('a banned person cannot post until the ban ends; residents cannot ban', async () => {
    const unitcap = await loginDemo(app, 'unitcap');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/moderation/users/${unitcap.me.id}/ban`,
          headers: captain.headers,
          payload: { days: 3, reason: '多次发布广告' },
        })
      ).statusCode,
    ).toBe(403);
    const ban = await app.inject({
      method: 'POST',
      url: `/api/moderation/users/${unitcap.me.id}/ban`,
      headers: staff.headers,
      payload: { days: 3, reason: '多次发布广告' },
    });
    expect(ban.statusCode).toBe(200);
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '2单元']);
    const res = await post(unitcap, '广告', '内容', app, unit);
    expect([res.statusCode, res.json().code]).toEqual([403, 'USER_BANNED']);
  });

  test('staff see who is banned and may lift a ban early; both are events of the person', async () => {
    const volunteer = await loginDemo(app, 'volunteer');
    const url = `/api/moderation/users/${volunteer.me.id}/ban`;
    const bans = async (who = staff) => app.inject({ url: '/api/moderation/bans', headers: who.headers });
    await app.inject({ method: 'POST', url, headers: staff.headers, payload: { days: 7, reason: '刷屏广告' } });
    const listed = (await bans()).json().find((b: { userId: string }) => b.userId === volunteer.me.id);
    expect(listed).toMatchObject({ reason: '刷屏广告', displayName: expect.stringMatching(/\*/) });
    expect(listed.displayName).not.toBe(volunteer.me.displayName);
    expect((await bans(captain)).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url, headers: captain.headers })).statusCode).toBe(403);

    expect((await app.inject({ method: 'DELETE', url, headers: staff.headers })).statusCode).toBe(204);
    expect((await bans()).json().map((b: { userId: string }) => b.userId)).not.toContain(volunteer.me.id);
    // Lifting again changes nothing and records nothing.
    expect((await app.inject({ method: 'DELETE', url, headers: staff.headers })).statusCode).toBe(204);
    const events = await app.models.Event.find({ itemKind: 'user', itemId: volunteer.me.id })
      .setOptions(CROSS_COMMUNITY)
      .sort({ at: 1, _id: 1 })
      .lean();
    expect(events.map((e) => [e.action, e.note ?? null])).toEqual([
      ['ban', '刷屏广告'],
      ['ban-lifted', null],
    ]);
  });

  test('bans reach down only: community staff cannot ban their peers or the street-level staff and admin', async () => {
    const ban = (who: LoggedIn, userId: string) =>
      app.inject({
        method: 'POST',
        url: `/api/moderation/users/${userId}/ban`,
        headers: who.headers,
        payload: { days: 3, reason: '越权禁言' },
      });
    const peer = await newcomer(app);
    const street = await loginDemo(app, 'street');
    const community = await placeId(app, ['幸福里社区']);
    const granted = await app.inject({
      method: 'POST',
      url: `/api/nodes/${community}/roles`,
      headers: street.headers,
      payload: { userId: peer.me.id, role: 'community_staff' },
    });
    expect(granted.statusCode).toBe(201);
    for (const key of ['admin', 'street']) {
      const refused = await ban(staff, (await loginDemo(app, key)).me.id);
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'ROLE_ABOVE_RANK']);
    }
    const refused = await ban(staff, peer.me.id);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'ROLE_ABOVE_RANK']);
    expect(await app.models.User.countDocuments({ _id: peer.me.id, 'bans.0': { $exists: true } })).toBe(0);
    // From above it works.
    expect((await ban(street, peer.me.id)).statusCode).toBe(200);
    expect((await ban(street, peer.me.id)).statusCode).toBe(200);
    const { bans } = (await app.models.User.findById(peer.me.id, { bans: 1 }).lean())!;
    expect(bans).toEqual([expect.objectContaining({ reason: '越权禁言' })]);
  });

  test('a ban holds in its community only: banned in one, one posts on in another', async () => {
    const street = await loginDemo(app, 'street');
    const person = await newcomer(app);
    const here = await placeId(app, ['幸福里社区', '翠竹苑', '2栋', '2单元']);
    const there = (await app.models.Node.findOne({ name: '1单元', ancestors: (await place(app, ['和美社区']))._id })
      .setOptions(CROSS_COMMUNITY)
      .lean())!._id.toString();
    for (const unit of [here, there]) {
      const granted = await app.inject({
        method: 'POST',
        url: `/api/nodes/${unit}/roles`,
        headers: street.headers,
        payload: { userId: person.me.id, role: 'unit_captain' },
      });
      expect(granted.statusCode).toBe(201);
    }
    const banned = await app.inject({
      method: 'POST',
      url: `/api/moderation/users/${person.me.id}/ban`,
      headers: staff.headers,
      payload: { days: 3, reason: '广告' },
    });
    expect(banned.statusCode).toBe(200);
    const refused = await post(person, '通知', '内容', app, here);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'USER_BANNED']);
    expect((await post(person, '通知', '内容', app, there)).statusCode).toBe(201);
    // The street's staff moderate both communities: they see the ban, and lifting it lets the person post again.
    const seen = await app.inject({ url: '/api/moderation/bans', headers: street.headers });
    expect(seen.json().map((b: { userId: string }) => b.userId)).toContain(person.me.id);
    const url = `/api/moderation/users/${person.me.id}/ban`;
    expect((await app.inject({ method: 'DELETE', url, headers: street.headers })).statusCode).toBe(204);
    expect((await post(person, '通知', '内容', app, here)).statusCode).toBe(201);
  });

  test('only staff see the queue', async () => {
    expect((await app.inject({ url: '/api/moderation/cases', headers: captain.headers })).statusCode).toBe(403);
  });
});

describe('the queue', () => {
  test('pages open cases oldest first and closed ones newest first, with the totals; one case reads alone', async () => {
    const ids: string[] = [];
    for (const title of ['待审一', '待审二', '待审三']) ids.push((await post(captain, title, '测试待审词')).json().id);
    const all = await queue();
    const mine = all.filter((c) => ids.includes(c.itemId));
    expect(mine.map((c) => c.itemId)).toEqual(ids);

    // Two at a time: the pages follow on without gaps or repeats, and every page tells the total.
    const first = await casePage('status=open&limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(all.length);
    const walked = [...first.items];
    for (let cursor = first.nextCursor; cursor !== null;) {
      const page = await casePage(`status=open&limit=2&cursor=${cursor}`);
      walked.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(walked.map((c) => c.id)).toEqual(all.map((c) => c.id));

    const single = await app.inject({ url: `/api/moderation/cases/${mine[1]!.id}`, headers: staff.headers });
    expect(single.json()).toMatchObject({ id: mine[1]!.id, itemId: ids[1], status: 'open' });
    expect(
      (await app.inject({ url: `/api/moderation/cases/${mine[1]!.id}`, headers: captain.headers })).statusCode,
    ).toBe(403);

    for (const c of mine) await decide(c.id, 'approve');
    const closed = await casePage('status=closed&limit=2');
    expect(closed.items.map((c) => c.itemId)).toEqual([ids[2], ids[1]]);
    expect(closed.items.every((c) => c.status === 'closed')).toBe(true);
    expect((await casePage('status=open')).total).toBe(all.length - 3);
    expect(
      (await app.inject({ url: '/api/moderation/cases?cursor=garbage', headers: staff.headers })).json(),
    ).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });
});
