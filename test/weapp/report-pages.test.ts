import { defaultCategories } from '../../shared/reports';
import type { Me, NodeRef, Session } from '../../shared/schemas/people';
import type { ReportView } from '../../shared/schemas/reports';
import { launchWeapp, readAppJson, until, type RenderNode, type WeappPage, type WxRequest } from './harness';

/** The 随手拍 tab and the report subpackage, compiled, as WeChat runs them. */

const community: NodeRef = {
  id: 'c00000000000000000000001',
  kind: 'community',
  name: '幸福里社区',
  path: ['幸福里社区'],
};
const unit: NodeRef = {
  id: 'a00000000000000000000001',
  kind: 'unit',
  name: '1单元',
  path: ['幸福里社区', '阳光花园', '1栋', '1单元'],
};
const owner: Me = {
  id: '600000000000000000000007',
  displayName: '王阿姨',
  phoneMasked: '138****0007',
  badges: [],
  roles: [{ id: '700000000000000000000007', role: 'resident', node: unit }],
  households: [{ id: '800000000000000000000302', room: '302', floor: 3, unit, relation: 'owner', members: [] }],
  pendingJoinRequests: 0,
};
const gridWorker: Me = {
  ...owner,
  id: '600000000000000000000003',
  displayName: '周网格',
  roles: [{ id: '700000000000000000000003', role: 'grid_worker', node: community, gridName: '第一网格' }],
  households: [],
};
const session = (me: Me): Session => ({
  accessToken: 'access-1',
  expiresIn: 900,
  refreshToken: 'refresh-token-number-1',
  refreshExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
  me,
});
const photo = (n: number) => ({
  id: `d0000000000000000000000${n}`,
  width: 1080,
  height: 810,
  checkStatus: 'pass' as const,
  url: `/api/media/d0000000000000000000000${n}/display?sig=s`,
  thumbUrl: `/api/media/d0000000000000000000000${n}/thumb?sig=s`,
});
const resolved: ReportView = {
  id: 'e10000000000000000000001',
  category: { code: 'sanitation', name: '环境卫生', icon: 'trash' },
  description: '1单元楼道堆放了很多纸箱杂物',
  state: 'resolved',
  level: 'grid',
  priority: 'normal',
  private: false,
  place: unit,
  location: null,
  reporter: { displayName: '王阿姨', isMe: true },
  media: [photo(1)],
  assignee: { kind: 'property', displayName: '物业' },
  acceptBy: null,
  resolveBy: null,
  overdue: false,
  createdAt: new Date(Date.now() - 86400_000).toISOString(),
  updatedAt: new Date().toISOString(),
  resolvedAt: new Date().toISOString(),
  closedAt: null,
  autoClosed: false,
  rejection: null,
  resolution: { note: '楼道杂物已清理完毕', media: [photo(2)] },
  rating: null,
  reopenCount: 0,
  followerCount: 0,
  following: false,
  moderation: 'visible',
  actions: ['confirm', 'reopen'],
};
const timeline = [
  ['submit', null, 'submitted'],
  ['accept', 'submitted', 'accepted'],
  ['assign', 'accepted', 'assigned'],
  ['resolve', 'assigned', 'resolved'],
].map(([action, from, to], i) => ({
  id: `f2000000000000000000000${i}`,
  action,
  from,
  to,
  actor: '周**',
  actorRole: 'grid_worker',
  note: null,
  attachments: [],
  at: new Date(Date.now() - (4 - i) * 3600_000).toISOString(),
}));

type Reply = { statusCode: number; data: unknown };
const ok = (data: unknown): Reply => ({ statusCode: 200, data });

function weappAs(me: Me, answer: (req: WxRequest, path: string) => Reply | undefined) {
  const requests: WxRequest[] = [];
  const weapp = launchWeapp(
    (req) => {
      requests.push(req);
      const path = req.url.replace('http://127.0.0.1:3000/api', '').split('?')[0]!;
      return (
        answer(req, path) ?? { statusCode: 404, data: { statusCode: 404, code: 'NOT_FOUND', message: 'x', reqId: 'r' } }
      );
    },
    new Map<string, unknown>([['linli.session', session(me)]]),
  );
  return { weapp, requests };
}

function tapText(page: WeappPage, text: string): void {
  const node = page.findByText(text);
  if (!node) throw new Error(`nothing shows ${text}`);
  page.tap(node);
}

/** Every element whose class list has `className`, in document order. */
function allByClass(node: RenderNode, className: string): RenderNode[] {
  const own = String(node.cl ?? '')
    .split(' ')
    .includes(className)
    ? [node]
    : [];
  return [...own, ...(node.cn ?? []).flatMap((child) => allByClass(child, className))];
}

test('every report page loads and, logged out, offers to log in', async () => {
  const weapp = launchWeapp(() => 'network-error');
  const pages = (readAppJson().subPackages ?? [])
    .filter((p) => p.root === 'packages/report')
    .flatMap((p) => p.pages.map((page) => `${p.root}/${page}`));
  expect(pages).toEqual([
    'packages/report/new/index',
    'packages/report/detail/index',
    'packages/report/handle/index',
    'packages/report/overdue/index',
    'packages/report/figures/index',
  ]);
  for (const route of pages) {
    const page = weapp.open(route);
    await until(() => page.text().includes('微信一键登录'), `the login prompt of ${route}`);
  }
});

test('the detail page shows a resolved report with its fix and timeline; the reporter confirms it with stars', async () => {
  let current = resolved;
  const { weapp, requests } = weappAs(owner, (req, path) => {
    if (path === `/reports/${resolved.id}` && req.method === 'GET') return ok(current);
    if (path === `/reports/${resolved.id}/timeline`) return ok(timeline);
    if (path === `/reports/${resolved.id}/confirm`) {
      current = { ...resolved, state: 'closed', actions: [], rating: { score: 5, comment: '' } };
      return ok(current);
    }
    return undefined;
  });
  const page = weapp.open('packages/report/detail/index', { id: resolved.id });
  await until(() => page.text().includes('处理进度'), 'the report');
  await until(() => allByClass(page.root, 'timeline__title').length === 4, 'the timeline');
  const text = page.text();
  expect(text).toContain('待确认');
  expect(text).toContain('楼道杂物已清理完毕');
  expect(text).toContain('确认解决');
  expect(text).toContain('没解决');
  expect(allByClass(page.root, 'timeline__title').map((n) => page.texts(n).join(''))).toEqual([
    '办结',
    '派单',
    '受理',
    '提交',
  ]);

  tapText(page, '确认解决');
  await until(() => page.text().includes('提交评价'), 'the rating form');
  const stars = allByClass(page.root, 'at-rate__icon');
  expect(stars).toHaveLength(5);
  page.tap(stars[4]!);
  await until(() => page.text().includes('非常满意'), 'five stars');
  tapText(page, '提交评价');
  await until(() => page.text().includes('已办结'), 'the closed report');
  expect(requests.find((r) => r.url.endsWith('/confirm'))!.data).toEqual({ score: 5 });
});

test('随手拍 for a grid worker: 待我处理 with its count, opening the handler inbox', async () => {
  const late = { ...resolved, state: 'submitted' as const, overdue: true, actions: ['accept' as const] };
  const { weapp } = weappAs(gridWorker, (_req, path) =>
    path === '/reports' ? ok({ items: [late], nextCursor: null }) : undefined,
  );
  const snap = weapp.open('pages/snap/index');
  await until(() => snap.text().includes('其中 1 件已超期'), 'the handler entry');
  tapText(snap, '待我处理');
  expect(weapp.navigations).toEqual(['/packages/report/handle/index']);

  const inbox = weapp.open('packages/report/handle/index');
  await until(() => inbox.text().includes('1 件已超期，请优先处理'), 'the inbox');
  expect(inbox.text()).toContain('已超期');
});

test('the new report page shows the categories and my places', async () => {
  const { weapp } = weappAs(owner, (_req, path) => {
    if (path === '/report-categories') return ok(defaultCategories);
    if (path === `/nodes/${unit.id}`)
      return ok({ ...unit, parentId: null, breadcrumb: [community, unit], childCount: 0, householdCount: 12 });
    if (path === '/subscriptions/templates') return ok({ 'report.updated': 'tmpl-report' });
    return undefined;
  });
  const page = weapp.open('packages/report/new/index');
  await until(() => page.text().includes('安全隐患'), 'the categories');
  expect(page.text()).toContain('1栋1单元（本单元）');
  expect(page.text()).toContain('拍照/相册');
  tapText(page, '提交');
  await until(() => page.text().includes('请至少拍一张照片'), 'the validation');
});
