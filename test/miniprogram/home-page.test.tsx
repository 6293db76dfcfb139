import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import HomePage from '../../miniprogram/pages/index';
import { __leaveAndComeBack, __pullDown } from './doubles/taro';
import { captain, deferred, fail, logIn, myChannels, newcomer, ok, resetApp, serve } from './fixtures';

beforeEach(resetApp);

test('logged out: a welcome with 登录 and 加入社区, and no call to the service', async () => {
  const sent = serve({});
  render(<HomePage />);
  expect(screen.getByText('欢迎来到邻里')).toBeTruthy();
  fireEvent.click(screen.getByText('登录'));
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' });
  fireEvent.click(screen.getByText('加入社区'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/join/index' });
  expect(sent).toEqual([]);
});

test('logged in with a household: the community name and my channels with unread counts and latest notices', async () => {
  logIn(captain());
  const channels = deferred();
  serve({ 'GET /channels': channels.route, 'GET /me': ok(captain()) });
  render(<HomePage />);
  expect(screen.getByText('幸福里社区', { selector: '.home__title' })).toBeTruthy();
  expect(screen.getByText('加载中…')).toBeTruthy();

  await act(async () => channels.release(ok(myChannels)));
  expect(screen.getByText('我的频道')).toBeTruthy();
  for (const label of ['单元群', '楼栋群', '小区群', '社区群']) expect(screen.getByText(label)).toBeTruthy();
  expect(screen.getByLabelText('2条未读').textContent).toBe('2');
  expect(screen.getByText(/周六上午停水通知/)).toBeTruthy();
  expect(screen.getAllByText('暂无公告')).toHaveLength(2);

  // The feature areas: each opens its subpackage.
  fireEvent.click(screen.getByText('微心愿'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/wishes/wall/index' });
  fireEvent.click(screen.getByText('红黑榜'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/boards/index/index' });
  fireEvent.click(screen.getByText('1单元'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({
    url: `/packages/community/channel/index?id=${myChannels[0]!.node.id}`,
  });
});

test('logged in but not joined: invites to join, or says the request is being reviewed', async () => {
  logIn(newcomer({ pendingJoinRequests: 1 }));
  let me = newcomer({ pendingJoinRequests: 1 });
  serve({ 'GET /channels': ok([]), 'GET /me': () => ok(me) });
  render(<HomePage />);
  expect(await screen.findByText('加入申请审核中')).toBeTruthy();
  fireEvent.click(screen.getByText('查看申请'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/join/index' });

  // Withdrawn meanwhile: back on 首页 the invitation to join returns.
  me = newcomer();
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('欢迎来到邻里')).toBeTruthy();
});

test('an error shows in Chinese with 重试; pull-down and coming back refresh the channels', async () => {
  logIn(captain());
  let answer = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serve({ 'GET /channels': () => answer, 'GET /me': ok(captain()) });
  render(<HomePage />);
  expect(await screen.findByText('服务暂不可用，请稍后再试')).toBeTruthy();

  answer = ok(myChannels.slice(0, 1));
  await act(async () => fireEvent.click(screen.getByText('重试')));
  expect(screen.getByText('单元群')).toBeTruthy();

  answer = ok(myChannels);
  await act(async () => __pullDown());
  expect(screen.getByText('社区群')).toBeTruthy();
  expect(Taro.stopPullDownRefresh).toHaveBeenCalled();

  await act(async () => __leaveAndComeBack());
  expect(sent.filter((r) => r.path === '/channels')).toHaveLength(4);
});
