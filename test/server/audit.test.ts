import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

let app: FastifyInstance;
let captain: LoggedIn;
let staff: LoggedIn;
let notice: { id: string };

beforeAll(async () => {
  app = await buildDemoApp();
  [captain, staff] = await Promise.all([loginDemo(app, 'captain'), loginDemo(app, 'staff')]);
  const building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
  notice = (
    await app.inject({
      method: 'POST',
      url: `/api/channels/${building}/notices`,
      headers: captain.headers,
      payload: { title: '需审核的通知', body: '测试待审词' },
    })
  ).json();
  const found = (await app.inject({ url: '/api/moderation/cases', headers: staff.headers }))
    .json()
    .items.find((c: { itemId: string }) => c.itemId === notice.id);
  await app.inject({ method: 'POST', url: `/api/moderation/cases/${found.id}/approve`, headers: staff.headers });
});
afterAll(() => app.close());

test("an item's timeline lists each state change with who, in what role, and when", async () => {
  const res = await app.inject({
    url: `/api/notices/${notice.id}/timeline`,
    headers: (await loginDemo(app, 'owner')).headers,
  });
  expect(res.statusCode).toBe(200);
  expect(
    res
      .json()
      .map((e: { action: string; from: string | null; to: string; actor: string; actorRole: string }) => [
        e.action,
        e.from,
        e.to,
        e.actor,
        e.actorRole,
      ]),
  ).toEqual([
    ['posted', null, 'review', '张**', 'building_captain'],
    ['moderation:approve', 'review', 'visible', '李**', 'community_staff'],
  ]);
});

test('staff export it as CSV that Excel opens; residents may not', async () => {
  const res = await app.inject({ url: `/api/notices/${notice.id}/timeline/export`, headers: staff.headers });
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.body.startsWith('\uFEFF时间,动作,原状态,新状态,操作人,角色,备注\n')).toBe(true);
  expect(res.body).toContain(',posted,,review,张**,building_captain,');
  const owner = await loginDemo(app, 'owner');
  expect(
    (await app.inject({ url: `/api/notices/${notice.id}/timeline/export`, headers: owner.headers })).statusCode,
  ).toBe(403);
});

test('events cannot be edited or deleted', async () => {
  const event = await app.models.Event.findOne({ itemId: notice.id }).setOptions(CROSS_COMMUNITY).lean();
  await expect(
    app.models.Event.updateOne({ _id: event!._id, communityId: event!.communityId }, { $set: { note: 'rewritten' } }),
  ).rejects.toThrow('append-only');
  await expect(app.models.Event.deleteOne({ _id: event!._id, communityId: event!.communityId })).rejects.toThrow(
    'append-only',
  );
});

test('a timeline of something outside the community is not found', async () => {
  const other = await loginDemo(app, 'other');
  expect((await app.inject({ url: `/api/notices/${notice.id}/timeline`, headers: other.headers })).statusCode).toBe(
    404,
  );
});
