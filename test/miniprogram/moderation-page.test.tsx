import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ModerationPage from '../../miniprogram/packages/admin/moderation';
import { __leaveAndComeBack, __reachBottom } from './doubles/taro';
import { captain, deferred, fail, logIn, ok, resetApp, serve } from './fixtures';
import { casePage, moderationCase, staff } from './platform-fixtures';

beforeEach(resetApp);

const reviewed = moderationCase(1);
const flagged = moderationCase(2, {
  reason: 'flags',
  itemState: 'hidden',
  text: { title: '免费领鸡蛋', body: '加微信领取' },
  author: { id: '600000000000000000000005', displayName: '赵**' },
  flags: [
    { reason: '广告', at: '2026-11-22T03:00:00Z' },
    { reason: '不实信息：冒充物业', at: '2026-11-22T04:00:00Z' },
    { reason: '广告', at: '2026-11-22T05:00:00Z' },
  ],
  media: [
    {
      id: 'd00000000000000000000001',
      checkStatus: 'pass',
      url: '/api/media/d00000000000000000000001/display?viewer=d00000000000000000000002&sig=s',
      width: 1080,
      height: 810,
    },
  ],
});

function card(text: string): HTMLElement {
  return screen.getByText(text).closest('.case') as HTMLElement;
}

function toasted(title: string): void {
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title }));
}

function titles(): string[] {
  return Array.from(document.querySelectorAll('.case')).map(
    (el) => el.querySelector('.case__field-text')!.textContent!,
  );
}

test('the open queue: why each item is here, its text, photos, author and flags', async () => {
  logIn(staff());
  const sent = serve({ 'GET /moderation/cases': ok(casePage([reviewed, flagged])) });
  render(<ModerationPage />);
  expect(await screen.findByText('待审公告 1')).toBeTruthy();
  expect(sent[0]!.url).toBe('/api/moderation/cases?status=open');
  expect(within(card('待审公告 1')).getByText('文字待复核')).toBeTruthy();
  expect(within(card('待审公告 1')).getByText('审核中')).toBeTruthy();
  expect(within(card('待审公告 1')).getByText('正文 1：测试待审词')).toBeTruthy();

  const reported = card('免费领鸡蛋');
  expect(within(reported).getByText('居民举报')).toBeTruthy();
  expect(within(reported).getByText('已隐藏')).toBeTruthy();
  expect(within(reported).getByText('公告')).toBeTruthy();
  expect(within(reported).getByText('发布者 赵**')).toBeTruthy();
  expect(within(reported).getByText('举报 3 次')).toBeTruthy();
  expect(within(reported).getByText(/不实信息：冒充物业/)).toBeTruthy();

  const photo = within(reported).getByRole('img');
  fireEvent.click(photo);
  expect(Taro.previewImage).toHaveBeenCalledWith({
    urls: ['/api/media/d00000000000000000000001/display?viewer=d00000000000000000000002&sig=s'],
    current: '/api/media/d00000000000000000000001/display?viewer=d00000000000000000000002&sig=s',
  });
  fireEvent.click(within(reported).getByText('遮挡'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({
    url: `/packages/admin/redact/index?case=${flagged.id}&media=d00000000000000000000001`,
  });
});

test('通过 takes the case off the queue at once; a refusal puts it back in its place', async () => {
  logIn(staff());
  const approval = deferred();
  let second = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serve({
    'GET /moderation/cases': ok(casePage([reviewed, flagged])),
    [`POST /moderation/cases/${reviewed.id}/approve`]: approval.route,
    [`POST /moderation/cases/${flagged.id}/approve`]: () => second,
  });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');

  fireEvent.click(within(card('待审公告 1')).getByText('通过'));
  expect(screen.queryByText('待审公告 1')).toBeNull();
  fireEvent.click(within(card('免费领鸡蛋')).getByText('通过'));
  expect(screen.getByText('没有待处理的内容')).toBeTruthy();

  await act(async () => approval.release(ok({ ...reviewed, status: 'closed', decision: 'approve' })));
  toasted('已通过');
  await act(async () => undefined);
  toasted('服务暂不可用，请稍后再试');
  expect(titles()).toEqual(['免费领鸡蛋']);
  expect(sent.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
    `/moderation/cases/${reviewed.id}/approve`,
    `/moderation/cases/${flagged.id}/approve`,
  ]);

  second = ok({ ...flagged, status: 'closed', decision: 'approve' });
  await act(async () => fireEvent.click(within(card('免费领鸡蛋')).getByText('通过')));
  expect(screen.getByText('没有待处理的内容')).toBeTruthy();
});

test('a case someone else already decided stays gone, with a note saying so', async () => {
  logIn(staff());
  serve({
    'GET /moderation/cases': ok(casePage([reviewed])),
    [`POST /moderation/cases/${reviewed.id}/hide`]: fail(409, 'CASE_CLOSED'),
  });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  await act(async () => fireEvent.click(screen.getByText('隐藏')));
  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '隐藏内容' }));
  toasted('该事项已处理完毕');
  expect(screen.getByText('没有待处理的内容')).toBeTruthy();
});

test('隐藏 asks first; cancelled, nothing is sent', async () => {
  logIn(staff());
  (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false });
  const sent = serve({ 'GET /moderation/cases': ok(casePage([reviewed])) });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  await act(async () => fireEvent.click(screen.getByText('隐藏')));
  expect(screen.getByText('待审公告 1')).toBeTruthy();
  expect(sent).toHaveLength(1);
});

test('编辑文字 edits the text inline and publishes it; a failure brings the editor back as typed', async () => {
  logIn(staff());
  let answer = fail(500, 'INTERNAL');
  const sent = serve({
    'GET /moderation/cases': ok(casePage([reviewed])),
    [`POST /moderation/cases/${reviewed.id}/edit`]: () => answer,
  });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  fireEvent.click(screen.getByText('编辑文字'));
  const body = () => document.querySelector('.case__editor textarea') as HTMLTextAreaElement;
  expect(body().value).toBe('正文 1：测试待审词');
  fireEvent.change(body(), { target: { value: '' } });
  fireEvent.click(screen.getByText('保存并发布'));
  expect(screen.getByRole('alert').textContent).toBe('正文需要 2–2000 个字');

  fireEvent.change(body(), { target: { value: '正文 1：***  ' } });
  await act(async () => fireEvent.click(screen.getByText('保存并发布')));
  toasted('服务器开小差了，请稍后再试');
  expect(body().value).toBe('正文 1：***  ');
  expect(sent.at(-1)!.body).toEqual({ text: { title: '待审公告 1', body: '正文 1：***' } });

  answer = ok({ ...reviewed, status: 'closed', decision: 'edit' });
  await act(async () => fireEvent.click(screen.getByText('保存并发布')));
  toasted('已发布');
  expect(screen.getByText('没有待处理的内容')).toBeTruthy();
});

test('取消 closes the editor without sending', async () => {
  logIn(staff());
  const sent = serve({ 'GET /moderation/cases': ok(casePage([reviewed])) });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  fireEvent.click(screen.getByText('编辑文字'));
  fireEvent.change(screen.getByDisplayValue('待审公告 1'), { target: { value: '改过的标题' } });
  fireEvent.click(screen.getByText('取消'));
  expect(screen.getByText('待审公告 1')).toBeTruthy();
  expect(screen.queryByText('保存并发布')).toBeNull();
  expect(sent).toHaveLength(1);
});

test('禁言 bans the author for some days with a reason; the case stays to be decided', async () => {
  logIn(staff());
  let answer = fail(404, 'NOT_FOUND');
  const sent = serve({
    'GET /moderation/cases': ok(casePage([flagged])),
    [`POST /moderation/users/${flagged.author.id}/ban`]: () => answer,
  });
  render(<ModerationPage />);
  await screen.findByText('免费领鸡蛋');
  fireEvent.click(screen.getByText('禁言'));
  expect(screen.getByText('禁言 赵**')).toBeTruthy();
  fireEvent.change(screen.getByPlaceholderText('1–365'), { target: { value: '400' } });
  fireEvent.click(screen.getByText('确认禁言'));
  expect(screen.getByRole('alert').textContent).toBe('禁言天数为 1–365 天');
  fireEvent.change(screen.getByPlaceholderText('1–365'), { target: { value: '30' } });
  fireEvent.click(screen.getByText('确认禁言'));
  expect(screen.getByRole('alert').textContent).toBe('请填写 2–100 字的禁言理由');

  fireEvent.change(screen.getByPlaceholderText('禁言理由（2–100 字）'), { target: { value: '多次发布广告' } });
  await act(async () => fireEvent.click(screen.getByText('确认禁言')));
  expect(screen.getByRole('alert').textContent).toBe('内容不存在或已被删除');
  expect((screen.getByPlaceholderText('禁言理由（2–100 字）') as HTMLInputElement).value).toBe('多次发布广告');

  answer = ok({ bannedUntil: '2026-12-22T00:00:00Z' });
  await act(async () => fireEvent.click(screen.getByText('确认禁言')));
  toasted('已禁言 30 天');
  expect(sent.at(-1)!.body).toEqual({ days: 30, reason: '多次发布广告' });
  expect(screen.queryByText('确认禁言')).toBeNull();
  expect(within(card('免费领鸡蛋')).getByText('通过')).toBeTruthy();
});

test('已处理 lists decided cases read-only; coming back refreshes the open queue', async () => {
  logIn(staff());
  let open = [reviewed];
  const sent = serve({
    'GET /moderation/cases': (req) =>
      req.url.includes('status=closed')
        ? ok(casePage([{ ...flagged, status: 'closed', decision: 'hide' }]))
        : ok(casePage(open)),
  });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  open = [reviewed, moderationCase(3)];
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('待审公告 3')).toBeTruthy();

  await act(async () => fireEvent.click(screen.getByText('已处理')));
  expect(screen.getByText('处理结果：已隐藏')).toBeTruthy();
  expect(screen.queryByText('通过')).toBeNull();
  expect(screen.queryByText('遮挡')).toBeNull();
  expect(sent.at(-1)!.url).toBe('/api/moderation/cases?status=closed');
});

test('someone who is not staff is told so; logged out, asked to log in', async () => {
  logIn(captain());
  serve({ 'GET /moderation/cases': fail(403, 'FORBIDDEN') });
  const { unmount } = render(<ModerationPage />);
  expect(await screen.findByText('您没有权限查看此内容')).toBeTruthy();
  // Asking again would not change it.
  expect(screen.queryByText('重试')).toBeNull();
  unmount();
  resetApp();
  render(<ModerationPage />);
  expect(screen.getByText('登录后处理待审内容')).toBeTruthy();
});

test('a long queue comes page by page as staff scroll, oldest first', async () => {
  logIn(staff());
  const sent = serve({
    'GET /moderation/cases': (req) =>
      req.url.includes('cursor=p2')
        ? ok(casePage([moderationCase(3)], null, 3))
        : ok(casePage([reviewed, flagged], 'p2', 3)),
  });
  render(<ModerationPage />);
  await screen.findByText('待审公告 1');
  expect(titles()).toEqual(['待审公告 1', '免费领鸡蛋']);
  expect(screen.getByText('查看更多')).toBeTruthy();
  await act(async () => __reachBottom());
  expect(titles()).toEqual(['待审公告 1', '免费领鸡蛋', '待审公告 3']);
  expect(sent.at(-1)!.url).toBe('/api/moderation/cases?status=open&cursor=p2');
  expect(screen.getByText('没有更多了')).toBeTruthy();
});

test('禁言中 lists who may not post, until when and why; 解除 asks first and takes them off', async () => {
  logIn(staff());
  const sent = serve({
    'GET /moderation/cases': ok(casePage([])),
    'GET /moderation/bans': ok([
      {
        userId: '600000000000000000000005',
        displayName: '赵**',
        bannedUntil: '2026-11-29T02:00:00Z',
        reason: '多次发布广告',
      },
      {
        userId: '600000000000000000000006',
        displayName: '钱**',
        bannedUntil: '2026-12-22T02:00:00Z',
        reason: '辱骂邻居',
      },
    ]),
    'DELETE /moderation/users/600000000000000000000005/ban': ok(null, 204),
  });
  render(<ModerationPage />);
  await screen.findByText('没有待处理的内容');
  await act(async () => fireEvent.click(screen.getByText('禁言中')));
  expect(await screen.findByText('原因：多次发布广告')).toBeTruthy();
  expect(screen.getByText('钱**')).toBeTruthy();
  expect(screen.getByText(/^禁言至 2026年11月29日/)).toBeTruthy();

  await act(async () => fireEvent.click(screen.getAllByText('解除')[0]!));
  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '解除禁言' }));
  expect(sent.at(-1)).toMatchObject({ method: 'DELETE', path: '/moderation/users/600000000000000000000005/ban' });
  expect(screen.queryByText('赵**')).toBeNull();
  expect(screen.getByText('钱**')).toBeTruthy();
  toasted('已解除禁言');
});
