import type { FastifyInstance } from 'fastify';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, newcomer } from '../helpers/session';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildDemoApp();
});
afterAll(() => app.close());

const grant = (headers: Record<string, string>, nodeId: string, userId: string, role: string) =>
  app.inject({ method: 'POST', url: `/api/nodes/${nodeId}/roles`, headers, payload: { userId, role } });

test('staff appoint a unit captain, who can then make invite codes for that unit only', async () => {
  const staff = await loginDemo(app, 'staff');
  const person = await newcomer(app);
  const unit = await placeId(app, ['幸福里社区', '翠竹苑', '2栋', '1单元']);
  const res = await grant(staff.headers, unit, person.me.id, 'unit_captain');
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ role: 'unit_captain', user: { id: person.me.id } });

  // Roles are read afresh on every request: the new captain needs no new login.
  const mine = await app.inject({
    method: 'POST',
    url: `/api/nodes/${unit}/invites`,
    headers: person.headers,
    payload: {},
  });
  expect(mine.statusCode).toBe(201);
  const other = await placeId(app, ['幸福里社区', '翠竹苑', '2栋', '2单元']);
  expect(
    (await app.inject({ method: 'POST', url: `/api/nodes/${other}/invites`, headers: person.headers, payload: {} }))
      .statusCode,
  ).toBe(403);

  const listed = await app.inject({ url: `/api/nodes/${unit}/roles`, headers: staff.headers });
  expect(listed.json().map((g: { role: string }) => g.role)).toContain('unit_captain');
  const revoked = await app.inject({
    method: 'DELETE',
    url: `/api/role-grants/${res.json().id}`,
    headers: staff.headers,
  });
  expect(revoked.statusCode).toBe(204);
  // With no role left they are outside the community again: it is not even found.
  expect(
    (await app.inject({ method: 'POST', url: `/api/nodes/${unit}/invites`, headers: person.headers, payload: {} }))
      .statusCode,
  ).toBe(404);
});

test('a role is only granted on the kind of place it belongs to', async () => {
  const staff = await loginDemo(app, 'staff');
  const person = await newcomer(app);
  const estate = await placeId(app, ['幸福里社区', '翠竹苑']);
  const res = await grant(staff.headers, estate, person.me.id, 'building_captain');
  expect([res.statusCode, res.json().code]).toEqual([400, 'ROLE_NOT_GRANTABLE']);
  expect((await grant(staff.headers, estate, person.me.id, 'property_handler')).statusCode).toBe(201);
});

test('residents and captains cannot grant roles', async () => {
  const person = await newcomer(app);
  const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  for (const key of ['owner', 'captain']) {
    const res = await grant((await loginDemo(app, key)).headers, unit, person.me.id, 'unit_captain');
    expect(res.statusCode).toBe(403);
  }
});

test("a grid worker's reach is the grid's buildings", async () => {
  const staff = await loginDemo(app, 'staff');
  const community = await placeId(app, ['幸福里社区']);
  const grids = (await app.inject({ url: `/api/nodes/${community}/grids`, headers: staff.headers })).json();
  const second = grids.find((g: { name: string }) => g.name === '第二网格');
  const person = await newcomer(app);
  const added = await app.inject({
    method: 'POST',
    url: `/api/grids/${second.id}/workers`,
    headers: staff.headers,
    payload: { userId: person.me.id },
  });
  expect(added.statusCode).toBe(201);

  const inGrid = await placeId(app, ['幸福里社区', '翠竹苑', '1栋', '1单元']);
  const outside = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  expect((await app.inject({ url: `/api/nodes/${inGrid}/households`, headers: person.headers })).statusCode).toBe(200);
  // Outside the grid the worker is still a member of the community: the rooms, but not who lives there.
  const outsideRooms = await app.inject({ url: `/api/nodes/${outside}/households`, headers: person.headers });
  expect(outsideRooms.statusCode).toBe(200);
  expect(outsideRooms.json().flatMap((h: { members: unknown[] }) => h.members)).toEqual([]);
  const inGridRooms = await app.inject({ url: `/api/nodes/${inGrid}/households`, headers: person.headers });
  expect(inGridRooms.json().flatMap((h: { members: unknown[] }) => h.members).length).toBeGreaterThan(0);
  const me = (await app.inject({ url: '/api/me', headers: person.headers })).json();
  expect(me.roles).toEqual([expect.objectContaining({ role: 'grid_worker', gridName: '第二网格' })]);
});

test('nobody grants or revokes a role ranked above their own: community staff cannot make anyone admin', async () => {
  const staff = await loginDemo(app, 'staff');
  const street = await loginDemo(app, 'street');
  const person = await newcomer(app);
  const community = await placeId(app, ['幸福里社区']);
  for (const who of [staff.me.id, person.me.id]) {
    const refused = await grant(staff.headers, community, who, 'admin');
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'ROLE_ABOVE_RANK']);
  }
  expect(await app.models.RoleGrant.countDocuments({ role: 'admin', nodeId: community })).toBe(0);

  // Street staff may; then community staff may not take it back.
  const made = await grant(street.headers, community, person.me.id, 'admin');
  expect(made.statusCode).toBe(201);
  const revoke = (headers: Record<string, string>) =>
    app.inject({ method: 'DELETE', url: `/api/role-grants/${made.json().id}`, headers });
  const refused = await revoke(staff.headers);
  expect([refused.statusCode, refused.json().code]).toEqual([403, 'ROLE_ABOVE_RANK']);
  expect((await revoke(street.headers)).statusCode).toBe(204);

  // Their own rank and below stays theirs to hand out.
  expect((await grant(staff.headers, community, person.me.id, 'community_staff')).statusCode).toBe(201);
});
