import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import InboxPage from '../../miniprogram/packages/inbox/index';
import HomePage from '../../miniprogram/pages/index';
import MePage from '../../miniprogram/pages/me';
import { __leaveAndComeBack, __pullDown, __reachBottom } from './doubles/taro';
import { captain, deferred, fail, logIn, myChannels, ok, resetApp, serve } from './fixtures';
import { casePage, message, moderationCase, staff } from './platform-fixtures';

beforeEach(resetApp);

function toasted(title: string): void {
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title }));
}

const unreadDots = () => screen.queryAllByLabelText('未读');

test('消息 lists my messages newest first with unread dots and the unread count; more on reaching the bottom', async () => {
  logIn(captain());
  const sent = serve({
    'GET /inbox': (req) =>
      req.url.includes('cursor=')
        ? ok({ items: [message(3, { read: true })], nextCursor: null, unread: 2 })
        : ok({
            items: [message(1), message(2, { kind: 'join.decided', link: 'pages/me/index' })],
            nextCursor: 'cursor-2',
            unread: 2,
          }),
  });
  render(<InboxPage />);
  expect(await screen.findByText('消息 1')).toBeTruthy();
  expect(screen.getByText('2 条未读')).toBeTruthy();
  expect(unreadDots()).toHaveLength(2);
  expect(screen.getByText('入户申请')).toBeTruthy();
  expect(screen.getByText('申请结果')).toBeTruthy();
  expect(screen.getByText('第 1 条消息的内容')).toBeTruthy();

  await act(async () => __reachBottom());
  expect(screen.getByText('消息 3')).toBeTruthy();
  expect(unreadDots()).toHaveLength(2);
  expect(screen.getByText('没有更多了')).toBeTruthy();
  expect(sent.map((r) => r.url)).toEqual(['/api/inbox?limit=20', '/api/inbox?cursor=cursor-2&limit=20']);
});

test('a tap marks the message read at once and opens its page: a subpackage page, or a tab with switchTab', async () => {
  logIn(captain());
  const reading = deferred();
  const sent = serve({
    'GET /inbox': ok({
      items: [message(1), message(2, { kind: 'join.decided', link: 'pages/me/index' })],
      nextCursor: null,
      unread: 2,
    }),
    [`POST /inbox/${message(1).id}/read`]: reading.route,
    [`POST /inbox/${message(2).id}/read`]: ok({ unread: 0 }),
  });
  render(<InboxPage />);
  await screen.findByText('消息 1');

  fireEvent.click(screen.getByText('消息 1'));
  // Read before the service has answered.
  expect(unreadDots()).toHaveLength(1);
  expect(screen.getByText('1 条未读')).toBeTruthy();
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/approvals/index' });
  await act(async () => reading.release(ok({ unread: 1 })));

  await act(async () => fireEvent.click(screen.getByText('消息 2')));
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' });
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1);
  expect(screen.getByText('没有未读消息')).toBeTruthy();
  expect(unreadDots()).toHaveLength(0);
  expect(sent.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
    `/inbox/${message(1).id}/read`,
    `/inbox/${message(2).id}/read`,
  ]);

  // Already read: a tap only opens the page.
  await act(async () => fireEvent.click(screen.getByText('消息 1')));
  expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);
  expect(Taro.navigateTo).toHaveBeenCalledTimes(2);
});

test('a message whose mark-read fails is unread again; one whose page this version lacks says so', async () => {
  logIn(captain());
  (Taro.navigateTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'navigateTo:fail page not found' });
  serve({
    'GET /inbox': ok({
      items: [message(1, { kind: 'report.updated', link: 'packages/report/detail/index?id=r1' })],
      nextCursor: null,
      unread: 1,
    }),
    [`POST /inbox/${message(1).id}/read`]: 'network-error',
  });
  render(<InboxPage />);
  await screen.findByText('消息 1');
  await act(async () => fireEvent.click(screen.getByText('消息 1')));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/report/detail/index?id=r1' });
  toasted('该页面暂不可用，请升级小程序');
  expect(unreadDots()).toHaveLength(1);
  expect(screen.getByText('1 条未读')).toBeTruthy();
});

test('全部已读 reads everything at once, and puts the dots back when the service refuses', async () => {
  logIn(captain());
  let answer = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serve({
    'GET /inbox': ok({ items: [message(1), message(2)], nextCursor: null, unread: 2 }),
    'POST /inbox/read-all': () => answer,
  });
  render(<InboxPage />);
  await screen.findByText('消息 1');

  await act(async () => fireEvent.click(screen.getByText('全部已读')));
  toasted('服务暂不可用，请稍后再试');
  expect(unreadDots()).toHaveLength(2);
  expect(screen.getByText('2 条未读')).toBeTruthy();

  answer = ok({ unread: 0 });
  await act(async () => fireEvent.click(screen.getByText('全部已读')));
  toasted('已全部标为已读');
  expect(unreadDots()).toHaveLength(0);
  expect(screen.getByText('全部已读').closest('.at-button')!.className).toContain('at-button--disabled');
  expect(sent.filter((r) => r.path === '/inbox/read-all')).toHaveLength(2);
});

test('no messages shows the empty state; a failed load offers 重试; pull-down and coming back refresh', async () => {
  logIn(captain());
  let answer = fail(500, 'INTERNAL');
  serve({ 'GET /inbox': () => answer });
  render(<InboxPage />);
  expect(await screen.findByText('服务器开小差了，请稍后再试')).toBeTruthy();
  answer = ok({ items: [], nextCursor: null, unread: 0 });
  await act(async () => fireEvent.click(screen.getByText('重试')));
  expect(screen.getByText('暂无消息')).toBeTruthy();

  answer = ok({ items: [message(5)], nextCursor: null, unread: 1 });
  await act(async () => __pullDown());
  expect(screen.getByText('消息 5')).toBeTruthy();
  answer = ok({ items: [message(6), message(5)], nextCursor: null, unread: 2 });
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('消息 6')).toBeTruthy();
  expect(screen.getByText('2 条未读')).toBeTruthy();
});

test('logged out, 消息 asks to log in', () => {
  serve({});
  render(<InboxPage />);
  expect(screen.getByText('登录后查看您的消息')).toBeTruthy();
});

test('我的 shows 消息 with the unread count and badges the 我的 tab; the badge goes when all is read', async () => {
  logIn(captain());
  let unread = 3;
  serve({
    'GET /me': ok(captain()),
    'GET /join-requests': ok([]),
    'GET /inbox': () => ok({ items: [], nextCursor: null, unread }),
  });
  render(<MePage />);
  await waitFor(() => expect(screen.getByText('消息').closest('.at-list__item')!.textContent).toContain('3'));
  expect(Taro.setTabBarBadge).toHaveBeenCalledWith({ index: 2, text: '3' });
  fireEvent.click(screen.getByText('消息'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/inbox/index/index' });

  unread = 0;
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('消息').closest('.at-list__item')!.textContent).not.toContain('3');
  expect(Taro.removeTabBarBadge).toHaveBeenCalledWith({ index: 2 });
  // Staff tools stay hidden from a captain.
  expect(screen.queryByText('内容审核')).toBeNull();
});

test('首页 badges the 我的 tab too, with 99+ for many', async () => {
  logIn(captain());
  serve({
    'GET /channels': ok(myChannels),
    'GET /me': ok(captain()),
    'GET /inbox': ok({ items: [], nextCursor: null, unread: 120 }),
  });
  render(<HomePage />);
  await waitFor(() => expect(Taro.setTabBarBadge).toHaveBeenCalledWith({ index: 2, text: '99+' }));
});

test('staff see 内容审核 on 我的 with the number of open cases, all pages counted', async () => {
  logIn(staff());
  serve({
    'GET /me': ok(staff()),
    'GET /join-requests': ok([]),
    'GET /inbox': ok({ items: [], nextCursor: null, unread: 0 }),
    'GET /moderation/cases': ok(casePage([moderationCase(1), moderationCase(2)], 'next', 57)),
  });
  render(<MePage />);
  await waitFor(() => expect(screen.getByText('内容审核').closest('.at-list__item')!.textContent).toContain('57'));
  fireEvent.click(screen.getByText('内容审核'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/admin/moderation/index' });
});
