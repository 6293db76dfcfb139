import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeView, owner, photo, staff, unitView } from '../miniprogram/demo-data';
import { boardPage, ENTRY_ID, entry, estate, frozenPage, ranking } from '../miniprogram/board-fixtures';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin, weappDist } from './harness';

/** The 红黑榜 subpackage, compiled, as WeChat runs it. */

const community = unitView.breadcrumb[0]!;

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, item) => sum + (item.isDirectory() ? sizeOf(join(dir, item.name)) : statSync(join(dir, item.name)).size),
    0,
  );
}

test('every board page loads and, logged out, offers to log in; the subpackage stays small', async () => {
  const pages = subpackagePages('packages/boards');
  expect(pages).toEqual([
    'packages/boards/index/index',
    'packages/boards/months/index',
    'packages/boards/ranking/index',
    'packages/boards/nominate/index',
    'packages/boards/detail/index',
    'packages/boards/timeline/index',
    'packages/boards/mine/index',
    'packages/boards/queue/index',
    'packages/boards/settings/index',
    'packages/boards/figures/index',
  ]);
  await untilEachOffersLogin(pages);
  // WeChat takes 2 MB per subpackage; this one is well under a quarter of it.
  expect(sizeOf(join(weappDist, 'packages/boards'))).toBeLessThan(512 * 1024);
});

test('this month’s 红榜, then 黑榜 on its tab; a frozen month shows 已封榜 and its correction', async () => {
  const { weapp, requests } = launchAs(owner(), (req, path) => {
    if (path === `/nodes/${unitView.id}`) return ok(unitView);
    if (path === `/nodes/${community.id}/children`) return ok([nodeView(estate, 60)]);
    if (path !== '/boards') return undefined;
    return ok(req.url.includes('colour=black') ? boardPage({ items: [] }) : boardPage());
  });
  const board = weapp.open('packages/boards/index/index');
  await until(() => board.text().includes('王阿姨'), 'the red board');
  expect(board.text()).toContain('+5 分');
  expect(board.text()).toContain('公示中');
  const black = allByClass(board.root, 'choice-chips__chip').find((chip) => board.texts(chip).join('') === '黑榜')!;
  board.tap(black);
  await until(() => board.text().includes('黑榜上没有条目'), 'the empty black board');
  expect(requests.some((r) => r.url.includes('colour=black'))).toBe(true);

  // A page's code loads once per launch, as in WeChat: the past month opens in a fresh one.
  const again = launchAs(owner(), (_req, path) => {
    if (path === `/nodes/${unitView.id}`) return ok(unitView);
    if (path === `/nodes/${community.id}/children`) return ok([nodeView(estate, 60)]);
    return path === '/boards' ? ok(frozenPage) : undefined;
  });
  const past = again.weapp.open('packages/boards/index/index', { month: '2026-11' });
  await until(() => past.text().includes('已封榜'), 'the frozen month');
  expect(past.text()).toContain('更正：2栋1单元「高空抛物」经复核申诉成立，已撤榜');
  expect(past.text()).toContain('已更正撤榜');
});

test('the ranking shows the 流动红旗 and the tie rule', async () => {
  const { weapp } = launchAs(owner(), (_req, path) => (path === '/boards/ranking' ? ok(ranking) : undefined));
  const page = weapp.open('packages/boards/ranking/index');
  await until(() => page.text().includes('流动红旗：1栋'), 'the ranking');
  expect(page.text()).toContain('并列规则：积分相同时，红榜条目多者在前');
});

test('staff publishing before the photos are cleared are told why; 不含人脸车牌 clears one', async () => {
  let current = entry({
    state: 'awaiting_decision',
    isHousehold: false,
    media: [photo(1)],
    unclearedPhotoIds: [photo(1).id],
    actions: ['publish', 'withdraw_rectified'],
  });
  const { weapp, requests } = launchAs(staff(), (req, path) => {
    if (path === `/board-entries/${ENTRY_ID}` && req.method === 'GET') return ok(current);
    if (path === `/board-entries/${ENTRY_ID}/publish`)
      return {
        statusCode: 409,
        data: { statusCode: 409, code: 'PHOTOS_NOT_CLEARED', message: 'x', reqId: 'r' },
      };
    if (path === `/board-entries/${ENTRY_ID}/photos/${photo(1).id}/clear`) {
      current = { ...current, unclearedPhotoIds: [] };
      return ok(current);
    }
    return undefined;
  });
  // WeChat's confirmation dialog, answered 确定.
  (globalThis as unknown as { wx: Record<string, unknown> }).wx.showModal = (options: {
    success?: (r: unknown) => void;
    complete?: () => void;
  }) => {
    options.success?.({ confirm: true, cancel: false, errMsg: 'showModal:ok' });
    options.complete?.();
  };
  const page = weapp.open('packages/boards/detail/index', { id: ENTRY_ID });
  await until(() => page.text().includes('上榜公示'), 'the entry');
  tapText(page, '上榜公示');
  await until(() => allByClass(page.root, 'board-alert').length > 0, 'the refusal');
  expect(page.text()).toContain('还有证据照片未处理');
  const tools = allByClass(page.root, 'board-photo__tools')[0]!;
  page.tap((tools.cn ?? []).find((node) => page.texts(node).join('') === '不含人脸车牌')!);
  await until(() => allByClass(page.root, 'board-photo__tools').length === 0, 'the photo cleared');
  expect(requests.at(-1)!.data).toEqual({ rects: [] });
});
