import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, type LoggedIn } from '../helpers/session';

let app: FastifyInstance;
let staff: LoggedIn;
let newCommunity: string;

/** Each import test gets its own empty community, created by street staff like a real onboarding. */
async function emptyCommunity(name: string): Promise<string> {
  const street = await loginDemo(app, 'street');
  const streetId = street.me.roles.find((r) => r.role === 'street_staff')!.node.id;
  const res = await app.inject({
    method: 'POST',
    url: `/api/nodes/${streetId}/children`,
    headers: street.headers,
    payload: { name },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

const importCsv = (communityId: string, csv: string, who = staff) =>
  app.inject({
    method: 'POST',
    url: `/api/nodes/${communityId}/import`,
    headers: { ...who.headers, 'content-type': 'text/csv' },
    payload: csv,
  });

const nodeCount = (communityId: string) =>
  app.models.Node.countDocuments({ ancestors: communityId }).setOptions(CROSS_COMMUNITY);

beforeAll(async () => {
  app = await buildDemoApp();
  staff = await loginDemo(app, 'street');
  newCommunity = await emptyCommunity('新建测试社区');
});
afterAll(() => app.close());

describe('structure import', () => {
  const header = '小区,楼栋,单元,房号,楼层,面积\n';

  test('a CSV with Chinese headers creates estates, buildings, units and households with exact areas', async () => {
    const community = await emptyCommunity('导入社区甲');
    const res = await importCsv(
      community,
      `${header}锦绣苑,1栋,1单元,101,1,89.5\n锦绣苑,1栋,1单元,102,1,120\n锦绣苑,2栋,1单元,101,1,75.25\n`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      created: { estates: 1, buildings: 2, units: 2, households: 3, grids: 0 },
      updatedHouseholds: 0,
      unchangedHouseholds: 0,
    });
    const areas = await app.models.Household.find({ communityId: community }, { room: 1, areaHundredths: 1, _id: 0 })
      .sort({ areaHundredths: 1 })
      .lean();
    expect(areas.map((h) => h.areaHundredths)).toEqual([7525, 8950, 12000]);
  });

  test('importing again changes nothing, and a corrected area is an update, not a duplicate', async () => {
    const community = await emptyCommunity('导入社区乙');
    const csv = `estate,building,unit,room,floor,area\n锦绣苑,1栋,1单元,101,1,89.50\n`;
    await importCsv(community, csv);
    expect((await importCsv(community, csv)).json()).toMatchObject({
      created: { households: 0 },
      unchangedHouseholds: 1,
    });
    const fixed = await importCsv(community, csv.replace('89.50', '90.01'));
    expect(fixed.json()).toMatchObject({ created: { estates: 0, households: 0 }, updatedHouseholds: 1 });
    expect(await app.models.Household.countDocuments({ communityId: community })).toBe(1);
  });

  test('every bad row is reported with its line and reason, and nothing is imported', async () => {
    const before = await nodeCount(newCommunity);
    const res = await importCsv(
      newCommunity,
      `${header}锦绣苑,1栋,1单元,101,1,89.5\n,1栋,1单元,102,1,80\n锦绣苑,1栋,1单元,1 03,1,80\n锦绣苑,1栋,1单元,104,二,80\n锦绣苑,1栋,1单元,105,1,80.123\n锦绣苑,1栋,1单元,101,1,89.5\n`,
    );
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('IMPORT_INVALID');
    expect(body.details).toEqual([
      { path: 'line 3', message: '小区不能为空' },
      { path: 'line 4', message: '房号"1 03"无效' },
      { path: 'line 5', message: '楼层"二"无效' },
      { path: 'line 6', message: '面积"80.123"无效（正数，最多两位小数）' },
      { path: 'line 7', message: '与第2行重复' },
    ]);
    expect(await nodeCount(newCommunity)).toBe(before);
  });

  test('a CSV missing columns says which', async () => {
    const res = await importCsv(newCommunity, '小区,楼栋,房号\n锦绣苑,1栋,101\n');
    expect(res.json().details).toEqual([{ path: 'line 1', message: '表头缺少列：unit, floor, area' }]);
  });

  test('JSON imports define grids; a grid naming an unknown building rolls the whole import back', async () => {
    const community = await emptyCommunity('导入社区丙');
    const rows = [{ estate: '锦绣苑', building: '1栋', unit: '1单元', room: '101', floor: 1, area: 88 }];
    const bad = await app.inject({
      method: 'POST',
      url: `/api/nodes/${community}/import`,
      headers: staff.headers,
      payload: { rows, grids: [{ name: '一网格', buildings: ['锦绣苑/1栋', '锦绣苑/9栋'] }] },
    });
    expect([bad.statusCode, bad.json().details]).toEqual([
      422,
      [{ path: 'grids[0]', message: '网格"一网格"中的楼栋"锦绣苑/9栋"不存在' }],
    ]);
    expect(await nodeCount(community)).toBe(0);

    const good = await app.inject({
      method: 'POST',
      url: `/api/nodes/${community}/import`,
      headers: staff.headers,
      payload: { rows, grids: [{ name: '一网格', buildings: ['锦绣苑/1栋'] }] },
    });
    expect(good.json().created).toEqual({ estates: 1, buildings: 1, units: 1, households: 1, grids: 1 });
    const grids = await app.inject({ url: `/api/nodes/${community}/grids`, headers: staff.headers });
    expect(grids.json()).toEqual([
      {
        id: expect.any(String),
        name: '一网格',
        buildings: [expect.objectContaining({ path: ['导入社区丙', '锦绣苑', '1栋'] })],
        workers: [],
      },
    ]);
  });

  test('residents and captains may not import; staff of another community cannot even find it', async () => {
    const csv = `${header}锦绣苑,1栋,1单元,101,1,89.5\n`;
    const community = await placeId(app, ['幸福里社区']);
    expect((await importCsv(community, csv, await loginDemo(app, 'owner'))).json().code).toBe('FORBIDDEN');
    expect((await importCsv(community, csv, await loginDemo(app, 'captain'))).json().code).toBe('FORBIDDEN');
    const other = await placeId(app, ['和美社区']);
    expect((await importCsv(other, csv, await loginDemo(app, 'staff'))).statusCode).toBe(404);
  });
});

describe('browsing places', () => {
  test('a community lists its estates with breadcrumbs and household counts', async () => {
    const community = await placeId(app, ['幸福里社区']);
    const res = await app.inject({
      url: `/api/nodes/${community}/children`,
      headers: (await loginDemo(app, 'staff')).headers,
    });
    expect(
      res
        .json()
        .map((n: { name: string; childCount: number; householdCount: number }) => [
          n.name,
          n.childCount,
          n.householdCount,
        ]),
    ).toEqual([
      ['翠竹苑', 2, 48],
      ['阳光花园', 3, 72],
    ]);
  });

  test('a unit shows its breadcrumb from the community down', async () => {
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const res = await app.inject({ url: `/api/nodes/${unit}`, headers: (await loginDemo(app, 'owner')).headers });
    expect(res.json().breadcrumb.map((b: { name: string }) => b.name)).toEqual([
      '幸福里社区',
      '阳光花园',
      '1栋',
      '1单元',
    ]);
  });

  test('a captain sees the households of their unit with masked member names and ids', async () => {
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const res = await app.inject({
      url: `/api/nodes/${unit}/households`,
      headers: (await loginDemo(app, 'captain')).headers,
    });
    expect(res.statusCode).toBe(200);
    const room302 = res.json().find((h: { room: string }) => h.room === '302');
    // The captain may order for a neighbour here: the member's id (whom for) comes with the masked name.
    const owner = await loginDemo(app, 'owner');
    expect(room302.members).toEqual([{ name: '王**', relation: 'owner', userId: owner.me.id }]);
  });

  test("any member of the community gets the unit's rooms but no one living there: no names, no ids", async () => {
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const owner = await loginDemo(app, 'owner');
    const captain = await loginDemo(app, 'captain');
    const rooms = (await app.inject({ url: `/api/nodes/${unit}/households`, headers: captain.headers })).json() as {
      id: string;
      room: string;
      floor: number;
      areaHundredths: number;
    }[];
    // A resident of the unit, one of another estate, the captain of the next unit, the estate's property handler.
    for (const who of ['owner', 'volunteer', 'unitcap', 'property']) {
      const res = await app.inject({
        url: `/api/nodes/${unit}/households`,
        headers: (await loginDemo(app, who)).headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(
        rooms.map(({ id, room, floor, areaHundredths }) => ({ id, room, floor, areaHundredths, members: [] })),
      );
      for (const leak of [owner.me.id, captain.me.id, '王', '张', '**', 'userId', 'relation', 'name']) {
        expect(res.body).not.toContain(leak);
      }
    }
    // Rooms are listed per unit, for residents as for captains.
    const building = await placeId(app, ['幸福里社区', '阳光花园', '1栋']);
    const notUnit = await app.inject({ url: `/api/nodes/${building}/households`, headers: owner.headers });
    expect(notUnit.statusCode).toBe(400);
  });

  test('a resident of another community does not even find the unit: 404, nothing of it in the body', async () => {
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const res = await app.inject({
      url: `/api/nodes/${unit}/households`,
      headers: (await loginDemo(app, 'other')).headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('302');
  });

  test('grid workers and staff over the unit get the member ids too; staff of another community not even the unit', async () => {
    const unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const owner = await loginDemo(app, 'owner');
    for (const who of ['grid', 'staff', 'street']) {
      const res = await app.inject({
        url: `/api/nodes/${unit}/households`,
        headers: (await loginDemo(app, who)).headers,
      });
      expect(res.statusCode).toBe(200);
      const members = res.json().flatMap((h: { members: { userId?: string }[] }) => h.members);
      expect(members.every((m: { userId?: string }) => typeof m.userId === 'string')).toBe(true);
      expect(members.map((m: { userId?: string }) => m.userId)).toContain(owner.me.id);
    }
    const other = await app.inject({
      url: `/api/nodes/${unit}/households`,
      headers: (await loginDemo(app, 'other')).headers,
    });
    expect(other.statusCode).toBe(404);
  });

  test('staff create places of the next kind down; a duplicate name is a 409', async () => {
    const estate = await placeId(app, ['幸福里社区', '翠竹苑']);
    const headers = (await loginDemo(app, 'staff')).headers;
    const res = await app.inject({
      method: 'POST',
      url: `/api/nodes/${estate}/children`,
      headers,
      payload: { name: '3栋' },
    });
    expect(res.json()).toMatchObject({ kind: 'building', name: '3栋', childCount: 0 });
    const again = await app.inject({
      method: 'POST',
      url: `/api/nodes/${estate}/children`,
      headers,
      payload: { name: '3栋' },
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'CONFLICT']);
  });
});
