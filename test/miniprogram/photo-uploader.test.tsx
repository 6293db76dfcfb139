import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { PhotoUploader, usePhotoUploads } from '../../miniprogram/components/photo-uploader';
import { __setEnv } from './doubles/taro';
import { deferred, logIn, ok, serve } from './fixtures';
import { owner, photo, resetReportApp, serveUploads, stored } from './report-fixtures';

beforeEach(resetReportApp);
afterEach(() => jest.useRealTimers());

/** A page using the uploader as the report and notice forms do: it shows the ids it would send. */
function Form({ disabled = false }: { disabled?: boolean }) {
  const photos = usePhotoUploads({ max: 3 });
  return (
    <div>
      <PhotoUploader photos={photos} disabled={disabled} hint="拍清问题的全貌" />
      <span data-testid="ids">{photos.mediaIds.join(',')}</span>
      <span data-testid="ready">{photos.ready ? 'ready' : 'not ready'}</span>
    </div>
  );
}

const ids = () => screen.getByTestId('ids').textContent;

test('picked photos upload at once with their progress; the form gets their ids', async () => {
  logIn(owner());
  (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
    tempFiles: [
      { tempFilePath: 'wxfile://tmp/photo-1', size: 1_000_000 },
      { tempFilePath: 'wxfile://tmp/photo-2', size: 1_500_000 },
    ],
  });
  const answers = [deferred(), deferred()];
  const sent = serveUploads((_upload, n) => answers[n]!.route().then(() => stored(n + 1)), [30, 70]);
  render(<Form />);
  expect(screen.getByText('拍照/相册')).toBeTruthy();
  expect(screen.getByText('拍清问题的全貌')).toBeTruthy();

  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(Taro.chooseMedia).toHaveBeenCalledWith(expect.objectContaining({ count: 3, mediaType: ['image'] }));
  expect(screen.getAllByText('70%')).toHaveLength(2);
  expect(screen.getByText('2/3')).toBeTruthy();
  expect(screen.getByTestId('ready').textContent).toBe('not ready');

  await act(async () => answers[0]!.release(ok()));
  expect(screen.getAllByText('70%')).toHaveLength(1);
  expect(ids()).toBe(photo(1).id);
  await act(async () => answers[1]!.release(ok()));
  expect(screen.queryByText(/%$/)).toBeNull();
  expect(ids()).toBe(`${photo(1).id},${photo(2).id}`);
  expect(screen.getByTestId('ready').textContent).toBe('ready');

  expect(sent.map((u) => [u.url, u.filePath, u.authorization])).toEqual([
    ['/api/media', 'wxfile://tmp/photo-1', 'Bearer access-1'],
    ['/api/media', 'wxfile://tmp/photo-2', 'Bearer access-1'],
  ]);
  expect(sent[0]!.key).toMatch(/^[\w-]{8,64}$/);
  expect(sent[0]!.key).not.toBe(sent[1]!.key);
});

test('a dropped connection is retried with the same key, then 重试 sends it again: one photo is stored', async () => {
  jest.useFakeTimers();
  logIn(owner());
  const sent = serveUploads((_upload, n) => (n < 3 ? 'network-error' : stored(1, 200)));
  render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  // Two retries on their own, a little apart…
  expect(sent).toHaveLength(1);
  await act(async () => jest.advanceTimersByTimeAsync(1_500));
  expect(sent).toHaveLength(2);
  await act(async () => jest.advanceTimersByTimeAsync(4_000));
  expect(sent).toHaveLength(3);
  // …then it is the user's call.
  expect(screen.getByText('上传失败')).toBeTruthy();
  expect(ids()).toBe('');
  await act(async () => jest.advanceTimersByTimeAsync(60_000));
  expect(sent).toHaveLength(3);

  await act(async () => fireEvent.click(screen.getByText('重试')));
  expect(screen.queryByText('上传失败')).toBeNull();
  expect(ids()).toBe(photo(1).id);
  expect(new Set(sent.map((u) => u.key)).size).toBe(1);
  expect(sent).toHaveLength(4);
});

test('an expired session is refreshed and the upload repeated with the same key', async () => {
  logIn(owner());
  serve({
    'POST /auth/refresh': ok({
      accessToken: 'access-2',
      expiresIn: 900,
      refreshToken: 'refresh-token-number-2',
      refreshExpiresAt: new Date(Date.now() + 86400_000).toISOString(),
      me: owner(),
    }),
  });
  const sent = serveUploads((upload) =>
    upload.authorization === 'Bearer access-1'
      ? { status: 401, body: { statusCode: 401, code: 'TOKEN_EXPIRED', message: 'x', reqId: 'r' } }
      : stored(1),
  );
  render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(ids()).toBe(photo(1).id);
  expect(sent.map((u) => u.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  expect(sent[0]!.key).toBe(sent[1]!.key);
});

test('a photo the service cannot read says why, offers no 重试, and can be removed', async () => {
  logIn(owner());
  serveUploads(() => ({ status: 415, body: { statusCode: 415, code: 'IMAGE_INVALID', message: 'x', reqId: 'r' } }));
  render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(screen.getByRole('alert').textContent).toBe('图片无法识别，请换一张');
  expect(screen.queryByText('重试')).toBeNull();
  fireEvent.click(screen.getByLabelText('删除照片'));
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByText('拍照/相册')).toBeTruthy();
});

test('a photo over 10 MB is refused before it is sent', async () => {
  logIn(owner());
  (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
    tempFiles: [{ tempFilePath: 'wxfile://tmp/huge', size: 12e6 }],
  });
  const sent = serveUploads(() => stored(1));
  render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(screen.getByRole('alert').textContent).toBe('图片超过 10MB，请换一张');
  expect(sent).toHaveLength(0);
});

test('in WeChat photos are compressed before they are uploaded; while the form submits nothing changes', async () => {
  __setEnv('WEAPP');
  logIn(owner());
  const sent = serveUploads(() => stored(1));
  const { rerender } = render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(Taro.compressImage).toHaveBeenCalledWith(expect.objectContaining({ src: 'wxfile://tmp/photo-1.jpg' }));
  expect(sent[0]!.filePath).toBe('wxfile://tmp/photo-1-compressed.jpg');
  expect(ids()).toBe(photo(1).id);

  rerender(<Form disabled />);
  expect(screen.queryByLabelText('删除照片')).toBeNull();
  await act(async () => fireEvent.click(screen.getByText('1/3')));
  expect(Taro.chooseMedia).toHaveBeenCalledTimes(1);
});

describe('H5: what the browser picker lets through', () => {
  /** The service's side of the browser's own upload (XMLHttpRequest): what was posted, answered with photo(1). */
  function serveBrowserUploads(): { file: Blob; headers: Record<string, string> }[] {
    const posted: { file: Blob; headers: Record<string, string> }[] = [];
    class FakeXhr {
      status = 0;
      responseText = '';
      upload: { onprogress?: unknown } = {};
      onload?: () => void;
      private headers: Record<string, string> = {};
      open() {}
      setRequestHeader(name: string, value: string) {
        this.headers[name] = value;
      }
      send(form: FormData) {
        posted.push({ file: form.get('file') as Blob, headers: this.headers });
        this.status = 201;
        this.responseText = JSON.stringify(photo(1));
        setTimeout(() => this.onload?.(), 0);
      }
    }
    jest.spyOn(globalThis, 'XMLHttpRequest').mockImplementation(() => new FakeXhr() as unknown as XMLHttpRequest);
    return posted;
  }
  afterEach(() => jest.restoreAllMocks());

  const file = (name: string, type: string, size: number) =>
    Object.assign(new Blob([new Uint8Array(Math.min(size, 1024))], { type }), { name });

  test('a file that is not an image is left out with a message naming it; the images picked with it go on', async () => {
    logIn(owner());
    const posted = serveBrowserUploads();
    (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
      tempFiles: [
        { tempFilePath: 'blob:bill', size: 50_000, originalFileObj: file('电费单.pdf', 'application/pdf', 50_000) },
        { tempFilePath: 'blob:lamp', size: 900_000, originalFileObj: file('lamp.jpg', 'image/jpeg', 900_000) },
      ],
    });
    render(<Form />);
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '只能选择图片，「电费单.pdf」不是图片' }),
    );
    expect(screen.getAllByRole('img')).toHaveLength(1);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 5)));
    expect(posted.map((p) => p.file.type)).toEqual(['image/jpeg']);
    expect(ids()).toBe(photo(1).id);
  });

  test('a photo over 10 MB is shrunk to a JPEG in the browser and sent, not refused', async () => {
    logIn(owner());
    const posted = serveBrowserUploads();
    const drawn: number[][] = [];
    const shrunk = new Blob([new Uint8Array(2048)], { type: 'image/jpeg' });
    Object.assign(globalThis, { createImageBitmap: jest.fn(async () => ({ width: 8000, height: 6000, close() {} })) });
    URL.createObjectURL = jest.fn(() => 'blob:shrunk');
    jest
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockImplementation(
        () => ({ drawImage: (...args: number[]) => drawn.push(args.slice(1)) }) as unknown as CanvasRenderingContext2D,
      );
    jest
      .spyOn(HTMLCanvasElement.prototype, 'toBlob')
      .mockImplementation((callback: BlobCallback, type?: string) => callback(type === 'image/jpeg' ? shrunk : null));
    (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({
      tempFiles: [{ tempFilePath: 'blob:huge', size: 14e6, originalFileObj: file('huge.png', 'image/png', 14e6) }],
    });
    render(<Form />);
    await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 5)));
    expect(drawn).toEqual([[0, 0, 2560, 1920]]);
    expect(screen.queryByRole('alert')).toBeNull();
    // FormData wraps the blob in a File: the re-encoded JPEG, 2 KB instead of 14 MB.
    expect(posted.map((p) => [p.file.type, p.file.size])).toEqual([['image/jpeg', shrunk.size]]);
    expect(ids()).toBe(photo(1).id);
  });
});

test('H5: a pick that brings nothing back (the browser could not read it as an image) says only images are taken', async () => {
  logIn(owner());
  (Taro.chooseMedia as jest.Mock).mockResolvedValueOnce({ tempFiles: [] });
  render(<Form />);
  await act(async () => fireEvent.click(screen.getByText('拍照/相册')));
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '只能选择图片，所选文件不是图片' }));
  expect(screen.queryAllByRole('img')).toHaveLength(0);
});
