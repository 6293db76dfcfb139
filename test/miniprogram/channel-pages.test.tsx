import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ChannelPage from '../../miniprogram/packages/community/channel';
import ChannelsPage from '../../miniprogram/packages/community/channels';
import NoticeEditPage from '../../miniprogram/packages/community/notice-edit';
import { __leaveAndComeBack, __pullDown, __reachBottom, __setRouterParams, __storage } from './doubles/taro';
import {
  captain,
  deferred,
  fail,
  ids,
  logIn,
  myChannels,
  newcomer,
  notice,
  ok,
  photo,
  resetApp,
  serve,
} from './fixtures';

beforeEach(resetApp);

test('我的频道 lists the four channels of my path; a newcomer is invited to join', async () => {
  logIn(captain());
  serve({ 'GET /channels': ok(myChannels) });
  const { unmount } = render(<ChannelsPage />);
  expect(await screen.findByText('单元群')).toBeTruthy();
  expect(screen.getAllByText(/群$/, { selector: '.channel-card__label' }).map((el) => el.textContent)).toEqual([
    '单元群',
    '楼栋群',
    '小区群',
    '社区群',
  ]);
  unmount();

  resetApp();
  logIn(newcomer());
  serve({ 'GET /channels': ok([]) });
  render(<ChannelsPage />);
  expect(await screen.findByText('加入社区后，这里会显示您的单元群、楼栋群、小区群和社区群。')).toBeTruthy();
});

test('a channel: pinned first, read receipts, unread ones marked 新 and marked read, more on reaching the bottom', async () => {
  logIn(captain());
  __setRouterParams({ id: ids.unit });
  const secondPage = deferred();
  const sent = serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit}/notices`]: (req) =>
      req.url.includes('cursor=')
        ? secondPage.route()
        : ok({
            items: [
              notice(1, { pinned: true, readByMe: false, receipts: { readHouseholds: 3, totalHouseholds: 12 } }),
              notice(2, { receipts: { readHouseholds: 5, totalHouseholds: 12 } }),
            ],
            nextCursor: 'cursor-2',
          }),
    [`POST /notices/${notice(1).id}/read`]: ok({ readHouseholds: 4, totalHouseholds: 12 }),
  });
  render(<ChannelPage />);
  expect(await screen.findByText('公告 1')).toBeTruthy();
  expect(Taro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '单元群 · 1单元' });
  expect(screen.getByText('置顶')).toBeTruthy();
  expect(screen.getByText('新')).toBeTruthy();
  expect(screen.getAllByText(/楼长 张\*\*/)).toHaveLength(2);
  // Shown, so marked read: the receipt now counts this household.
  expect(await screen.findByText('已读 4/12 户')).toBeTruthy();
  expect(screen.getByText('已读 5/12 户')).toBeTruthy();
  expect(sent.filter((r) => r.path.endsWith('/read'))).toHaveLength(1);

  await act(async () => __reachBottom());
  expect(screen.getByText('加载中…')).toBeTruthy();
  await act(async () => secondPage.release(ok({ items: [notice(3)], nextCursor: null })));
  expect(screen.getByText('公告 3')).toBeTruthy();
  expect(screen.getByText('没有更多了')).toBeTruthy();
  expect(sent.find((r) => r.url.includes('cursor='))!.url).toBe(
    `/api/channels/${ids.unit}/notices?cursor=cursor-2&limit=20`,
  );

  fireEvent.click(screen.getByText('发布公告'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/community/notice-edit/index?channel=${ids.unit}` });
});

test('pull-down and coming back from 发布公告 load the channel from the top again', async () => {
  logIn(captain());
  __setRouterParams({ id: ids.unit });
  let items = [notice(1)];
  serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit}/notices`]: () => ok({ items, nextCursor: null }),
  });
  render(<ChannelPage />);
  await screen.findByText('公告 1');
  items = [notice(4), notice(1)];
  await act(async () => __leaveAndComeBack());
  expect(screen.getByText('公告 4')).toBeTruthy();
  items = [notice(5)];
  await act(async () => __pullDown());
  expect(screen.queryByText('公告 1')).toBeNull();
  expect(screen.getByText('公告 5')).toBeTruthy();
});

test('a notice still under review says so; its photos show, and a tap opens them large', async () => {
  logIn(captain());
  __setRouterParams({ id: ids.unit });
  serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit}/notices`]: ok({
      items: [
        notice(1, {
          moderation: 'review',
          media: [photo(1), photo(2, false)],
        }),
      ],
      nextCursor: null,
    }),
  });
  render(<ChannelPage />);
  expect(await screen.findByText('审核中')).toBeTruthy();
  expect(screen.getByText('1 张图片审核中')).toBeTruthy();
  const [thumb] = screen.getAllByRole('img');
  expect(thumb!.getAttribute('src')).toBe('/api/media/d00000000000000000000001/thumb?sig=s');
  fireEvent.click(thumb!);
  expect(Taro.previewImage).toHaveBeenCalledWith({
    urls: ['/api/media/d00000000000000000000001/display?sig=s'],
    current: '/api/media/d00000000000000000000001/display?sig=s',
  });
});

test('a channel without notices says so; one that is not mine says it does not exist', async () => {
  logIn(newcomer());
  __setRouterParams({ id: ids.building });
  serve({
    'GET /channels': ok(myChannels.slice(1, 2)),
    [`GET /channels/${ids.building}/notices`]: ok({ items: [], nextCursor: null }),
  });
  const { unmount } = render(<ChannelPage />);
  expect(await screen.findByText('这里还没有公告')).toBeTruthy();
  expect(screen.queryByText('发布公告')).toBeNull();
  unmount();

  __setRouterParams({ id: ids.unit2 });
  serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit2}/notices`]: fail(403, 'FORBIDDEN'),
  });
  render(<ChannelPage />);
  expect(await screen.findByText('内容不存在或已被删除')).toBeTruthy();
});

test('发布公告 checks the lengths, keeps the text when sending fails, and goes back when posted', async () => {
  logIn(captain());
  __setRouterParams({ channel: ids.unit });
  let answer = fail(403, 'FORBIDDEN');
  const sent = serve({ [`POST /channels/${ids.unit}/notices`]: () => answer });
  render(<NoticeEditPage />);

  fireEvent.change(screen.getByPlaceholderText('2–40 个字'), { target: { value: '停' } });
  fireEvent.click(screen.getByText('发布'));
  expect(screen.getByRole('alert').textContent).toBe('标题需要 2–40 个字');

  fireEvent.change(screen.getByPlaceholderText('2–40 个字'), { target: { value: '周六停水' } });
  fireEvent.change(screen.getByPlaceholderText('公告正文：时间、地点、需要邻居们做什么'), {
    target: { value: '周六 8:00–12:00 检修水管，请提前储水。' },
  });
  await act(async () => fireEvent.click(screen.getByText('发布')));
  expect(screen.getByRole('alert').textContent).toBe('您没有权限进行此操作');
  expect((screen.getByPlaceholderText('2–40 个字') as HTMLInputElement).value).toBe('周六停水');

  answer = ok(notice(9, { moderation: 'review' }), 201);
  await act(async () => fireEvent.click(screen.getByText('发布')));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交审核' }));
  expect(sent.at(-1)!.body).toEqual({
    title: '周六停水',
    body: '周六 8:00–12:00 检修水管，请提前储水。',
    pinned: false,
  });
  expect(Taro.navigateBack).toHaveBeenCalled();
});

describe('its author (or staff) edits or withdraws a notice', () => {
  const mine = notice(1, { title: '周六停水通知', body: '周六上午停水', canManage: true });
  const others = notice(2, { title: '电梯维保', body: '周一电梯维保' });

  function showChannel(extra: Parameters<typeof serve>[0] = {}) {
    logIn(captain());
    __setRouterParams({ id: ids.unit });
    const sent = serve({
      'GET /channels': ok(myChannels),
      [`GET /channels/${ids.unit}/notices`]: ok({ items: [mine, others], nextCursor: null }),
      ...extra,
    });
    render(<ChannelPage />);
    return sent;
  }
  const card = (title: string) => screen.getByText(title).closest('.notice') as HTMLElement;

  test('编辑 in place: the new text shows marked 已编辑, and a tap on it shows what it said before', async () => {
    const sent = showChannel({
      [`PUT /notices/${mine.id}`]: ok({ ...mine, title: '周日停水通知', editedAt: '2026-11-21T02:00:00Z' }),
      [`GET /notices/${mine.id}/versions`]: ok([
        {
          title: '周六停水通知',
          body: '周六上午停水',
          replacedAt: '2026-11-21T02:00:00Z',
          editor: { displayName: '张**', role: 'building_captain' },
        },
      ]),
    });
    await screen.findByText('周六停水通知');
    expect(within(card('电梯维保')).queryByText('编辑')).toBeNull();
    expect(within(card('电梯维保')).queryByText('撤回')).toBeNull();

    fireEvent.click(within(card('周六停水通知')).getByText('编辑'));
    fireEvent.change(screen.getByDisplayValue('周六停水通知'), { target: { value: '周日停水通知' } });
    await act(async () => fireEvent.click(screen.getByText('保存')));
    expect(sent.find((r) => r.method === 'PUT')!.body).toEqual({ title: '周日停水通知', body: '周六上午停水' });
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存' }));

    await act(async () => fireEvent.click(within(card('周日停水通知')).getByText('已编辑')));
    expect(await screen.findByText(/修改前：/)).toBeTruthy();
    expect(within(card('周日停水通知')).getByText('周六停水通知')).toBeTruthy();
  });

  test('an edit refused keeps what was typed with the reason, gone once the text changes', async () => {
    showChannel({ [`PUT /notices/${mine.id}`]: fail(422, 'CONTENT_RISKY') });
    await screen.findByText('周六停水通知');
    fireEvent.click(within(card('周六停水通知')).getByText('编辑'));
    fireEvent.change(screen.getByDisplayValue('周六上午停水'), { target: { value: '出售违禁品' } });
    await act(async () => fireEvent.click(screen.getByText('保存')));
    expect(screen.getByRole('alert').textContent).toBe('内容未通过安全检查，请修改后再提交');
    expect(screen.getByDisplayValue('出售违禁品')).toBeTruthy();
    fireEvent.change(screen.getByDisplayValue('出售违禁品'), { target: { value: '周六上午停水两小时' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByText('取消'));
    expect(screen.getByText('周六上午停水')).toBeTruthy();
  });

  test('撤回 asks first, then the notice leaves the channel', async () => {
    const sent = showChannel({ [`POST /notices/${mine.id}/withdraw`]: { status: 204, body: null } });
    await screen.findByText('周六停水通知');
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false });
    await act(async () => fireEvent.click(within(card('周六停水通知')).getByText('撤回')));
    expect(sent.filter((r) => r.path.endsWith('/withdraw'))).toHaveLength(0);

    await act(async () => fireEvent.click(within(card('周六停水通知')).getByText('撤回')));
    expect(Taro.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '撤回这条公告？' }));
    expect(sent.filter((r) => r.path.endsWith('/withdraw'))).toHaveLength(1);
    expect(screen.queryByText('周六停水通知')).toBeNull();
    expect(screen.getByText('电梯维保')).toBeTruthy();
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤回' }));
  });
});

test('发布公告: a notice half written is kept for its channel and restored with a note; 清空 or posting forgets it', async () => {
  logIn(captain());
  __setRouterParams({ channel: ids.unit });
  serve({ [`POST /channels/${ids.unit}/notices`]: ok(notice(9), 201) });
  const first = render(<NoticeEditPage />);
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();
  fireEvent.change(screen.getByPlaceholderText('2–40 个字'), { target: { value: '周六停水' } });
  first.unmount();

  // Another channel's form starts empty.
  __setRouterParams({ channel: ids.building });
  const other = render(<NoticeEditPage />);
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();
  other.unmount();

  __setRouterParams({ channel: ids.unit });
  const again = render(<NoticeEditPage />);
  expect(screen.getByText('已恢复上次未提交的内容')).toBeTruthy();
  expect((screen.getByPlaceholderText('2–40 个字') as HTMLInputElement).value).toBe('周六停水');
  fireEvent.click(screen.getByText('清空'));
  expect((screen.getByPlaceholderText('2–40 个字') as HTMLInputElement).value).toBe('');
  again.unmount();
  render(<NoticeEditPage />);
  expect(screen.queryByText('已恢复上次未提交的内容')).toBeNull();

  fireEvent.change(screen.getByPlaceholderText('2–40 个字'), { target: { value: '周日停电' } });
  fireEvent.change(screen.getByPlaceholderText('公告正文：时间、地点、需要邻居们做什么'), {
    target: { value: '周日上午检修线路。' },
  });
  await act(async () => fireEvent.click(screen.getByText('发布')));
  expect(Taro.navigateBack).toHaveBeenCalled();
  expect([...__storage().keys()].filter((key) => key.startsWith('linli.notice-form'))).toEqual([]);
});
