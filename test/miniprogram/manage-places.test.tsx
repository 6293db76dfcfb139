import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { NodeRef } from '../../shared/schemas/people';
import type { GridView, NodeView } from '../../shared/schemas/places';
import ManageGridsPage from '../../miniprogram/packages/manage/grids';
import ManagePlacesPage from '../../miniprogram/packages/manage/places';
import { __setRouterParams } from './doubles/taro';
import {
  building,
  captain,
  community,
  estate,
  fail,
  ids,
  logIn,
  newcomer,
  ok,
  resetApp,
  serve,
  staff,
  unit,
} from './fixtures';
import { button } from './forms';

beforeEach(resetApp);

/** A choice chip (a role to grant) by its label. */
const chip = (label: string) => screen.queryAllByText(label).find((el) => el.closest('.at-tag'));

/** A place as GET /nodes/:id answers: its breadcrumb from the community down. */
const view = (ref: NodeRef, trail: NodeRef[], householdCount: number, childCount = 1): NodeView => ({
  id: ref.id,
  kind: ref.kind,
  name: ref.name,
  parentId: trail.at(-2)?.id ?? null,
  breadcrumb: trail,
  childCount,
  householdCount,
});
const communityView = view(community, [community], 300);
const estateView = view(estate, [community, estate], 120);
const buildingView = view(building, [community, estate, building], 24);
const unitView = view(unit, [community, estate, building, unit], 12, 0);

const person = (id: string, displayName: string) => ({ id, displayName, phoneMasked: '138****0005', badges: [] });
const resident = (userId: string, displayName: string, room: string) => ({
  userId,
  displayName,
  phoneMasked: null,
  unit,
  room,
  relation: 'owner',
});

const street: NodeRef = { id: 'f00000000000000000000001', kind: 'street', name: '和平街道', path: ['和平街道'] };

/** The demo community's places down to its first unit. */
const places = {
  [`GET /nodes/${ids.community}`]: ok(communityView),
  [`GET /nodes/${ids.community}/children`]: ok([estateView]),
  [`GET /nodes/${ids.estate}`]: ok(estateView),
  [`GET /nodes/${ids.estate}/children`]: ok([buildingView]),
  [`GET /nodes/${ids.building}`]: ok(buildingView),
  [`GET /nodes/${ids.building}/children`]: ok([unitView]),
  [`GET /nodes/${ids.unit}`]: ok(unitView),
  [`GET /nodes/${ids.unit}/children`]: ok([]),
};

test('staff walk the tree to a building, see its captain, and grant a resident 楼长; a refusal shows in Chinese', async () => {
  logIn(staff());
  let refuse = true;
  const sent = serve({
    ...places,
    [`GET /nodes/${ids.community}/roles`]: ok([
      { id: '710000000000000000000001', role: 'community_staff', user: person('600000000000000000000009', '李**') },
    ]),
    [`GET /nodes/${ids.community}/residents`]: ok([]),
    [`GET /nodes/${ids.estate}/roles`]: ok([]),
    [`GET /nodes/${ids.estate}/residents`]: ok([]),
    [`GET /nodes/${ids.building}/roles`]: ok([
      { id: '710000000000000000000002', role: 'building_captain', user: person('600000000000000000000005', '张**') },
    ]),
    [`GET /nodes/${ids.building}/residents`]: ok([
      resident('600000000000000000000007', '王**', '302'),
      resident('600000000000000000000008', '刘**', '501'),
    ]),
    [`POST /nodes/${ids.building}/roles`]: (req) =>
      refuse
        ? fail(403, 'ROLE_ABOVE_RANK')
        : ok(
            {
              id: '710000000000000000000003',
              role: 'building_captain',
              user: person(String((req.body as { userId: string }).userId), '王**'),
            },
            201,
          ),
  });
  render(<ManagePlacesPage />);

  // The community: its staff (community staff may take back a peer's role), community staff the only grantable role.
  expect(await screen.findByText('社区工作者 · 李**')).toBeTruthy();
  expect(screen.getByText('300 户', { exact: false })).toBeTruthy();
  // The residents to choose from come when asked for.
  expect(sent.some((r) => r.path.endsWith('/residents'))).toBe(false);
  fireEvent.click(button('授予角色…'));
  expect(chip('社区工作者')).toBeTruthy();
  expect(chip('管理员')).toBeUndefined();

  fireEvent.click(await screen.findByText('阳光花园'));
  fireEvent.click(await screen.findByText('1栋'));
  expect(await screen.findByText('楼长 · 张**')).toBeTruthy();
  expect(screen.getByText('撤销')).toBeTruthy();
  fireEvent.click(button('授予角色…'));
  fireEvent.click(await screen.findByText('王**'));

  await act(async () => fireEvent.click(button('授予')));
  expect(screen.getByRole('alert').textContent).toBe('您的职级不足以进行此操作');

  refuse = false;
  await act(async () => fireEvent.click(button('授予')));
  const grant = sent.filter((r) => r.method === 'POST');
  expect(grant.at(-1)!.body).toEqual({ userId: '600000000000000000000007', role: 'building_captain' });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已授予' }));
  expect(sent.filter((r) => r.path === `/nodes/${ids.building}/roles` && r.method === 'GET')).toHaveLength(2);
});

test('revoking asks first, then the role leaves the list', async () => {
  logIn(staff());
  let roles = [
    { id: '710000000000000000000002', role: 'building_captain', user: person('600000000000000000000005', '张**') },
  ];
  const sent = serve({
    ...places,
    [`GET /nodes/${ids.community}/roles`]: ok([]),
    [`GET /nodes/${ids.community}/residents`]: ok([]),
    [`GET /nodes/${ids.estate}/roles`]: ok([]),
    [`GET /nodes/${ids.estate}/residents`]: ok([]),
    [`GET /nodes/${ids.building}/roles`]: () => ok(roles),
    [`GET /nodes/${ids.building}/residents`]: ok([]),
    'DELETE /role-grants/710000000000000000000002': () => {
      roles = [];
      return { status: 204 };
    },
  });
  __setRouterParams({ community: ids.community });
  render(<ManagePlacesPage />);
  fireEvent.click(await screen.findByText('阳光花园'));
  fireEvent.click(await screen.findByText('1栋'));
  const revoke = await screen.findByText('撤销', {}, { timeout: 4000 });
  await act(async () => fireEvent.click(revoke));
  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '撤销张**的楼长角色？' }));
  expect(sent.some((r) => r.method === 'DELETE')).toBe(true);
  expect(await screen.findByText('这里还没有人担任角色')).toBeTruthy();
  // A building with nobody living there yet says how to get residents first.
  fireEvent.click(button('授予角色…'));
  expect(await screen.findByText('这里还没有住户：先邀请住户加入，再为其授予角色')).toBeTruthy();
});

test('a unit shows its households with their members; street staff may grant a community 管理员', async () => {
  logIn(
    newcomer({
      id: '600000000000000000000002',
      roles: [{ id: '700000000000000000000002', role: 'street_staff', node: street }],
    }),
  );
  serve({
    ...places,
    [`GET /nodes/${street.id}/children`]: ok([communityView]),
    [`GET /nodes/${ids.community}/roles`]: ok([]),
    [`GET /nodes/${ids.community}/residents`]: ok([]),
    [`GET /nodes/${ids.estate}/roles`]: ok([]),
    [`GET /nodes/${ids.estate}/residents`]: ok([]),
    [`GET /nodes/${ids.building}/roles`]: ok([]),
    [`GET /nodes/${ids.building}/residents`]: ok([]),
    [`GET /nodes/${ids.unit}/roles`]: ok([]),
    [`GET /nodes/${ids.unit}/residents`]: ok([]),
    [`GET /nodes/${ids.unit}/households`]: ok([
      { id: 'h1', room: '101', floor: 1, areaHundredths: 8000, members: [{ name: '张**', relation: 'owner' }] },
      { id: 'h2', room: '102', floor: 1, areaHundredths: 8000, members: [] },
    ]),
  });
  render(<ManagePlacesPage />);
  await screen.findByText('阳光花园');
  fireEvent.click(button('授予角色…'));
  expect(chip('管理员')).toBeTruthy();
  fireEvent.click(screen.getByText('阳光花园'));
  fireEvent.click(await screen.findByText('1栋'));
  fireEvent.click(await screen.findByText('1单元'));
  expect(await screen.findByText('张**（业主）')).toBeTruthy();
  expect(screen.getByText('暂无成员')).toBeTruthy();
  fireEvent.click(button('授予角色…'));
  expect(chip('单元长')).toBeTruthy();
});

test('a captain is told the console is not theirs', async () => {
  logIn(captain());
  serve({});
  render(<ManagePlacesPage />);
  expect(await screen.findByText('您在这里没有管理权限')).toBeTruthy();
});

test('grids: a grid’s buildings and workers; 移除 and 添加 a worker', async () => {
  logIn(staff());
  let grids: GridView[] = [
    {
      id: '750000000000000000000001',
      name: '第一网格',
      buildings: [building],
      workers: [{ grantId: '710000000000000000000009', userId: '600000000000000000000003', displayName: '周**' }],
    },
  ];
  const sent = serve({
    [`GET /nodes/${ids.community}/grids`]: () => ok(grids),
    [`GET /nodes/${ids.community}/residents`]: ok([resident('600000000000000000000007', '王**', '302')]),
    'DELETE /role-grants/710000000000000000000009': () => {
      grids = [{ ...grids[0]!, workers: [] }];
      return { status: 204 };
    },
    'POST /grids/750000000000000000000001/workers': () => {
      grids = [
        {
          ...grids[0]!,
          workers: [{ grantId: '710000000000000000000010', userId: '600000000000000000000007', displayName: '王**' }],
        },
      ];
      return ok(
        { id: '710000000000000000000010', role: 'grid_worker', user: person('600000000000000000000007', '王**') },
        201,
      );
    },
  });
  render(<ManageGridsPage />);
  fireEvent.click(await screen.findByText('第一网格'));
  expect(screen.getByText('阳光花园1栋')).toBeTruthy();
  await act(async () => fireEvent.click(screen.getByText('移除')));
  expect(await screen.findByText('还没有网格员')).toBeTruthy();

  fireEvent.click(await screen.findByText('王**'));
  await act(async () => fireEvent.click(button('添加为网格员')));
  expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ userId: '600000000000000000000007' });
  expect(await screen.findByText('移除')).toBeTruthy();
});
