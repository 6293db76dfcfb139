import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { parseInviteCode } from '../../miniprogram/packages/community/join/invite-code';
import JoinPage from '../../miniprogram/packages/community/join';
import { __setEnv, __setRouterParams } from './doubles/taro';
import { deferred, fail, joinRequest, logIn, newcomer, ok, preview, resetApp, serve } from './fixtures';

beforeEach(resetApp);

function typeInto(placeholder: string, value: string): void {
  fireEvent.change(screen.getByPlaceholderText(placeholder), { target: { value } });
}

function submitButton(): HTMLElement {
  return screen.getByText(/提交申请|提交中…/).closest('.at-button') as HTMLElement;
}

test('the code is found in a QR path, a link or a paste, and anything else is refused', () => {
  expect(parseInviteCode('packages/community/join/index?code=K7M2PQ8X')).toBe('K7M2PQ8X');
  // Scanned inside the app, the invite's WeChat mini-program code gives its page with the scene.
  expect(parseInviteCode('packages/community/join/index?scene=K7M2PQ8X')).toBe('K7M2PQ8X');
  expect(parseInviteCode('https://example.com/join?from=qr&code=k7m2pq8x')).toBe('K7M2PQ8X');
  expect(parseInviteCode('  K7M2 PQ8X ')).toBe('K7M2PQ8X');
  expect(parseInviteCode('邀请码')).toBeUndefined();
  expect(parseInviteCode('')).toBeUndefined();
});

test('logged out: asks to log in first', () => {
  serve({});
  render(<JoinPage />);
  expect(screen.getByText('登录后即可申请加入您所在的单元')).toBeTruthy();
  fireEvent.click(screen.getByText('去登录'));
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' });
});

test('paste a code, see the unit, pick room and relation, apply, wait for review, withdraw', async () => {
  logIn(newcomer());
  const submitted = deferred();
  const sent = serve({
    'GET /join-requests': ok([]),
    'GET /invites/K7M2PQ8X': ok(preview),
    'POST /join-requests': submitted.route,
    'GET /me': ok(newcomer({ pendingJoinRequests: 1 })),
    'POST /join-requests/f00000000000000000000001/cancel': ok(joinRequest({ status: 'cancelled' })),
  });
  render(<JoinPage />);
  expect(await screen.findByText('输入邀请码')).toBeTruthy();
  expect(screen.queryByText('扫码')).toBeNull();

  typeInto('粘贴或输入邀请码', 'k7m2pq8x');
  await act(async () => fireEvent.click(screen.getByText('查看邀请')));
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();
  expect(screen.getByText('4层')).toBeTruthy();

  fireEvent.click(screen.getByText('402'));
  fireEvent.click(screen.getByText('租户'));
  typeInto('例如：我是王阿姨的女儿，方便楼长核实', '  刚搬来的租户  ');
  fireEvent.click(screen.getByText('提交申请'));
  // While the service answers, the button shows progress and cannot be tapped twice.
  expect(screen.getByText('提交中…')).toBeTruthy();
  expect(submitButton().className).toContain('at-button--disabled');

  await act(async () => submitted.release(ok(joinRequest({ note: '刚搬来的租户' }), 201)));
  expect(sent.find((r) => r.method === 'POST')!.body).toEqual({
    code: 'K7M2PQ8X',
    room: '402',
    relation: 'tenant',
    note: '刚搬来的租户',
  });
  expect(screen.getByText('等待楼长/单元长审核')).toBeTruthy();
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元 · 402室')).toBeTruthy();
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '申请已提交' }));

  await act(async () => fireEvent.click(screen.getByText('撤回申请')));
  expect(Taro.showModal).toHaveBeenCalled();
  expect(await screen.findByText('输入邀请码')).toBeTruthy();
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤回' }));
});

test('a wrong or expired code says why in Chinese, and nothing is sent for text that is no code', async () => {
  logIn(newcomer());
  const sent = serve({ 'GET /join-requests': ok([]), 'GET /invites/ABCD2345': fail(404, 'INVITE_INVALID') });
  render(<JoinPage />);
  await screen.findByText('输入邀请码');

  typeInto('粘贴或输入邀请码', '请问');
  fireEvent.click(screen.getByText('查看邀请'));
  expect(screen.getByRole('alert').textContent).toBe('请输入楼长或单元长给您的邀请码（字母和数字）');

  typeInto('粘贴或输入邀请码', 'ABCD2345');
  await act(async () => fireEvent.click(screen.getByText('查看邀请')));
  expect(screen.getByRole('alert').textContent).toBe('邀请码无效、已过期或已撤销，请向楼长索取新的邀请码');
  expect(sent.map((r) => r.path)).toEqual(['/join-requests', '/invites/ABCD2345']);
});

test('a refused application keeps the choices and the note, and can be sent again', async () => {
  logIn(newcomer());
  let answer = fail(404, 'ROOM_NOT_FOUND');
  serve({
    'GET /join-requests': ok([]),
    'GET /invites/K7M2PQ8X': ok(preview),
    'POST /join-requests': () => answer,
    'GET /me': ok(newcomer()),
  });
  __setRouterParams({ code: 'K7M2PQ8X' });
  render(<JoinPage />);
  // Opened from the QR code: the unit shows without typing anything.
  expect(await screen.findByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();

  fireEvent.click(screen.getByText('提交申请'));
  expect(screen.getByRole('alert').textContent).toBe('请选择您家的房号');
  fireEvent.click(screen.getByText('101'));
  fireEvent.click(screen.getByText('提交申请'));
  expect(screen.getByRole('alert').textContent).toBe('请选择您与这户的关系');

  fireEvent.click(screen.getByText('业主'));
  typeInto('例如：我是王阿姨的女儿，方便楼长核实', '房产证在身边');
  await act(async () => fireEvent.click(screen.getByText('提交申请')));
  expect(screen.getByRole('alert').textContent).toBe('该单元没有这个房号，请重新选择');
  expect(screen.getByText('101').closest('.at-tag')!.className).toContain('at-tag--active');
  expect(screen.getByText('业主').closest('.at-tag')!.className).toContain('at-tag--active');
  expect((screen.getByPlaceholderText('例如：我是王阿姨的女儿，方便楼长核实') as HTMLTextAreaElement).value).toBe(
    '房产证在身边',
  );
  expect(submitButton().className).not.toContain('at-button--disabled');

  answer = fail(409, 'ALREADY_MEMBER');
  await act(async () => fireEvent.click(screen.getByText('提交申请')));
  expect(screen.getByRole('alert').textContent).toBe('您已经是这户的成员了');

  answer = ok(joinRequest({ room: '101', relation: 'owner' }), 201);
  await act(async () => fireEvent.click(screen.getByText('提交申请')));
  expect(screen.getByText('等待楼长/单元长审核')).toBeTruthy();
});

test('in WeChat, 扫码 reads the invite QR code and looks the code up', async () => {
  __setEnv('WEAPP');
  logIn(newcomer());
  (Taro.scanCode as jest.Mock).mockResolvedValueOnce({
    result: '',
    path: 'packages/community/join/index?code=K7M2PQ8X',
  });
  serve({ 'GET /join-requests': ok([]), 'GET /invites/K7M2PQ8X': ok(preview) });
  render(<JoinPage />);
  const scan = await screen.findByText('扫码');
  await act(async () => fireEvent.click(scan));
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();
});

test('a request already waiting shows at once', async () => {
  logIn(newcomer({ pendingJoinRequests: 1 }));
  serve({ 'GET /join-requests': ok([joinRequest({ note: '我是租户' })]) });
  render(<JoinPage />);
  expect(await screen.findByText('等待楼长/单元长审核')).toBeTruthy();
  expect(screen.getByText('备注：我是租户')).toBeTruthy();
});

test('opened by scanning the invite’s mini-program code, the page takes the code from the scene', async () => {
  logIn(newcomer());
  const sent = serve({
    'GET /join-requests': ok([]),
    'GET /invites/K7M2PQ8X': ok(preview),
    'GET /me': ok(newcomer()),
  });
  __setRouterParams({ scene: 'K7M2PQ8X' });
  render(<JoinPage />);
  expect(await screen.findByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();
  expect(sent.some((r) => r.path === '/invites/K7M2PQ8X')).toBe(true);
});
