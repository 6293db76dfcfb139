import { defaultCategories } from '../../shared/reports';
import { community, gridWorker, owner, photo, report, step, unit } from '../miniprogram/demo-data';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 随手拍 tab and the report subpackage, compiled, as WeChat runs them. */

const resolved = report(1, {
  description: '1单元楼道堆放了很多纸箱杂物',
  state: 'resolved',
  reporter: { displayName: '王阿姨', isMe: true },
  assignee: { kind: 'property', displayName: '物业' },
  acceptBy: null,
  createdAt: new Date(Date.now() - 86400_000).toISOString(),
  updatedAt: new Date().toISOString(),
  resolvedAt: new Date().toISOString(),
  resolution: { note: '楼道杂物已清理完毕', media: [photo(2)] },
  actions: ['confirm', 'reopen'],
});
const timeline = (
  [
    ['submit', null, 'submitted'],
    ['accept', 'submitted', 'accepted'],
    ['assign', 'accepted', 'assigned'],
    ['resolve', 'assigned', 'resolved'],
  ] as const
).map(([action, from, to], i) =>
  step(action, from, to, {
    actor: '周**',
    actorRole: 'grid_worker',
    at: new Date(Date.now() - (4 - i) * 3600_000).toISOString(),
  }),
);

test('every report page loads and, logged out, offers to log in', async () => {
  const pages = subpackagePages('packages/report');
  expect(pages).toEqual([
    'packages/report/new/index',
    'packages/report/detail/index',
    'packages/report/handle/index',
    'packages/report/overdue/index',
    'packages/report/figures/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('the detail page shows a resolved report with its fix and timeline; the reporter confirms it with stars', async () => {
  let current = resolved;
  const { weapp, requests } = launchAs(owner(), (req, path) => {
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
  const { weapp } = launchAs(gridWorker(), (_req, path) =>
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
  const { weapp } = launchAs(owner(), (_req, path) => {
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
