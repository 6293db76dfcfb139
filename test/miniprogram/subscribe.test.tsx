import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ApprovalsPage from '../../miniprogram/packages/community/approvals';
import JoinPage from '../../miniprogram/packages/community/join';
import { askToSubscribe, prepareSubscribe } from '../../miniprogram/services/subscribe';
import { __setEnv, __setRouterParams } from './doubles/taro';
import { captain, joinRequest, logIn, newcomer, ok, preview, resetApp, serve } from './fixtures';

beforeEach(resetApp);

const templates = {
  'join.decided': 'tmpl-join-decided',
  'join.requested': 'tmpl-join-requested',
  'moderation.decided': 'tmpl-moderation',
};

const requestSubscribe = Taro.requestSubscribeMessage as unknown as jest.Mock;

/** Lets pending promises (the template load) settle. */
const settle = () => act(async () => undefined);

test('in WeChat: the dialog asks for the kinds given, and the accepted ones are reported to the service', async () => {
  __setEnv('WEAPP');
  logIn(captain());
  const sent = serve({
    'GET /subscriptions/templates': ok(templates),
    'POST /subscriptions': ok({ remaining: { 'join.decided': 1 } }),
  });
  prepareSubscribe();
  await settle();
  requestSubscribe.mockResolvedValueOnce({
    errMsg: 'requestSubscribeMessage:ok',
    'tmpl-join-decided': 'accept',
    'tmpl-moderation': 'reject',
  });

  const asking = askToSubscribe(['join.decided', 'moderation.decided']);
  // Prepared: WeChat's dialog opens within the tap, before anything is awaited.
  expect(requestSubscribe).toHaveBeenCalledWith({ tmplIds: ['tmpl-join-decided', 'tmpl-moderation'] });
  expect(await asking).toEqual(['join.decided']);
  expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
    ['GET', '/subscriptions/templates', undefined],
    ['POST', '/subscriptions', { accepted: ['join.decided'] }],
  ]);

  // The templates are loaded once per login.
  await askToSubscribe(['join.requested']);
  expect(sent.filter((r) => r.path === '/subscriptions/templates')).toHaveLength(1);
});

test('refused, or failing anywhere: nothing is reported and nothing breaks', async () => {
  __setEnv('WEAPP');
  logIn(captain());
  const sent = serve({ 'GET /subscriptions/templates': ok(templates) });
  requestSubscribe.mockResolvedValueOnce({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-join-decided': 'reject' });
  expect(await askToSubscribe(['join.decided'])).toEqual([]);

  requestSubscribe.mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP' });
  expect(await askToSubscribe(['join.decided'])).toEqual([]);

  // A kind the service has no template for is not asked about.
  expect(await askToSubscribe(['report.updated'])).toEqual([]);
  expect(requestSubscribe).toHaveBeenCalledTimes(2);
  expect(sent.filter((r) => r.method === 'POST')).toEqual([]);
});

test('in a browser (H5) there is no such dialog: no call, no request, no error', async () => {
  logIn(captain());
  const sent = serve({});
  prepareSubscribe();
  expect(await askToSubscribe(['join.decided'])).toEqual([]);
  expect(requestSubscribe).not.toHaveBeenCalled();
  expect(sent).toEqual([]);
});

test('submitting a join request in WeChat asks for the 审核结果 message in the same tap', async () => {
  __setEnv('WEAPP');
  logIn(newcomer());
  __setRouterParams({ code: 'K7M2PQ8X' });
  const sent = serve({
    'GET /join-requests': ok([]),
    'GET /invites/K7M2PQ8X': ok(preview),
    'GET /subscriptions/templates': ok(templates),
    'POST /subscriptions': ok({ remaining: { 'join.decided': 1 } }),
    'POST /join-requests': ok(joinRequest(), 201),
    'GET /me': ok(newcomer({ pendingJoinRequests: 1 })),
  });
  render(<JoinPage />);
  await screen.findByText('选择房号');
  fireEvent.click(screen.getByText('402'));
  fireEvent.click(screen.getByText('租户'));
  await act(async () => fireEvent.click(screen.getByText('提交申请')));
  expect(requestSubscribe).toHaveBeenCalledWith({ tmplIds: ['tmpl-join-decided'] });
  expect(await screen.findByText('等待楼长/单元长审核')).toBeTruthy();
  expect(sent.find((r) => r.path === '/subscriptions')!.body).toEqual({ accepted: ['join.decided'] });
  expect(sent.find((r) => r.path === '/join-requests' && r.method === 'POST')!.body).toEqual({
    code: 'K7M2PQ8X',
    room: '402',
    relation: 'tenant',
  });
});

test('待审批 in WeChat offers 接收新申请提醒; in a browser it does not', async () => {
  __setEnv('WEAPP');
  logIn(captain());
  const sent = serve({
    'GET /join-requests': ok([]),
    'GET /subscriptions/templates': ok(templates),
    'POST /subscriptions': ok({ remaining: { 'join.requested': 1 } }),
  });
  const { unmount } = render(<ApprovalsPage />);
  await screen.findByText('暂无待审批');
  await act(async () => fireEvent.click(screen.getByText('接收新申请提醒')));
  expect(requestSubscribe).toHaveBeenCalledWith({ tmplIds: ['tmpl-join-requested'] });
  expect(sent.find((r) => r.path === '/subscriptions')!.body).toEqual({ accepted: ['join.requested'] });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开启提醒' }));
  unmount();

  __setEnv('WEB');
  serve({ 'GET /join-requests': ok([]) });
  render(<ApprovalsPage />);
  await screen.findByText('暂无待审批');
  expect(screen.queryByText('接收新申请提醒')).toBeNull();
});
