import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import TimelinePage from '../../miniprogram/packages/admin/timeline';
import { __setEnv, __setRouterParams } from './doubles/taro';
import { captain, fail, logIn, notice, ok, resetApp, serve } from './fixtures';
import { staff, timelineEntry } from './platform-fixtures';

beforeEach(resetApp);

const noticeId = notice(1).id;
const entries = [
  timelineEntry('posted', { to: 'review' }),
  timelineEntry('moderation:edit', {
    from: 'review',
    to: 'visible',
    actor: '李**',
    actorRole: 'community_staff',
    at: '2026-11-21T03:30:00Z',
  }),
];
const csv =
  '\uFEFF时间,动作,原状态,新状态,操作人,角色,备注\n2026-11-21T02:00:00.000Z,posted,,review,张**,building_captain,\n';

function showTimeline(me = staff(), routes: Parameters<typeof serve>[0] = {}) {
  logIn(me);
  __setRouterParams({ notice: noticeId, title: encodeURIComponent('周六停水') });
  const sent = serve({ [`GET /notices/${noticeId}/timeline`]: ok(entries), ...routes });
  render(<TimelinePage />);
  return sent;
}

test('a notice’s 处理记录: what happened, the state it led to, who and when', async () => {
  showTimeline(captain());
  expect(await screen.findByText('公告「周六停水」')).toBeTruthy();
  // Newest first.
  expect((await screen.findAllByText(/^(发布|编辑文字后发布) · /)).map((el) => el.textContent)).toEqual([
    '编辑文字后发布 · 审核中 → 已发布',
    '发布 · 审核中',
  ]);
  expect(screen.getByText('社区工作者 李**')).toBeTruthy();
  expect(screen.getByText('楼长 张**')).toBeTruthy();
  // Exporting is for staff.
  expect(screen.queryByText('导出 CSV')).toBeNull();
});

test('staff in WeChat export the CSV into a text view and copy it', async () => {
  __setEnv('WEAPP');
  const sent = showTimeline(staff(), { [`GET /notices/${noticeId}/timeline/export`]: ok(csv) });
  await screen.findByText('发布 · 审核中');
  await act(async () => fireEvent.click(screen.getByText('导出 CSV')));
  expect(screen.getByText(/时间,动作,原状态/).textContent).toBe(csv.slice(1));
  fireEvent.click(screen.getByText('复制到剪贴板'));
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: csv.slice(1) });
  expect(sent.at(-1)!.url).toBe(`/api/notices/${noticeId}/timeline/export`);
});

test('staff in a browser download the CSV as a file', async () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:timeline');
  Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    expect(this.download).toBe(`timeline-notice-${noticeId}.csv`);
    expect(this.href).toBe('blob:timeline');
  });
  showTimeline(staff(), { [`GET /notices/${noticeId}/timeline/export`]: ok(csv) });
  await screen.findByText('发布 · 审核中');
  await act(async () => fireEvent.click(screen.getByText('导出 CSV')));
  expect(click).toHaveBeenCalledTimes(1);
  const blob = createObjectURL.mock.calls[0]![0];
  expect(blob.type).toBe('text/csv;charset=utf-8');
  // One byte-order mark for Excel, however the text arrived.
  expect(blob.size).toBe(new Blob([csv]).size);
  expect(screen.queryByText('复制到剪贴板')).toBeNull();
  click.mockRestore();
});

test('a failed export says why; a failed load offers 重试', async () => {
  let answer = fail(500, 'INTERNAL');
  // Asked for text, the error body comes as text too.
  const refused = fail(403, 'FORBIDDEN') as { status: number; body: unknown };
  showTimeline(staff(), {
    [`GET /notices/${noticeId}/timeline`]: () => answer,
    [`GET /notices/${noticeId}/timeline/export`]: { status: 403, body: JSON.stringify(refused.body) },
  });
  expect(await screen.findByText('服务器开小差了，请稍后再试')).toBeTruthy();
  answer = ok(entries);
  await act(async () => fireEvent.click(screen.getByText('重试')));
  await act(async () => fireEvent.click(screen.getByText('导出 CSV')));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '您没有权限进行此操作' }));
  expect((Taro.request as jest.Mock).mock.calls.at(-1)![0]).toMatchObject({ dataType: 'text' });
});
