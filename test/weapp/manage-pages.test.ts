import { community, ids, staff } from '../miniprogram/demo-data';
import { launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 管理 subpackage and the staff 首页, compiled, as WeChat runs them. */

const estate = { id: ids.estate, kind: 'estate', name: '阳光花园', path: ['幸福里社区', '阳光花园'] };
const placeView = (ref: typeof community | typeof estate, breadcrumb: object[], householdCount: number) => ({
  id: ref.id,
  kind: ref.kind,
  name: ref.name,
  parentId: null,
  breadcrumb,
  childCount: 1,
  householdCount,
});

function staffWeapp() {
  return launchAs(staff(), (_req, path) => {
    if (path === '/me') return ok(staff());
    if (path === '/channels') return ok([]);
    if (path === '/reports') return ok({ items: [], nextCursor: null });
    if (path === '/moderation/cases') return ok({ items: [], nextCursor: null });
    if (path === '/join-requests') return ok([]);
    if (path === `/nodes/${ids.community}`) return ok(placeView(community, [community], 300));
    if (path === `/nodes/${ids.community}/children`) return ok([placeView(estate, [community, estate], 120)]);
    if (path === `/nodes/${ids.community}/roles`) {
      return ok([
        {
          id: '710000000000000000000001',
          role: 'community_staff',
          user: { id: staff().id, displayName: '李**', phoneMasked: null, badges: [] },
        },
      ]);
    }
    if (path === `/nodes/${ids.community}/residents`) return ok([]);
    if (path === '/open311/keys') return ok([]);
    return undefined;
  });
}

test('the 管理 pages load and, logged out, offer to log in', async () => {
  const pages = subpackagePages('packages/manage');
  expect(pages).toEqual([
    'packages/manage/index/index',
    'packages/manage/places/index',
    'packages/manage/grids/index',
    'packages/manage/categories/index',
    'packages/manage/import/index',
    'packages/manage/keys/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('首页 for staff: 我的待办 with its queues and 管理, which opens the console', async () => {
  const { weapp } = staffWeapp();
  const home = weapp.open('pages/index/index');
  await until(() => home.text().includes('待受理'), 'the queues');
  expect(home.text()).toContain('我的待办');
  expect(home.text()).not.toContain('加入社区');
  tapText(home, '管理');
  expect(weapp.navigations).toEqual(['/packages/manage/index/index']);
});

test('地点与角色 shows the community, its places and who holds a role there', async () => {
  const { weapp } = staffWeapp();
  const page = weapp.open('packages/manage/places/index', { community: ids.community });
  await until(() => page.text().includes('社区工作者 · 李**'), 'the roles');
  expect(page.text()).toContain('阳光花园');
  expect(page.text()).toContain('300 户');
});

test('开放接口: the jurisdiction id for the integrator, and the keys (none yet)', async () => {
  const { weapp } = staffWeapp();
  const page = weapp.open('packages/manage/keys/index');
  await until(() => page.text().includes('还没有签发密钥'), 'the keys');
  expect(page.text()).toContain(ids.community);
});
