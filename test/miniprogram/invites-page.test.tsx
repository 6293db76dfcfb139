import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import InvitesPage from '../../miniprogram/packages/community/invites';
import HouseholdPage from '../../miniprogram/packages/community/household';
import { captain, fail, ids, invite, logIn, newcomer, nodeView, ok, resetApp, serve, unit } from './fixtures';

beforeEach(resetApp);

const unit2 = { ...unit, id: ids.unit2, name: '2单元', path: ['幸福里社区', '阳光花园', '1栋', '2单元'] };

test('a building captain picks a unit of their building, creates a code, copies it and revokes an old one', async () => {
  logIn(captain());
  const sent = serve({
    [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 12), nodeView(unit2, 12)]),
    [`GET /nodes/${ids.unit}/invites`]: ok([invite('OLDCODE2', { uses: 3 }), invite('GONE2345', { revoked: true })]),
    [`POST /nodes/${ids.unit}/invites`]: ok(invite('K7M2PQ8X'), 201),
    'GET /invites/K7M2PQ8X/wxacode': ok({ contentType: 'image/jpeg', data: '/9j/4AAQ' }),
    'DELETE /invites/OLDCODE2': ok(null, 204),
  });
  render(<InvitesPage />);
  // The captain's one building is opened at once: its units are the choice.
  expect(await screen.findByText('2单元')).toBeTruthy();
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋')).toBeTruthy();
  expect(screen.getAllByText('单元 · 12 户')).toHaveLength(2);

  await act(async () => fireEvent.click(screen.getByText('1单元')));
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();
  expect(screen.getByText(/已用 3 次/)).toBeTruthy();
  expect(screen.getByText(/已撤销/)).toBeTruthy();

  fireEvent.click(screen.getByText('30天'));
  await act(async () => fireEvent.click(screen.getByText('生成邀请码')));
  expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ ttlHours: 720 });
  expect(screen.getByText('K7M2PQ8X', { selector: '.invite-code__value' })).toBeTruthy();
  // The mini-program code for neighbours to scan with WeChat.
  const qr = await screen.findByLabelText('邀请码 K7M2PQ8X 的小程序码');
  expect(qr.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/4AAQ');
  fireEvent.click(screen.getByText('复制邀请码'));
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'K7M2PQ8X' });

  await act(async () => fireEvent.click(screen.getAllByText('撤销')[1]!));
  expect(Taro.showModal).toHaveBeenCalled();
  expect(sent.at(-1)).toMatchObject({ method: 'DELETE', path: '/invites/OLDCODE2' });
  expect(screen.getAllByText(/已撤销/)).toHaveLength(2);
});

test('when WeChat cannot make the mini-program code, the code itself is still there to copy, and 重试 asks again', async () => {
  logIn(captain());
  let qr = fail(503, 'WECHAT_UNAVAILABLE');
  const sent = serve({
    [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 12), nodeView(unit2, 12)]),
    [`GET /nodes/${ids.unit}/invites`]: ok([]),
    [`POST /nodes/${ids.unit}/invites`]: ok(invite('K7M2PQ8X'), 201),
    'GET /invites/K7M2PQ8X/wxacode': () => qr,
  });
  render(<InvitesPage />);
  await screen.findByText('2单元');
  await act(async () => fireEvent.click(screen.getByText('1单元')));
  await act(async () => fireEvent.click(screen.getByText('生成邀请码')));
  const retry = await screen.findByText('小程序码暂时生成不了，可复制邀请码发给邻居（点此重试）');
  expect(screen.getByText('复制邀请码')).toBeTruthy();
  qr = ok({ contentType: 'image/jpeg', data: '/9j/4AAQ' });
  await act(async () => fireEvent.click(retry));
  expect(await screen.findByLabelText('邀请码 K7M2PQ8X 的小程序码')).toBeTruthy();
  expect(sent.filter((r) => r.path === '/invites/K7M2PQ8X/wxacode')).toHaveLength(2);
});

test('someone without a captain or staff role is told who may invite', async () => {
  logIn(newcomer());
  serve({});
  render(<InvitesPage />);
  expect(screen.getByText('楼长、单元长和社区工作者可以在这里邀请邻居')).toBeTruthy();
});

test('我的家庭 shows the household with its members, or how to join', async () => {
  logIn(captain());
  const me = captain();
  me.households[0]!.members.push({ name: '王**', relation: 'family', isMe: false });
  serve({ 'GET /me': ok(me) });
  const { unmount } = render(<HouseholdPage />);
  expect(await screen.findByText('张楼长（我）')).toBeTruthy();
  expect(screen.getByText('王**')).toBeTruthy();
  expect(screen.getByText('专有面积 89.50 ㎡')).toBeTruthy();
  unmount();

  logIn(newcomer());
  serve({ 'GET /me': ok(newcomer()) });
  render(<HouseholdPage />);
  fireEvent.click(await screen.findByText('加入社区'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/community/join/index' });
});
