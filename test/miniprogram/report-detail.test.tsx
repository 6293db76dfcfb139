import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { TimelineEntry } from '../../shared/schemas/platform';
import type { ReportView } from '../../shared/schemas/reports';
import ReportDetailPage from '../../miniprogram/packages/report/detail';
import { __setRouterParams } from './doubles/taro';
import { fail, logIn, ok, serve, type SentRequest } from './fixtures';
import { gridWorker, owner, photo, report, resetReportApp, serveUploads, step, stored } from './report-fixtures';
import { button } from './forms';

beforeEach(resetReportApp);

const base = report(1);
const path = `/reports/${base.id}`;

/** Plays GET /reports/:id and its timeline; a move answers with `after` and the timeline grows by `next`. */
function serveReport(
  before: ReportView,
  moves: Record<string, { after: ReportView; next: TimelineEntry } | { status: number; body?: unknown }> = {},
  extra: Parameters<typeof serve>[0] = {},
): SentRequest[] {
  let current = before;
  const timeline: TimelineEntry[] = [step('submit', null, 'submitted')];
  const routes: Parameters<typeof serve>[0] = {
    [`GET ${path}`]: () => ok(current),
    [`GET ${path}/timeline`]: () => ok([...timeline]),
    ...extra,
  };
  for (const [move, outcome] of Object.entries(moves)) {
    routes[`POST ${path}/${move}`] = () => {
      if (!('after' in outcome)) return outcome;
      current = outcome.after;
      timeline.push(outcome.next);
      return ok(current);
    };
  }
  return serve(routes);
}

async function open(): Promise<void> {
  __setRouterParams({ id: base.id });
  render(<ReportDetailPage />);
  await screen.findByText('处理进度');
  await screen.findByText('提交');
}

const buttons = () =>
  Array.from(document.querySelectorAll('.report-actions .at-button__text')).map((el) => el.textContent);
const problem = () => screen.getByRole('alert').textContent;
const toasted = (title: string) => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title }));
const sentTo = (sent: SentRequest[], move: string) => sent.filter((r) => r.path === `${path}/${move}`);

const resolved = report(1, {
  state: 'resolved',
  reporter: { displayName: '王阿姨', isMe: true },
  acceptBy: null,
  resolveBy: null,
  assignee: { kind: 'property', displayName: '物业' },
  resolution: { note: '楼道杂物已清理完毕', media: [photo(9)] },
  actions: ['confirm', 'reopen'],
});

test('the reporter sees the fix with its photo and confirms it with five stars and a word', async () => {
  logIn(owner());
  const closed = { ...resolved, state: 'closed' as const, actions: [], rating: { score: 5, comment: '很及时' } };
  const sent = serveReport(resolved, {
    confirm: { after: closed, next: step('confirm', 'resolved', 'closed', { note: '很及时' }) },
  });
  await open();
  expect(screen.getByText('待确认', { selector: '.report-state' })).toBeTruthy();
  expect(screen.getByText('楼道杂物已清理完毕')).toBeTruthy();
  expect(screen.getByText('报告人').nextSibling!.textContent).toBe('我');
  expect(screen.getByText('处理人').nextSibling!.textContent).toBe('物业');
  const fix = screen.getAllByRole('img').map((img) => img.getAttribute('src'));
  expect(fix).toContain(photo(9).thumbUrl);
  expect(buttons()).toEqual(['确认解决', '没解决']);

  fireEvent.click(button('确认解决'));
  await act(async () => fireEvent.click(button('提交评价')));
  expect(problem()).toBe('请选择 1–5 星');
  fireEvent.click(document.querySelectorAll('.at-rate__icon')[4]!);
  expect(screen.getByText('非常满意')).toBeTruthy();
  fireEvent.change(screen.getByPlaceholderText('说说处理得怎么样（选填）'), { target: { value: ' 很及时 ' } });
  await act(async () => fireEvent.click(button('提交评价')));

  expect(sentTo(sent, 'confirm')[0]!.body).toEqual({ score: 5, comment: '很及时' });
  toasted('感谢您的评价');
  expect(screen.getByText('已办结', { selector: '.report-state' })).toBeTruthy();
  expect(screen.getByLabelText('5 星')).toBeTruthy();
  expect(screen.getByText('很及时', { selector: '.report-detail__text' })).toBeTruthy();
  expect(screen.queryByText('确认解决')).toBeNull();
  // The timeline is read again: the confirmation is its newest step.
  expect(await screen.findByText('确认')).toBeTruthy();
  expect(Array.from(document.querySelectorAll('.timeline__title')).map((el) => el.textContent)).toEqual([
    '确认',
    '提交',
  ]);
});

test('没解决 needs a reason, keeps it when sending fails, and sends it back to the handler', async () => {
  logIn(owner());
  let answer: ReturnType<typeof ok> = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serveReport(
    resolved,
    {},
    {
      [`POST ${path}/reopen`]: () => answer,
    },
  );
  await open();
  fireEvent.click(button('没解决'));
  await act(async () => fireEvent.click(button('退回重新处理')));
  expect(problem()).toBe('请说明哪里没有解决（2–300 字）');
  fireEvent.change(screen.getByPlaceholderText('哪里还没解决？处理人会看到'), { target: { value: '二楼还有纸箱' } });
  await act(async () => fireEvent.click(button('退回重新处理')));
  expect(problem()).toBe('服务暂不可用，请稍后再试');
  expect((screen.getByPlaceholderText('哪里还没解决？处理人会看到') as HTMLTextAreaElement).value).toBe('二楼还有纸箱');

  answer = ok({ ...resolved, state: 'assigned', actions: [], reopenCount: 1 });
  await act(async () => fireEvent.click(button('退回重新处理')));
  expect(sentTo(sent, 'reopen').at(-1)!.body).toEqual({ note: '二楼还有纸箱' });
  toasted('已退回处理');
  expect(screen.getByText('已派单', { selector: '.report-state' })).toBeTruthy();
  expect(screen.getByText('1 次')).toBeTruthy();
});

test('a dispatcher sees only 受理 and 不予受理 on a new report; 受理 moves it on and offers 派单', async () => {
  logIn(gridWorker());
  const incoming = report(1, { actions: ['accept', 'reject'] });
  const accepted = {
    ...incoming,
    state: 'accepted' as const,
    acceptBy: null,
    resolveBy: new Date(Date.now() + 70 * 3600_000).toISOString(),
    actions: ['assign' as const],
  };
  const sent = serveReport(incoming, {
    accept: {
      after: accepted,
      next: step('accept', 'submitted', 'accepted', { actor: '周**', actorRole: 'grid_worker' }),
    },
  });
  await open();
  expect(buttons()).toEqual(['受理', '不予受理']);
  expect(screen.getByText('受理时限')).toBeTruthy();
  expect(screen.getByText('报告人').nextSibling!.textContent).toBe('某居民');

  await act(async () => fireEvent.click(button('受理')));
  expect(sentTo(sent, 'accept')).toHaveLength(1);
  toasted('已受理');
  expect(screen.getByText('已受理', { selector: '.report-state' })).toBeTruthy();
  expect(screen.getByText('办结时限')).toBeTruthy();
  expect(buttons()).toContain('派单');
  expect(await screen.findByText('网格员 周**')).toBeTruthy();
});

/** The move 不予受理 as the service answers it: the report rejected, and its timeline step. */
const rejectedAs = (incoming: ReportView, rejection: NonNullable<ReportView['rejection']>) => ({
  after: { ...incoming, state: 'rejected' as const, acceptBy: null, actions: [], rejection },
  next: step('reject', 'submitted', 'rejected'),
});

test('不予受理 as 重复报事 names the original among the same-category reports, and links to it', async () => {
  logIn(gridWorker());
  const incoming = report(1, { actions: ['accept', 'reject'] });
  const original = report(3, { state: 'assigned', description: '楼道纸箱堆积很久了，请物业清理一下' });
  const refused = report(4, { state: 'rejected' });
  const sent = serveReport(
    incoming,
    { reject: rejectedAs(incoming, { kind: 'duplicate', note: '与3号报事相同', duplicateOf: original.id }) },
    { 'GET /reports': ok({ items: [incoming, original, refused], nextCursor: null }) },
  );
  await open();
  fireEvent.click(button('不予受理'));
  fireEvent.click(screen.getByText('重复报事'));
  // The candidates: this category's reports the handler sees, minus this one and those already refused.
  const chip = await screen.findByText(/^楼道纸箱堆积很久了，请物业清理一…/);
  const chips = document.querySelectorAll('.move-form__duplicates .choice-chips__chip');
  expect(Array.from(chips).map((c) => c.textContent)).toEqual([chip.textContent]);
  const listed = new URL(`http://x${sent.find((r) => r.path === '/reports')!.url}`).searchParams;
  expect([listed.get('view'), listed.get('category')]).toEqual(['all', 'sanitation']);

  fireEvent.change(screen.getByPlaceholderText(/理由（报告人可见）/), { target: { value: '与3号报事相同' } });
  await act(async () => fireEvent.click(button('确认不予受理')));
  expect(problem()).toBe('请选择与之重复的报事');
  expect(sentTo(sent, 'reject')).toHaveLength(0);
  fireEvent.click(chip);
  await act(async () => fireEvent.click(button('确认不予受理')));
  expect(sentTo(sent, 'reject')[0]!.body).toEqual({
    kind: 'duplicate',
    note: '与3号报事相同',
    duplicateOf: original.id,
  });
  expect(screen.getByText('不予受理 · 重复报事')).toBeTruthy();
  expect(screen.queryByText('我也遇到')).toBeNull();
  fireEvent.click(screen.getByText('查看重复的原报事 ›'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/report/detail/index?id=${original.id}` });
});

test('不予受理 as 无效报事 needs only a reason', async () => {
  logIn(gridWorker());
  const incoming = report(1, { actions: ['accept', 'reject'] });
  const sent = serveReport(incoming, {
    reject: rejectedAs(incoming, { kind: 'invalid', note: '现场没有发现问题', duplicateOf: null }),
  });
  await open();
  fireEvent.click(button('不予受理'));
  await act(async () => fireEvent.click(button('确认不予受理')));
  expect(problem()).toBe('请填写 2–300 字的说明');
  fireEvent.change(screen.getByPlaceholderText(/理由（报告人可见）/), { target: { value: '现场没有发现问题' } });
  await act(async () => fireEvent.click(button('确认不予受理')));
  expect(sentTo(sent, 'reject')[0]!.body).toEqual({ kind: 'invalid', note: '现场没有发现问题' });
  expect(screen.getByText('不予受理 · 无效报事')).toBeTruthy();
  expect(screen.queryByText('查看重复的原报事 ›')).toBeNull();
});

test('派单 lists who may take it and sends the choice', async () => {
  logIn(gridWorker());
  const accepted = report(1, { state: 'accepted', acceptBy: null, actions: ['assign'] });
  const sent = serveReport(
    accepted,
    {
      assign: {
        after: {
          ...accepted,
          state: 'assigned',
          assignee: { kind: 'property', displayName: '物业' },
          actions: ['assign'],
        },
        next: step('assign', 'accepted', 'assigned'),
      },
    },
    {
      [`GET ${path}/assignees`]: ok([
        { kind: 'person', userId: '600000000000000000000009', displayName: '李社工', role: 'community_staff' },
        { kind: 'person', userId: '600000000000000000000003', displayName: '周网格', role: 'grid_worker' },
        { kind: 'property', userId: null, displayName: '物业', role: 'property_handler' },
      ]),
    },
  );
  await open();
  fireEvent.click(button('派单'));
  expect(await screen.findByText('李社工（社区工作者）')).toBeTruthy();
  await act(async () => fireEvent.click(button('确认派单')));
  expect(problem()).toBe('请选择处理人');
  fireEvent.click(screen.getByText('物业', { selector: '.at-tag' }));
  await act(async () => fireEvent.click(button('确认派单')));
  expect(sentTo(sent, 'assign')[0]!.body).toEqual({ assignee: { kind: 'property' } });
  toasted('已派单');
  expect(screen.getByText('处理人').nextSibling!.textContent).toBe('物业');
  // Assigned, it may still change hands.
  expect(buttons()).toEqual(['改派']);
});

test('the handler resolves with a note and a photo of the fix', async () => {
  logIn(gridWorker());
  const assigned = report(1, { state: 'assigned', acceptBy: null, actions: ['start', 'resolve'] });
  serveUploads(() => stored(7));
  const sent = serveReport(assigned, {
    resolve: {
      after: { ...assigned, state: 'resolved', actions: [], resolution: { note: '已清理', media: [photo(7)] } },
      next: step('resolve', 'assigned', 'resolved', { attachments: [photo(7).id], note: '已清理' }),
    },
  });
  await open();
  expect(buttons()).toEqual(['开始处理', '办结']);
  fireEvent.click(button('办结'));
  await act(async () => fireEvent.click(button('确认办结')));
  expect(problem()).toBe('请填写 2–300 字的说明');
  fireEvent.change(screen.getByPlaceholderText(/处理情况/), { target: { value: '已清理' } });
  await act(async () => fireEvent.click(button('确认办结')));
  expect(problem()).toBe('请上传至少一张处理后的照片');

  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  await act(async () => fireEvent.click(button('确认办结')));
  expect(sentTo(sent, 'resolve')[0]!.body).toEqual({ note: '已清理', mediaIds: [photo(7).id] });
  toasted('已办结');
  expect(screen.getByText('处理结果')).toBeTruthy();
  // The fix's photo shows beside its step too.
  const step7 = await screen.findByText('办结', { selector: '.timeline__title' });
  expect(
    within(step7.closest('.timeline__step') as HTMLElement)
      .getByRole('img')
      .getAttribute('src'),
  ).toBe(photo(7).thumbUrl);
});

test('moved by someone else first: says so and shows the report as it is now', async () => {
  logIn(gridWorker());
  let current = report(1, { actions: ['accept', 'reject'] });
  serve({
    [`GET ${path}`]: () => ok(current),
    [`GET ${path}/timeline`]: ok([step('submit', null, 'submitted')]),
    [`POST ${path}/accept`]: () => {
      current = { ...current, state: 'accepted', actions: [] };
      return fail(409, 'STALE_REPORT');
    },
  });
  await open();
  await act(async () => fireEvent.click(button('受理')));
  toasted('该报事刚被他人处理，已为您刷新');
  expect(screen.getByText('已受理', { selector: '.report-state' })).toBeTruthy();
  expect(screen.queryByText('受理', { selector: '.at-button__text' })).toBeNull();
});

test('another resident may join the report (我也遇到) and leave it again', async () => {
  logIn(owner());
  const theirs = report(1, { followerCount: 1 });
  const sent = serveReport(
    theirs,
    {},
    {
      [`POST ${path}/follow`]: ok({ ...theirs, following: true, followerCount: 2 }),
      [`DELETE ${path}/follow`]: ok({ ...theirs, following: false, followerCount: 1 }),
    },
  );
  await open();
  expect(buttons()).toEqual(['我也遇到']);
  await act(async () => fireEvent.click(button('我也遇到')));
  toasted('已关注');
  expect(screen.getByText('2 位邻居')).toBeTruthy();
  await act(async () => fireEvent.click(button('取消关注')));
  toasted('已取消关注');
  expect(sent.filter((r) => r.path === `${path}/follow`).map((r) => r.method)).toEqual(['POST', 'DELETE']);
});

test('an overdue report is marked with how late it is; a photo still being checked says 审核中', async () => {
  logIn(gridWorker());
  const late = report(1, {
    overdue: true,
    level: 'community',
    acceptBy: new Date(Date.now() - 2 * 3600_000 - 60_000).toISOString(),
    media: [photo(1), photo(2, false)],
  });
  serveReport(late);
  await open();
  expect(screen.getByText('已超期')).toBeTruthy();
  expect(screen.getByText('社区响应')).toBeTruthy();
  expect(screen.getByText(/（已超期 2小时/)).toBeTruthy();
  expect(screen.getByText('审核中')).toBeTruthy();
  expect(screen.getAllByRole('img')).toHaveLength(1);
});

test('a private report says 仅处理人员可见 on its page', async () => {
  logIn(owner());
  serveReport(report(1, { private: true }));
  await open();
  expect(screen.getByText('仅处理人员可见')).toBeTruthy();
});

test.each([
  [403, 'FORBIDDEN', '您没有权限查看此内容'],
  [404, 'NOT_FOUND', '内容不存在或已被删除'],
])('a report the caller cannot open (%i) says why, without a 重试 that cannot help', async (status, code, text) => {
  logIn(owner());
  serve({ [`GET ${path}`]: fail(status, code), [`GET ${path}/timeline`]: fail(status, code) });
  __setRouterParams({ id: base.id });
  render(<ReportDetailPage />);
  expect((await screen.findByRole('alert')).textContent).toBe(text);
  expect(screen.queryByText('重试')).toBeNull();
});

test('a failure that may pass (no signal) keeps 重试', async () => {
  logIn(owner());
  serve({ [`GET ${path}`]: fail(500, 'INTERNAL'), [`GET ${path}/timeline`]: fail(500, 'INTERNAL') });
  __setRouterParams({ id: base.id });
  render(<ReportDetailPage />);
  await screen.findByRole('alert');
  expect(screen.getByText('重试')).toBeTruthy();
});

test('联系上报人 (for those who handle it) asks for the name and phone on the tap, then 拨打电话 calls', async () => {
  logIn(gridWorker());
  const sent = serveReport(
    report(1, { canContactReporter: true }),
    {},
    {
      [`POST ${path}/reporter-contact`]: ok({ displayName: '王阿姨', phone: '13800000007' }),
    },
  );
  await open();
  expect(screen.queryByText(/13800000007/)).toBeNull();
  expect(sent.filter((r) => r.path.endsWith('/reporter-contact'))).toHaveLength(0);

  await act(async () => fireEvent.click(screen.getByText('联系上报人')));
  expect(screen.getByText('王阿姨 · 13800000007')).toBeTruthy();
  fireEvent.click(screen.getByText('拨打电话'));
  expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13800000007' });
});

test('a reporter without a phone: the name, and no call button', async () => {
  logIn(gridWorker());
  serveReport(
    report(1, { canContactReporter: true }),
    {},
    {
      [`POST ${path}/reporter-contact`]: ok({ displayName: '王阿姨', phone: null }),
    },
  );
  await open();
  await act(async () => fireEvent.click(screen.getByText('联系上报人')));
  expect(screen.getByText('王阿姨 · 未留手机号')).toBeTruthy();
  expect(screen.queryByText('拨打电话')).toBeNull();
});

test('residents and followers see no 联系上报人', async () => {
  logIn(owner());
  serveReport(report(1, { following: true }));
  await open();
  expect(screen.queryByText('联系上报人')).toBeNull();
});
