import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import SnapPage from '../../miniprogram/pages/snap';
import { saveDraft, submitReport, type ReportDraft } from '../../miniprogram/services/outbox';
import { __appShow, __setNetwork } from './doubles/taro';
import { deferred, fail, logIn, ok, serve, unit, type SentRequest } from './fixtures';
import { owner, photo, report, resetReportApp, serveUploads, staff, stored } from './report-fixtures';

beforeEach(resetReportApp);

function composed(overrides: Partial<ReportDraft> = {}): ReportDraft {
  return {
    key: 'report-key-0001',
    userId: owner().id,
    body: {
      category: 'sanitation',
      description: '1单元楼道堆满纸箱',
      nodeId: unit.id,
      showName: false,
      private: false,
    },
    photos: [
      { key: 'photo-key-0001', path: 'wxfile://tmp/photo-1' },
      { key: 'photo-key-0002', path: 'wxfile://tmp/photo-2' },
    ],
    categoryName: '环境卫生',
    placeName: '1栋1单元（本单元）',
    savedAt: new Date().toISOString(),
    ...overrides,
  };
}

const filed = report(1, { reporter: { displayName: '王阿姨', isMe: true } });

/** The service for 王阿姨's 随手拍 tab: her list holds the report once it is filed. */
function serveTab(
  post: (req: SentRequest) => ReturnType<typeof ok> | Promise<ReturnType<typeof ok>> | 'network-error',
) {
  let stored = false;
  return serve({
    'GET /reports': () => ok({ items: stored ? [filed] : [], nextCursor: null }),
    'POST /reports': async (req) => {
      const answer = await post(req);
      if (answer !== 'network-error' && answer.status < 300) stored = true;
      return answer;
    },
  });
}

const posts = (sent: SentRequest[]) => sent.filter((r) => r.method === 'POST' && r.path === '/reports');

test('a report composed without signal waits in 待发送 and is sent once when the connection returns', async () => {
  logIn(owner());
  let online = false;
  const uploads = serveUploads((upload) =>
    online ? stored(upload.filePath === 'wxfile://tmp/photo-1' ? 1 : 2) : 'network-error',
  );
  const sent = serveTab(() => (online ? ok(filed, 201) : 'network-error'));

  const outcome = await submitReport(composed());
  expect(outcome).toEqual({ queued: expect.objectContaining({ key: 'report-key-0001' }) });
  expect(Taro.getStorageSync('linli.report-outbox')).toHaveLength(1);

  render(<SnapPage />);
  expect(await screen.findByText('待发送（1）')).toBeTruthy();
  expect(screen.getByText('等待网络，联网后自动发送')).toBeTruthy();
  expect(screen.getByText('1单元楼道堆满纸箱')).toBeTruthy();
  expect(posts(sent)).toHaveLength(0);

  online = true;
  await act(async () => __setNetwork(true));
  expect(await screen.findByText(filed.description)).toBeTruthy();
  expect(screen.queryByText(/待发送/)).toBeNull();
  expect(Taro.getStorageSync('linli.report-outbox')).toEqual([]);
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '待发送的随手拍已提交' }));

  // Every photo went up with the key it was composed with; the report was filed once, with both photos.
  expect(new Set(uploads.map((u) => u.key))).toEqual(new Set(['photo-key-0001', 'photo-key-0002']));
  expect(posts(sent)).toHaveLength(1);
  expect(posts(sent)[0]!.body).toEqual({
    ...composed().body,
    mediaIds: [photo(1).id, photo(2).id],
    idempotencyKey: 'report-key-0001',
  });
});

test('a resend answered 200 (the first one got through after all) counts as sent; photos are not sent again', async () => {
  logIn(owner());
  const uploads = serveUploads((upload) => stored(upload.filePath === 'wxfile://tmp/photo-1' ? 1 : 2));
  let attempt = 0;
  const sent = serveTab(() => (attempt++ === 0 ? 'network-error' : ok(filed, 200)));

  expect(await submitReport(composed())).toEqual({ queued: expect.anything() });
  expect(uploads).toHaveLength(2);

  render(<SnapPage />);
  expect(await screen.findByText(filed.description)).toBeTruthy();
  await act(async () => __appShow());
  expect(screen.queryByText(/待发送/)).toBeNull();
  expect(posts(sent).map((r) => (r.body as { idempotencyKey: string }).idempotencyKey)).toEqual([
    'report-key-0001',
    'report-key-0001',
  ]);
  expect(uploads).toHaveLength(2);
});

test('the network returning, the app showing and 立即发送 at once still file the report once', async () => {
  logIn(owner());
  let online = false;
  serveUploads((upload) => (online ? stored(upload.filePath === 'wxfile://tmp/photo-1' ? 1 : 2) : 'network-error'));
  const answer = deferred();
  const sent = serveTab(() => (online ? answer.route() : 'network-error'));
  await submitReport(composed());
  render(<SnapPage />);
  await screen.findByText('待发送（1）');

  online = true;
  await act(async () => {
    __setNetwork(true);
    __appShow();
    fireEvent.click(screen.getByText('立即发送'));
  });
  expect(screen.getByText('发送中…')).toBeTruthy();
  await act(async () => answer.release(ok(filed, 201)));
  expect(screen.queryByText(/待发送/)).toBeNull();
  expect(posts(sent)).toHaveLength(1);
});

test('a draft the service refuses says why and waits to be changed or deleted', async () => {
  logIn(owner());
  let online = false;
  serveUploads((upload) => (online ? stored(upload.filePath === 'wxfile://tmp/photo-1' ? 1 : 2) : 'network-error'));
  const sent = serveTab(() => (online ? fail(422, 'CONTENT_RISKY') : 'network-error'));
  await submitReport(composed());
  render(<SnapPage />);
  await screen.findByText('待发送（1）');

  online = true;
  await act(async () => __setNetwork(true));
  expect(await screen.findByText('未能发送：内容未通过安全检查，请修改后再提交')).toBeTruthy();
  expect(screen.queryByText('立即发送')).toBeNull();
  // Refused drafts are not sent again by themselves.
  await act(async () => __appShow());
  expect(posts(sent)).toHaveLength(1);

  fireEvent.click(screen.getByText('修改'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/report/new/index?draft=report-key-0001' });
  await act(async () => fireEvent.click(screen.getByText('删除')));
  expect(Taro.showModal).toHaveBeenCalled();
  expect(screen.queryByText(/待发送/)).toBeNull();
  expect(Taro.getStorageSync('linli.report-outbox')).toEqual([]);
});

test('a draft belongs to who composed it: another account on the phone neither sees nor sends it', async () => {
  logIn(owner());
  serveUploads(() => 'network-error');
  await submitReport(composed());

  logIn(staff());
  const sent = serve({ 'GET /reports': ok({ items: [], nextCursor: null }) });
  serveUploads(() => stored(1));
  render(<SnapPage />);
  expect(await screen.findByText('待我处理')).toBeTruthy();
  await act(async () => __setNetwork(true));
  expect(screen.queryByText(/待发送/)).toBeNull();
  expect(posts(sent)).toHaveLength(0);
  expect(Taro.getStorageSync('linli.report-outbox')).toHaveLength(1);
});

test('in a browser, a draft whose photo went with an earlier page asks for the photo again', async () => {
  logIn(owner());
  // Composed in a page since reloaded: its photo was a blob: URL of that page, which no longer exists.
  saveDraft(composed({ photos: [{ key: 'photo-key-0003', path: 'blob:http://localhost/gone', page: 'earlier' }] }));
  const uploads = serveUploads(() => stored(3));
  const sent = serveTab(() => ok(filed, 201));
  render(<SnapPage />);
  expect(await screen.findByText('未能发送：照片已失效，请重新选择')).toBeTruthy();
  expect(uploads).toHaveLength(0);
  expect(posts(sent)).toHaveLength(0);
});
