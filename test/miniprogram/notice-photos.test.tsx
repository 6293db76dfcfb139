import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import NoticeEditPage from '../../miniprogram/packages/community/notice-edit';
import { __setRouterParams } from './doubles/taro';
import { captain, deferred, fail, ids, logIn, notice, ok, resetApp, serve } from './fixtures';
import { photo, serveUploads, stored } from './report-fixtures';

beforeEach(resetApp);

function fillIn(): void {
  fireEvent.change(screen.getByPlaceholderText('2–40 个字'), { target: { value: '楼道堆物清理' } });
  fireEvent.change(screen.getByPlaceholderText('公告正文：时间、地点、需要邻居们做什么'), {
    target: { value: '周六上午清理楼道堆物，请各户配合。' },
  });
}

test('发布公告 with photos: they upload as picked, and the notice names them', async () => {
  logIn(captain());
  __setRouterParams({ channel: ids.unit });
  (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
    tempFiles: [
      { tempFilePath: 'blob:photo-1', size: 800_000 },
      { tempFilePath: 'blob:photo-2', size: 900_000 },
    ],
  });
  const second = deferred();
  serveUploads((_upload, n) => (n === 0 ? stored(1) : second.route().then(() => stored(2))));
  let answer = fail(503, 'SERVICE_UNAVAILABLE');
  const sent = serve({ [`POST /channels/${ids.unit}/notices`]: () => answer });
  render(<NoticeEditPage />);
  expect(screen.getByText('可附 1–3 张照片（选填），审核通过后邻居可见')).toBeTruthy();
  fillIn();

  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(screen.getByText('2/3')).toBeTruthy();
  fireEvent.click(screen.getByText('发布'));
  expect(screen.getByRole('alert').textContent).toBe('照片还在上传，请稍候');
  expect(sent).toEqual([]);

  await act(async () => second.release(ok()));
  await act(async () => fireEvent.click(screen.getByText('发布')));
  // A failed submit keeps the text and the photos.
  expect(screen.getByRole('alert').textContent).toBe('服务暂不可用，请稍后再试');
  expect(screen.getAllByLabelText('删除照片')).toHaveLength(2);

  answer = ok(notice(9, { media: [photo(1), photo(2)] }), 201);
  await act(async () => fireEvent.click(screen.getByText('发布')));
  expect(sent.at(-1)!.body).toEqual({
    title: '楼道堆物清理',
    body: '周六上午清理楼道堆物，请各户配合。',
    pinned: false,
    mediaIds: [photo(1).id, photo(2).id],
  });
  expect(Taro.navigateBack).toHaveBeenCalled();
});

test('a photo that did not upload must be retried or removed before posting', async () => {
  logIn(captain());
  __setRouterParams({ channel: ids.unit });
  (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({ tempFiles: [{ tempFilePath: 'blob:bad', size: 1000 }] });
  serveUploads(() => ({ status: 400, body: { statusCode: 400, code: 'IMAGE_INVALID', message: 'x', reqId: 'r' } }));
  const sent = serve({ [`POST /channels/${ids.unit}/notices`]: ok(notice(9), 201) });
  render(<NoticeEditPage />);
  fillIn();
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  fireEvent.click(screen.getByText('发布'));
  expect(screen.getAllByRole('alert').map((el) => el.textContent)).toContain('有照片没有上传成功，请重试或删除');

  fireEvent.click(screen.getByLabelText('删除照片'));
  await act(async () => fireEvent.click(screen.getByText('发布')));
  expect(sent.at(-1)!.body).toEqual({
    title: '楼道堆物清理',
    body: '周六上午清理楼道堆物，请各户配合。',
    pinned: false,
  });
});
