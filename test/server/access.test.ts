import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import type { Actor } from '../../server/modules/roles/access';
import { buildDemoApp, place } from '../helpers/demo';

/**
 * The permissions module on its own (server/modules/roles/access.ts): whom an actor's grants reach, and which
 * places they may even find. The route suites reach it through every request; these pin down its branches.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildDemoApp();
});
afterAll(() => app.close());

async function actorOf(key: string): Promise<Actor> {
  const user = await app.models.User.findOne({ openid: `demo-${key}` }).lean();
  return app.access.loadActor(user!, 'session-for-test');
}
const street = () => app.models.Node.findOne({ kind: 'street' }).setOptions(CROSS_COMMUNITY).lean();
const ids = (values: { toString(): string }[]) => values.map(String).sort();

test('a street-level role reaches every community under the street; a community role its own only', async () => {
  const [happy, other] = await Promise.all([place(app, ['幸福里社区']), place(app, ['和美社区'])]);
  expect(ids((await actorOf('street')).scope.communityIds)).toEqual(ids([happy._id, other._id]));
  expect(ids((await actorOf('staff')).scope.communityIds)).toEqual(ids([happy._id]));
  expect((await actorOf('newcomer')).scope.communityIds).toEqual([]);
});

test("a grid worker's grant counts on each building of the grid, and nowhere else", async () => {
  const actor = await actorOf('grid');
  const buildings = await Promise.all(['1栋', '2栋', '3栋'].map((b) => place(app, ['幸福里社区', '阳光花园', b])));
  expect(actor.effective).toEqual(
    expect.arrayContaining(buildings.map((b) => ({ role: 'grid_worker', nodeId: String(b._id) }))),
  );
  expect(actor.effective).toHaveLength(3);
  // Someone without a grid grant gets exactly their grants.
  const captain = await actorOf('captain');
  const [building, unit] = await Promise.all([
    place(app, ['幸福里社区', '阳光花园', '1栋']),
    place(app, ['幸福里社区', '阳光花园', '1栋', '1单元']),
  ]);
  expect(captain.effective).toEqual([
    { role: 'building_captain', nodeId: String(building._id) },
    { role: 'resident', nodeId: String(unit._id) },
  ]);
});

test('the street node is found by those with a role on it only; a malformed id is not found', async () => {
  const node = (await street())!;
  expect((await app.access.findNode(await actorOf('street'), node._id)).kind).toBe('street');
  await expect(app.access.findNode(await actorOf('staff'), node._id)).rejects.toMatchObject({ statusCode: 404 });
  await expect(app.access.findNode(await actorOf('street'), 'not-an-id')).rejects.toMatchObject({
    statusCode: 404,
    message: 'No such place',
  });
});

test('authorize: 403 naming the action inside the community, 404 outside it', async () => {
  const captain = await actorOf('captain');
  const unit = await place(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  await expect(app.access.authorize(captain, 'invite.manage', unit._id)).resolves.toMatchObject({ _id: unit._id });
  await expect(app.access.authorize(captain, 'role.grant', unit._id)).rejects.toMatchObject({
    statusCode: 403,
    message: 'Your roles do not allow role.grant here',
  });
  const elsewhere = await place(app, ['和美社区', '和美家园']);
  await expect(app.access.authorize(captain, 'invite.manage', elsewhere._id)).rejects.toMatchObject({
    statusCode: 404,
  });
});
