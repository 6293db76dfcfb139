import { staff } from '../miniprogram/demo-data';
import { casePage, casePhoto, message, moderationCase } from '../miniprogram/platform-fixtures';
import {
  byClass,
  launchAs,
  ok,
  subpackagePages,
  tapText,
  until,
  untilEachOffersLogin,
  type Reply,
  type WxRequest,
} from './harness';

/** The inbox and the staff subpackage, compiled, as WeChat runs them. */

const reviewCase = moderationCase(1, { text: { title: '周末活动', body: '这里有测试待审词' }, media: [casePhoto] });
const joinRequested = message(1, { title: '新的入户申请', body: '1栋1单元402室有一份入户申请待审核' });

/** Plays the service for a logged-in staff member; records the requests. */
function staffWeapp(extra: (req: WxRequest, path: string) => Reply | undefined = () => undefined) {
  return launchAs(staff(), (req, path) => {
    const answer = extra(req, path);
    if (answer) return answer;
    if (path === '/me') return ok(staff());
    if (path === '/join-requests') return ok([]);
    if (path === '/inbox') return ok({ items: [joinRequested], nextCursor: null, unread: 1 });
    if (path === '/moderation/cases') return ok(casePage([reviewCase]));
    return undefined;
  });
}

const wx = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;

test('the inbox and staff pages load and, logged out, offer to log in', async () => {
  const pages = subpackagePages('packages/inbox', 'packages/admin');
  expect(pages).toEqual([
    'packages/inbox/index/index',
    'packages/admin/moderation/index',
    'packages/admin/redact/index',
    'packages/admin/timeline/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('我的 for staff: 消息 with its count on the entry and the 我的 tab, 内容审核 with the open cases', async () => {
  const { weapp } = staffWeapp();
  const badges: unknown[] = [];
  wx().setTabBarBadge = (options: { success?: () => void }) => {
    badges.push(options);
    options.success?.();
  };
  const me = weapp.open('pages/me/index');
  await until(() => me.text().includes('内容审核待审内容、居民举报1'), 'the open count');
  await until(() => badges.length > 0, 'the tab badge');
  expect(badges[0]).toMatchObject({ index: 2, text: '1' });
  expect(me.text()).toContain('消息');
  tapText(me, '内容审核');
  expect(weapp.navigations).toEqual(['/packages/admin/moderation/index']);
});

test('消息: a tap marks the message read and opens its page', async () => {
  const { weapp, requests } = staffWeapp((req, path) =>
    path === `/inbox/${joinRequested.id}/read` ? ok({ unread: 0 }) : undefined,
  );
  const inbox = weapp.open('packages/inbox/index/index');
  await until(() => inbox.text().includes('新的入户申请'), 'the message');
  expect(inbox.text()).toContain('1 条未读');
  tapText(inbox, '新的入户申请');
  await until(() => inbox.text().includes('没有未读消息'), 'the message read');
  expect(weapp.navigations).toEqual(['/packages/community/approvals/index']);
  expect(requests.some((r) => r.method === 'POST' && r.url.endsWith(`/inbox/${joinRequested.id}/read`))).toBe(true);
});

test('内容审核: 通过 takes the case off the queue and tells the service', async () => {
  const { weapp, requests } = staffWeapp((req, path) =>
    path === `/moderation/cases/${reviewCase.id}/approve` ? ok({ ...reviewCase, status: 'closed' }) : undefined,
  );
  const page = weapp.open('packages/admin/moderation/index');
  await until(() => page.text().includes('这里有测试待审词'), 'the case');
  expect(page.text()).toContain('文字待复核');
  tapText(page, '通过');
  await until(() => page.text().includes('没有待处理的内容'), 'the empty queue');
  expect(requests.at(-1)!.method).toBe('POST');
});

test('遮挡照片: a finger drag over the photo is sent in the display image’s pixels', async () => {
  const { weapp, requests } = staffWeapp((req, path) =>
    path === `/moderation/cases/${reviewCase.id}/redact-photo` || path === `/moderation/cases/${reviewCase.id}`
      ? ok(reviewCase)
      : undefined,
  );
  // The photo's frame on a 375 px wide phone: 12 px margins, 100 px down.
  wx().createSelectorQuery = () => {
    const callbacks: ((rect: object) => void)[] = [];
    const query = {
      select: () => query,
      boundingClientRect: (callback: (rect: object) => void) => (callbacks.push(callback), query),
      exec: () => callbacks.forEach((callback) => callback({ left: 12, top: 100, width: 351, height: 0 })),
    };
    return query;
  };
  const page = weapp.open('packages/admin/redact/index', { case: reviewCase.id, media: casePhoto.id });
  await until(() => byClass(page.root, 'redact__stage') !== undefined, 'the photo');
  const stage = byClass(page.root, 'redact__stage')!;
  const touch = (type: string, x: number, y: number) =>
    page.fire(stage, type, {
      touches: type === 'touchend' ? [] : [{ clientX: x, clientY: y }],
      changedTouches: [{ clientX: x, clientY: y }],
    });
  touch('touchstart', 12 + 10, 100 + 20);
  touch('touchmove', 12 + 110, 100 + 80);
  touch('touchend', 12 + 110, 100 + 80);
  await until(() => page.text().includes('已框选 1 处'), 'the rectangle');
  tapText(page, '确定');
  await until(() => requests.some((r) => r.method === 'POST'), 'the redaction');
  expect(requests.find((r) => r.method === 'POST')!.data).toEqual({
    mediaId: casePhoto.id,
    rects: [{ x: 30, y: 61, width: 309, height: 186 }],
  });
});
