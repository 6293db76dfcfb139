import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

/** The 管理 console's own endpoints: import preview, new categories, grant candidates, the street's comparison. */
let app: FastifyInstance;
let staff: LoggedIn;
let community: string;

beforeAll(async () => {
  app = await buildDemoApp();
  staff = await loginDemo(app, 'staff');
  community = await placeId(app, ['幸福里社区']);
}, 30_000);
afterAll(() => app.close());

const csv = (body: string) => `小区,楼栋,单元,房号,楼层,面积\n${body}`;

describe('import preview', () => {
  const preview = (payload: string, who = staff, id = community) =>
    app.inject({
      method: 'POST',
      url: `/api/nodes/${id}/import/preview`,
      headers: { ...who.headers, 'content-type': 'text/csv' },
      payload,
    });

  test('lists the rows as they would be imported and each bad row by its line, writing nothing', async () => {
    const before = await app.models.Node.countDocuments({ ancestors: community }).setOptions(CROSS_COMMUNITY);
    const res = await preview(csv('预览苑,1栋,1单元,101,1,80.5\n预览苑,1栋,1单元,102,x,80\n预览苑,2栋,1单元,101,1,70'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rowCount).toBe(3);
    expect(body.validCount).toBe(2);
    expect(body.rows[0]).toMatchObject({ line: 'line 2', estate: '预览苑', room: '101', areaHundredths: 8050 });
    expect(body.problems).toEqual([{ path: 'line 3', message: expect.stringContaining('楼层') }]);
    expect(body.places).toEqual({ estates: 1, buildings: 2, units: 2 });
    expect(await app.models.Node.countDocuments({ ancestors: community }).setOptions(CROSS_COMMUNITY)).toBe(before);
  });

  test('a file without the needed columns is one problem on line 1', async () => {
    const res = await preview('小区,楼栋\n预览苑,1栋');
    expect(res.statusCode).toBe(200);
    expect(res.json().problems).toEqual([{ path: 'line 1', message: expect.stringContaining('表头缺少列') }]);
  });

  test('residents and captains may not preview an import; a unit is not a community', async () => {
    expect((await preview(csv('预览苑,1栋,1单元,101,1,80'), await loginDemo(app, 'captain'))).statusCode).toBe(403);
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    expect((await preview(csv('预览苑,1栋,1单元,101,1,80'), staff, unit)).statusCode).toBe(400);
  });
});

describe('new report categories', () => {
  const body = {
    code: 'pets',
    name: '宠物管理',
    handler: 'property',
    priority: 'high',
    acceptWithinMinutes: 120,
    resolveWithinMinutes: 2880,
    duplicateRadiusMeters: 80,
    privateByDefault: true,
  };
  const create = (payload: object, who = staff) =>
    app.inject({
      method: 'POST',
      url: `/api/communities/${community}/report-categories`,
      headers: who.headers,
      payload,
    });

  test('staff add one; residents see it among the categories, last; the same code again is a conflict', async () => {
    const res = await create(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ...body, icon: 'tag', group: '其他', keywords: [] });
    const owner = await loginDemo(app, 'owner');
    const listed = (await app.inject({ url: '/api/report-categories', headers: owner.headers })).json();
    expect(listed.at(-1)).toMatchObject({ code: 'pets', name: '宠物管理', privateByDefault: true });
    const again = await create({ ...body, name: '宠物' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CATEGORY_EXISTS');
    expect((await create({ ...body, code: 'safety' })).json().code).toBe('CATEGORY_EXISTS');
  });

  test('a resident may not add one; a bad code or deadline is refused', async () => {
    expect((await create({ ...body, code: 'resident_one' }, await loginDemo(app, 'owner'))).statusCode).toBe(403);
    expect((await create({ ...body, code: 'Bad Code' })).statusCode).toBe(400);
    expect((await create({ ...body, code: 'quick', acceptWithinMinutes: 1 })).statusCode).toBe(400);
    // Only icon, group and keywords may be left out: the rest is what dispatch and deadlines run on.
    for (const field of ['name', 'handler', 'priority', 'acceptWithinMinutes', 'duplicateRadiusMeters']) {
      const { [field]: _left, ...rest } = body as Record<string, unknown>;
      const res = await create({ ...rest, code: 'partial' });
      expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});

describe('grant candidates', () => {
  test("staff see a building's residents with masked names, whom they may then grant a role", async () => {
    const building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
    const res = await app.inject({ url: `/api/nodes/${building}/residents`, headers: staff.headers });
    expect(res.statusCode).toBe(200);
    const owner = await loginDemo(app, 'owner');
    const found = res.json().find((r: { userId: string }) => r.userId === owner.me.id);
    expect(found).toMatchObject({ displayName: '王**', room: '302', relation: 'owner' });
    expect(found.unit.path).toEqual(['幸福里社区', '阳光花园', '1栋', '1单元']);
    // Nobody from another building.
    const tenant = await loginDemo(app, 'tenant');
    expect(res.json().some((r: { userId: string }) => r.userId === tenant.me.id)).toBe(false);
  });

  test('a captain may not list residents to grant roles to', async () => {
    const building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
    const captain = await loginDemo(app, 'captain');
    expect((await app.inject({ url: `/api/nodes/${building}/residents`, headers: captain.headers })).statusCode).toBe(
      403,
    );
  });
});

describe("the street's comparison", () => {
  const range = '?from=2020-01-01T00:00:00.000Z&to=2040-01-01T00:00:00.000Z';
  const streetId = async (who: LoggedIn) => who.me.roles.find((r) => r.node.kind === 'street')!.node.id;

  test('street staff see each community with its volume, rates and overdue count', async () => {
    const street = await loginDemo(app, 'street');
    const res = await app.inject({
      url: `/api/streets/${await streetId(street)}/report-figures${range}`,
      headers: street.headers,
    });
    expect(res.statusCode).toBe(200);
    const rows = res.json().communities as { community: { name: string }; total: number; overdue: number }[];
    expect(rows.map((r) => r.community.name).sort()).toEqual(['和美社区', '幸福里社区']);
    const reports = await app.models.Report.countDocuments({ communityId: community });
    expect(rows.find((r) => r.community.name === '幸福里社区')!.total).toBe(reports);
  });

  test('community staff get 404 for the street; a range the wrong way round is refused', async () => {
    const street = await loginDemo(app, 'street');
    const id = await streetId(street);
    expect(
      (await app.inject({ url: `/api/streets/${id}/report-figures${range}`, headers: staff.headers })).statusCode,
    ).toBe(404);
    const backwards = '?from=2040-01-01T00:00:00.000Z&to=2020-01-01T00:00:00.000Z';
    expect(
      (await app.inject({ url: `/api/streets/${id}/report-figures${backwards}`, headers: street.headers })).statusCode,
    ).toBe(400);
  });
});

test('a grid lists each worker with the grant that makes them one, which staff may revoke', async () => {
  const grids = (await app.inject({ url: `/api/nodes/${community}/grids`, headers: staff.headers })).json();
  const worker = grids.find((g: { name: string }) => g.name === '第一网格').workers[0];
  expect(worker.grantId).toMatch(/^[0-9a-f]{24}$/);
  const res = await app.inject({ method: 'DELETE', url: `/api/role-grants/${worker.grantId}`, headers: staff.headers });
  expect(res.statusCode).toBe(204);
  const after = (await app.inject({ url: `/api/nodes/${community}/grids`, headers: staff.headers })).json();
  expect(after.find((g: { name: string }) => g.name === '第一网格').workers).toEqual([]);
});
