import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ApprovalsPage from '../../miniprogram/packages/community/approvals';
import { captain, deferred, fail, joinRequest, logIn, ok, resetApp, serve } from './fixtures';

beforeEach(resetApp);

const older = joinRequest({
  id: 'f00000000000000000000002',
  room: '302',
  relation: 'family',
  applicant: { id: '600000000000000000000003', displayName: '王**' },
  note: '王阿姨的女儿',
  createdAt: '2026-11-20T02:00:00Z',
});
const newer = joinRequest();

function names(): string[] {
  return screen.queryAllByText(/\*\*/).map((el) => el.textContent!);
}

function toasted(title: string): void {
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title }));
}

test('lists each pending request: masked applicant, place, room, relation and note', async () => {
  logIn(captain());
  const sent = serve({ 'GET /join-requests': ok([newer, older]) });
  render(<ApprovalsPage />);
  expect(await screen.findByText('新*****')).toBeTruthy();
  expect(names()).toEqual(['新*****', '王**']);
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元 · 402室')).toBeTruthy();
  expect(screen.getByText('租户')).toBeTruthy();
  expect(screen.getByText('家庭成员')).toBeTruthy();
  expect(screen.getByText('备注：王阿姨的女儿')).toBeTruthy();
  expect(sent[0]!.url).toBe('/api/join-requests?view=review&status=pending');
});

test('通过 removes the request at once; when the last one is decided the page says 暂无待审批', async () => {
  logIn(captain());
  const approval = deferred();
  const sent = serve({
    'GET /join-requests': ok([newer]),
    [`POST /join-requests/${newer.id}/approve`]: approval.route,
  });
  render(<ApprovalsPage />);
  await screen.findByText('新*****');

  fireEvent.click(screen.getByText('通过'));
  // Gone before the service has answered.
  expect(screen.queryByText('新*****')).toBeNull();
  expect(screen.getByText('暂无待审批')).toBeTruthy();
  await act(async () => approval.release(ok(joinRequest({ status: 'approved' }))));
  toasted('已通过');
  expect(sent.at(-1)!.method).toBe('POST');
});

test('a failed approval puts the request back in its place and says why', async () => {
  logIn(captain());
  serve({
    'GET /join-requests': ok([newer, older]),
    [`POST /join-requests/${older.id}/approve`]: 'network-error',
  });
  render(<ApprovalsPage />);
  await screen.findByText('王**');
  await act(async () => fireEvent.click(screen.getAllByText('通过')[1]!));
  expect(names()).toEqual(['新*****', '王**']);
  toasted('网络不给力，请检查网络后重试');
});

test('拒绝 needs a reason; a failed rejection comes back with the reason still typed', async () => {
  logIn(captain());
  let answer: ReturnType<typeof ok> = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serve({
    'GET /join-requests': ok([newer]),
    [`POST /join-requests/${newer.id}/reject`]: () => answer,
  });
  render(<ApprovalsPage />);
  await screen.findByText('新*****');

  fireEvent.click(screen.getByText('拒绝'));
  fireEvent.click(screen.getByText('确认拒绝'));
  expect(screen.getByRole('alert').textContent).toBe('请填写 2–100 字的拒绝理由，申请人会看到');
  expect(sent).toHaveLength(1);

  const reason = () => screen.getByPlaceholderText('拒绝理由（申请人可见）') as HTMLInputElement;
  fireEvent.change(reason(), { target: { value: '本户没有租户登记' } });
  await act(async () => fireEvent.click(screen.getByText('确认拒绝')));
  toasted('服务暂不可用，请稍后再试');
  expect(screen.getByText('新*****')).toBeTruthy();
  expect(reason().value).toBe('本户没有租户登记');

  answer = ok(joinRequest({ status: 'rejected', reason: '本户没有租户登记' }));
  await act(async () => fireEvent.click(screen.getByText('确认拒绝')));
  expect(sent.at(-1)!.body).toEqual({ reason: '本户没有租户登记' });
  expect(screen.getByText('暂无待审批')).toBeTruthy();
  toasted('已拒绝');
});

test('a request someone else already decided stays gone, with a note saying so', async () => {
  logIn(captain());
  serve({
    'GET /join-requests': ok([newer]),
    [`POST /join-requests/${newer.id}/approve`]: fail(409, 'JOIN_REQUEST_DECIDED'),
  });
  render(<ApprovalsPage />);
  await screen.findByText('新*****');
  await act(async () => fireEvent.click(screen.getByText('通过')));
  expect(screen.getByText('暂无待审批')).toBeTruthy();
  toasted('该申请已被他人处理');
});

test('nothing to review shows the empty state; a failed load offers 重试', async () => {
  logIn(captain());
  let answer = fail(500, 'INTERNAL');
  serve({ 'GET /join-requests': () => answer });
  render(<ApprovalsPage />);
  expect(await screen.findByText('服务器开小差了，请稍后再试')).toBeTruthy();
  answer = ok([]);
  await act(async () => fireEvent.click(screen.getByText('重试')));
  expect(screen.getByText('暂无待审批')).toBeTruthy();
});
