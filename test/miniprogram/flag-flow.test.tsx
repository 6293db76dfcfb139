import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ChannelPage from '../../miniprogram/packages/community/channel';
import { __setRouterParams } from './doubles/taro';
import { captain, deferred, fail, ids, logIn, myChannels, notice, ok, resetApp, serve } from './fixtures';
import { resident, staff } from './platform-fixtures';

beforeEach(resetApp);

const othersNotice = notice(1, {
  title: '免费领鸡蛋',
  author: { displayName: '赵**', role: 'property_handler', isMe: false },
});
const captainsNotice = notice(2, { title: '周六停水' });
/** The service says whose a notice is: the captain reads their own notice as theirs, others do not. */
const myNotice = { ...captainsNotice, author: { ...captainsNotice.author, isMe: true } };

function card(title: string): HTMLElement {
  return screen.getByText(title).closest('.notice') as HTMLElement;
}

function openChannel(routes: Parameters<typeof serve>[0] = {}, own = false) {
  __setRouterParams({ id: ids.unit });
  const sent = serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit}/notices`]: ok({
      items: [othersNotice, own ? myNotice : captainsNotice],
      nextCursor: null,
    }),
    ...routes,
  });
  render(<ChannelPage />);
  return sent;
}

test('举报 is offered on notices of others, not on my own; 处理记录 on my own', async () => {
  logIn(captain());
  openChannel({}, true);
  await screen.findByText('免费领鸡蛋');
  expect(within(card('免费领鸡蛋')).getByText('举报')).toBeTruthy();
  expect(within(card('免费领鸡蛋')).queryByText('处理记录')).toBeNull();
  expect(within(card('周六停水')).queryByText('举报')).toBeNull();
  fireEvent.click(within(card('周六停水')).getByText('处理记录'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({
    url: `/packages/admin/timeline/index?notice=${myNotice.id}&title=${encodeURIComponent('周六停水')}`,
  });
});

test('a resident flags a notice with a reason and a note, and sees the confirmation', async () => {
  logIn(resident());
  const flagging = deferred();
  const sent = openChannel({ 'POST /flags': flagging.route });
  await screen.findByText('免费领鸡蛋');
  // 王阿姨 posted neither: both can be flagged, neither shows its timeline.
  expect(screen.getAllByText('举报')).toHaveLength(2);
  expect(screen.queryByText('处理记录')).toBeNull();

  fireEvent.click(within(card('免费领鸡蛋')).getByText('举报'));
  expect(screen.getByText('「免费领鸡蛋」')).toBeTruthy();
  fireEvent.click(screen.getByText('提交举报'));
  expect(screen.getByRole('alert').textContent).toBe('请选择举报原因');

  fireEvent.click(screen.getByText('广告'));
  fireEvent.change(screen.getByPlaceholderText('补充说明（选填）'), { target: { value: '  是推销  ' } });
  fireEvent.click(screen.getByText('提交举报'));
  expect(screen.getByText('提交中…')).toBeTruthy();
  await act(async () => flagging.release(ok({ flags: 1, hidden: false })));

  expect(sent.at(-1)!.body).toEqual({ kind: 'notice', id: othersNotice.id, reason: '广告：是推销' });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交，感谢反馈' }));
  expect(screen.queryByText('提交举报')).toBeNull();
  // One flag does not hide it; it cannot be flagged twice.
  expect(screen.getByText('免费领鸡蛋')).toBeTruthy();
  expect(within(card('免费领鸡蛋')).getByText('已举报')).toBeTruthy();
  expect(within(card('免费领鸡蛋')).queryByText('举报')).toBeNull();
});

test('the flag that hides a notice takes it off the list at once', async () => {
  logIn(resident());
  openChannel({ 'POST /flags': ok({ flags: 3, hidden: true }) });
  await screen.findByText('免费领鸡蛋');
  fireEvent.click(within(card('免费领鸡蛋')).getByText('举报'));
  fireEvent.click(screen.getByText('涉及隐私'));
  await act(async () => fireEvent.click(screen.getByText('提交举报')));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交，感谢反馈' }));
  expect(screen.queryByText('免费领鸡蛋')).toBeNull();
  expect(screen.getByText('周六停水')).toBeTruthy();
});

test('其他 needs a note; a refused flag says why and keeps what was chosen and typed', async () => {
  logIn(resident());
  let answer = fail(409, 'ALREADY_FLAGGED');
  const sent = openChannel({ 'POST /flags': () => answer });
  await screen.findByText('免费领鸡蛋');
  fireEvent.click(within(card('免费领鸡蛋')).getByText('举报'));
  fireEvent.click(screen.getByText('其他'));
  fireEvent.click(screen.getByText('提交举报'));
  expect(screen.getByRole('alert').textContent).toBe('请说明举报原因');
  expect(sent.filter((r) => r.method === 'POST')).toEqual([]);

  const note = () => screen.getByPlaceholderText('请说明举报原因') as HTMLTextAreaElement;
  fireEvent.change(note(), { target: { value: '冒充物业收费' } });
  await act(async () => fireEvent.click(screen.getByText('提交举报')));
  expect(screen.getByRole('alert').textContent).toBe('您已经举报过这条内容');
  expect(note().value).toBe('冒充物业收费');
  expect(screen.getByText('提交举报').closest('.at-button')!.className).not.toContain('at-button--disabled');

  answer = fail(503, 'SERVICE_UNAVAILABLE');
  await act(async () => fireEvent.click(screen.getByText('提交举报')));
  expect(screen.getByRole('alert').textContent).toBe('服务暂不可用，请稍后再试');
  expect(sent.at(-1)!.body).toEqual({ kind: 'notice', id: othersNotice.id, reason: '其他：冒充物业收费' });

  // Closing the sheet leaves the notice as it was.
  fireEvent.click(document.querySelector('.layout-header__btn-close')!);
  expect(screen.queryByText('提交举报')).toBeNull();
  expect(screen.getByText('免费领鸡蛋')).toBeTruthy();
});

test('staff see every notice’s 处理记录, and a hidden notice is marked so', async () => {
  logIn(staff());
  __setRouterParams({ id: ids.unit });
  serve({
    'GET /channels': ok(myChannels),
    [`GET /channels/${ids.unit}/notices`]: ok({
      items: [notice(3, { moderation: 'hidden' }), notice(4, { moderation: 'review' })],
      nextCursor: null,
    }),
  });
  render(<ChannelPage />);
  await screen.findByText('公告 3');
  expect(screen.getAllByText('处理记录')).toHaveLength(2);
  expect(within(card('公告 3')).getByText('已隐藏')).toBeTruthy();
  expect(within(card('公告 4')).getByText('审核中')).toBeTruthy();
  // Neither is published: there is nothing to flag.
  expect(screen.queryByText('举报')).toBeNull();
});
