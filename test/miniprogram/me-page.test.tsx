import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import MePage from '../../miniprogram/pages/me';
import ReportDetailPage from '../../miniprogram/packages/report/detail';
import { currentSession } from '../../miniprogram/services/session';
import { __leaveAndComeBack, __setEnv, __setRouterParams } from './doubles/taro';
import { captain, fail, joinRequest, logIn, newcomer, ok, resetApp, serve, session } from './fixtures';

beforeEach(resetApp);

const demoUsers = [
  { key: 'captain', displayName: '张楼长', description: '楼长 · 阳光花园1栋' },
  { key: 'newcomer', displayName: '新邻居小林', description: '尚未加入社区（体验加入流程）' },
];

test('logged out on H5 in development: the demo accounts to pick from, and no WeChat button', async () => {
  const sent = serve({
    'GET /dev/demo-users': ok(demoUsers),
    'POST /dev/demo-code': ok({ code: 'demo-code-1' }),
    'POST /auth/login': ok(session(newcomer())),
    'GET /me': ok(newcomer()),
  });
  render(<MePage />);
  expect(screen.getByText('登录后可查看我的家庭、角色与消息')).toBeTruthy();
  expect(await screen.findByText('演示账号')).toBeTruthy();
  expect(screen.getByText('尚未加入社区（体验加入流程）')).toBeTruthy();
  expect(screen.queryByText('微信一键登录')).toBeNull();

  await act(async () => fireEvent.click(screen.getByText('新邻居小林')));
  expect(await screen.findByText('未绑定手机')).toBeTruthy();
  expect(sent.slice(1, 3).map((r) => [r.path, r.body])).toEqual([
    ['/dev/demo-code', { key: 'newcomer' }],
    ['/auth/login', { code: 'demo-code-1' }],
  ]);
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '登录成功' }));
  // A newcomer sees how to join, but no captain tools.
  expect(screen.getByText('尚未加入社区')).toBeTruthy();
  expect(screen.getByText('加入社区')).toBeTruthy();
  expect(screen.queryByText('待审批')).toBeNull();
  expect(screen.queryByText('邀请邻居')).toBeNull();
});

test('logged out on H5 without the WeChat stand-in: no picker, a hint to open it in WeChat', async () => {
  serve({ 'GET /dev/demo-users': fail(404, 'ROUTE_NOT_FOUND') });
  render(<MePage />);
  expect(await screen.findByText('请在微信中打开「邻里」小程序登录')).toBeTruthy();
  expect(screen.queryByText('演示账号')).toBeNull();
});

test('in WeChat: 微信一键登录 sends the wx.login code and shows progress; a failure says so', async () => {
  __setEnv('WEAPP');
  let answer = fail(401, 'WECHAT_CODE_INVALID');
  const sent = serve({
    'GET /dev/demo-users': fail(404, 'ROUTE_NOT_FOUND'),
    'POST /auth/login': () => answer,
    'GET /me': ok(captain()),
    'GET /join-requests': ok([]),
  });
  render(<MePage />);
  await act(async () => fireEvent.click(screen.getByText('微信一键登录')));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '微信登录凭证已失效，请重新登录' }));
  expect(currentSession()).toBeNull();

  answer = ok(session(captain()));
  await act(async () => fireEvent.click(screen.getByText('微信一键登录')));
  expect(await screen.findByText('张楼长')).toBeTruthy();
  expect(Taro.login).toHaveBeenCalledTimes(2);
  expect(sent.filter((r) => r.path === '/auth/login').map((r) => r.body)).toEqual([
    { code: 'wx-login-code' },
    { code: 'wx-login-code' },
  ]);
});

test('logged in as a captain: profile, roles with places, household with area, and the pending count', async () => {
  logIn(captain());
  const sent = serve({
    'GET /me': ok(captain()),
    'GET /join-requests': ok([joinRequest(), joinRequest({ id: 'f00000000000000000000002' })]),
  });
  render(<MePage />);
  expect(screen.getByText('张楼长')).toBeTruthy();
  expect(screen.getByText('手机 138****0005')).toBeTruthy();
  expect(screen.getByText('党员')).toBeTruthy();
  expect(screen.getByText('楼长')).toBeTruthy();
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋')).toBeTruthy();
  expect(screen.getByText('居民')).toBeTruthy();
  expect(screen.getByText('101室')).toBeTruthy();
  expect(screen.getByText('业主')).toBeTruthy();
  expect(screen.getByText('专有面积 89.50 ㎡')).toBeTruthy();
  expect(screen.getByText('邀请邻居')).toBeTruthy();
  await waitFor(() => expect(screen.getByText('待审批').closest('.at-list__item')!.textContent).toContain('2'));
  expect(sent.find((r) => r.path === '/join-requests')!.url).toBe('/api/join-requests?view=review&status=pending');

  fireEvent.click(screen.getByText('待审批'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/approvals/index' });
  fireEvent.click(screen.getByText('邀请邻居'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/invites/index' });
});

test('coming back to 我的 shows what changed meanwhile (an approved household)', async () => {
  logIn(newcomer({ pendingJoinRequests: 1 }));
  let me = newcomer({ pendingJoinRequests: 1 });
  serve({ 'GET /me': () => ok(me) });
  render(<MePage />);
  expect(await screen.findByText('加入申请审核中，请等待楼长或单元长通过')).toBeTruthy();

  me = newcomer({ households: captain().households });
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('101室')).toBeTruthy();
});

test('退出登录 asks first, ends the session on the service and shows the login again', async () => {
  logIn(captain());
  const sent = serve({
    'GET /me': ok(captain()),
    'GET /join-requests': ok([]),
    'POST /auth/logout': ok(null, 204),
    'GET /dev/demo-users': ok(demoUsers),
  });
  render(<MePage />);
  await act(async () => fireEvent.click(screen.getByText('退出登录')));
  expect(Taro.showModal).toHaveBeenCalled();
  expect(await screen.findByText('登录邻里')).toBeTruthy();
  expect(sent.find((r) => r.path === '/auth/logout')!.body).toEqual({ refreshToken: 'refresh-token-number-1' });
  expect(currentSession()).toBeNull();
});

test('when the session ends elsewhere (refresh token reused), the page falls back to logged out', async () => {
  logIn(captain());
  serve({
    'GET /me': fail(401, 'TOKEN_EXPIRED'),
    'GET /join-requests': fail(401, 'TOKEN_EXPIRED'),
    'POST /auth/refresh': fail(401, 'REFRESH_TOKEN_REUSED'),
    'GET /dev/demo-users': ok(demoUsers),
  });
  render(<MePage />);
  expect(await screen.findByText('登录邻里')).toBeTruthy();
  expect(await screen.findByText('演示账号')).toBeTruthy();
});

test('隐私与授权: the policy, my profile, my consents and my data from 我的; logged out, the policy still one tap away', async () => {
  serve({ 'GET /dev/demo-users': fail(404, 'ROUTE_NOT_FOUND') });
  const { unmount } = render(<MePage />);
  fireEvent.click(await screen.findByText('《隐私政策》'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/privacy/policy/index' });
  unmount();

  logIn(captain());
  const sent = serve({ 'GET /me': ok(captain()), 'GET /join-requests': ok([]) });
  render(<MePage />);
  // The profile brought up to date first.
  await waitFor(() => expect(sent.some((r) => r.path === '/me')).toBe(true));
  await act(async () => undefined);
  expect(screen.getByText('隐私与授权')).toBeTruthy();
  fireEvent.click(screen.getByText('隐私政策'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/privacy/policy/index' });
  fireEvent.click(screen.getByText('我的资料'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/privacy/profile/index' });
  fireEvent.click(screen.getByText('我的授权'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/privacy/consents/index' });
  fireEvent.click(screen.getByText('我的数据'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/privacy/data/index' });
});

test('a page that asked to log in is opened again once the user has, with its query', async () => {
  serve({
    'GET /dev/demo-users': ok(demoUsers),
    'POST /dev/demo-code': ok({ code: 'demo-code-1' }),
    'POST /auth/login': ok(session(captain())),
    'GET /me': ok(captain()),
    'GET /join-requests': ok([]),
    'POST /auth/logout': ok(null, 204),
  });
  __setRouterParams(
    { id: 'e10000000000000000000001', $taroTimestamp: '1700000000000' },
    '/packages/report/detail/index',
  );
  const asking = render(<ReportDetailPage />);
  fireEvent.click(screen.getByText('去登录'));
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' });
  asking.unmount();

  __setRouterParams({}, '/pages/me/index');
  render(<MePage />);
  await act(async () => undefined);
  await act(async () => fireEvent.click(await screen.findByText('张楼长')));
  expect(Taro.navigateTo).toHaveBeenCalledWith({
    url: '/packages/report/detail/index?id=e10000000000000000000001',
  });

  // Only once: logging in again later stays on 我的.
  (Taro.navigateTo as jest.Mock).mockClear();
  await act(async () => fireEvent.click(screen.getByText('退出登录')));
  await act(async () => fireEvent.click(await screen.findByText('张楼长')));
  expect(Taro.navigateTo).not.toHaveBeenCalled();
});
