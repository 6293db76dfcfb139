import { owner } from '../miniprogram/demo-data';
import { doneWish, nthWish, wish } from '../miniprogram/wish-fixtures';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 微心愿 subpackage, compiled, as WeChat runs it. */

test('every wish page loads and, logged out, offers to log in', async () => {
  const pages = subpackagePages('packages/wishes');
  expect(pages).toEqual([
    'packages/wishes/wall/index',
    'packages/wishes/new/index',
    'packages/wishes/detail/index',
    'packages/wishes/mine/index',
    'packages/wishes/timeline/index',
    'packages/wishes/organisations/index',
    'packages/wishes/review/index',
    'packages/wishes/settings/index',
    'packages/wishes/figures/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('the wall lists wishes with how near they are and pages on reaching the bottom; 已圆梦 shows the thanks', async () => {
  const { weapp, requests } = launchAs(owner(), (req, path) => {
    if (path !== '/wishes') return undefined;
    if (req.url.includes('view=done')) return ok({ items: [doneWish], nextCursor: null });
    return req.url.includes('cursor=c2')
      ? ok({ items: [nthWish(3)], nextCursor: null })
      : ok({ items: [nthWish(1), nthWish(2)], nextCursor: 'c2' });
  });
  const wall = weapp.open('packages/wishes/wall/index');
  await until(() => wall.text().includes('第 2 个心愿：需要帮忙'), 'the first page');
  expect(wall.text()).toContain('还剩5天');
  expect(wall.text()).toContain('为一位独居老人');
  tapText(wall, '查看更多');
  await until(() => wall.text().includes('第 3 个心愿：需要帮忙'), 'the next page');
  expect(requests.some((r) => r.url.includes('cursor=c2'))).toBe(true);

  tapText(wall, '第 1 个心愿：需要帮忙');
  expect(weapp.navigations).toEqual([`/packages/wishes/detail/index?id=${nthWish(1).id}`]);

  const done = allByClass(wall.root, 'choice-chips__chip').find((chip) => wall.texts(chip).join('') === '已圆梦')!;
  wall.tap(done);
  await until(() => wall.text().includes('「谢谢小吴，轮椅推起来顺多了」—— 1栋 王**'), 'the thanks');
});

test('a claim lost to someone faster says 已被认领 and shows the wish as it is now', async () => {
  let current = wish();
  const { weapp } = launchAs(owner(), (req, path) => {
    if (path === `/wishes/${current.id}` && req.method === 'GET') return ok(current);
    if (path === `/wishes/${current.id}/claim`) {
      current = wish({
        state: 'claimed',
        actions: [],
        claim: {
          type: 'volunteer',
          name: '吴**',
          isMe: false,
          claimedAt: '2026-12-03T01:00:00.000Z',
          lapsesAt: '2026-12-10T01:00:00.000Z',
        },
      });
      return { statusCode: 409, data: { statusCode: 409, code: 'WISH_TAKEN', message: '已被认领', reqId: 'r' } };
    }
    return undefined;
  });
  const page = weapp.open('packages/wishes/detail/index', { id: current.id });
  await until(() => page.text().includes('受助对象：一位独居老人'), 'the wish');
  // 待认领 (the state) says 认领 too: the button is the one whose text is exactly that.
  page.tap(allByClass(page.root, 'at-button__text').find((node) => page.texts(node).join('') === '认领')!);
  await until(() => page.text().includes('确认认领'), 'the claim sheet');
  expect(page.text()).toContain('认领身份');
  tapText(page, '确认认领');
  await until(() => allByClass(page.root, 'wish-alert').length === 1, 'the answer');
  expect(page.texts(allByClass(page.root, 'wish-alert')[0]!).join('')).toBe('已被认领');
  await until(() => page.text().includes('已认领') && page.text().includes('吴**'), 'the wish as it is now');
  expect(allByClass(page.root, 'at-button__text')).toHaveLength(0);
});
