import Taro from '@tarojs/taro';
import type { MediaView } from '../../shared/schemas/platform';
import { inWechat } from '../utils/platform';
import { answerOf, ApiError, withSession } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { ensurePrivacy, privacyRefusal } from './privacy';

/** The service's limit for one photo (POST /media). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * A key for one thing the phone sends (a photo, a report): sending it again with the same key gives back
 * the first one instead of a copy. 8–64 characters of [A-Za-z0-9_-], as the service requires.
 */
export function newIdempotencyKey(): string {
  const random = Array.from({ length: 3 }, () => Math.random().toString(36).slice(2, 8)).join('');
  return `${Date.now().toString(36)}-${random}`;
}

export interface PickedPhoto {
  path: string;
  size: number;
}

/**
 * Lets the user take up to `count` photos or pick them from the album. Resolves with none when they
 * cancel, or refuse the privacy agreement or the camera (then a message says so: the form stays as it was).
 * In WeChat the photos are compressed first (a phone photo is often 3–8 MB; a report needs less).
 */
export async function pickPhotos(count: number): Promise<PickedPhoto[]> {
  // H5: the privacy popup once before the first photo (WeChat asks by itself when chooseMedia runs).
  if (!(await ensurePrivacy())) return [];
  let files: { tempFilePath: string; size: number; originalFileObj?: Blob }[];
  try {
    ({ tempFiles: files } = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
    }));
  } catch (err) {
    const problem = privacyRefusal(err, '相机和相册');
    if (problem) void Taro.showToast({ title: problem, icon: 'none', duration: 2500 });
    return [];
  }
  // A browser's file picker may let any file through: only images go on, the others are named in a message.
  // (Taro's H5 chooseMedia itself drops a file it cannot load as an image: picked, yet none came back.)
  const notImages = files.filter((file) => file.originalFileObj && !file.originalFileObj.type.startsWith('image/'));
  if (notImages.length > 0 || (files.length === 0 && !inWechat())) {
    const names = notImages.map((file) => (file.originalFileObj as File).name ?? '').filter(Boolean);
    void Taro.showToast({
      title: `只能选择图片${names.length > 0 ? `，「${names.join('」「')}」不是图片` : '，所选文件不是图片'}`,
      icon: 'none',
      duration: 3000,
    });
  }
  const picked = files.filter((file) => !notImages.includes(file)).slice(0, count);
  for (const file of picked) if (file.originalFileObj) browserFiles.set(file.tempFilePath, file.originalFileObj);
  return Promise.all(picked.map((file) => compress({ path: file.tempFilePath, size: file.size })));
}

/**
 * H5: the files picked while this page lives, by the blob: URL that stands for them. They are sent as
 * they are: Taro's H5 uploadFile reads a blob: URL back over XHR, which the service's Content Security
 * Policy (connect-src 'self') forbids.
 */
const browserFiles = new Map<string, Blob>();

/** The long side of a photo re-encoded in the browser: plenty for a report, well under the 10 MB limit. */
const BROWSER_MAX_SIDE = 2560;

/**
 * H5: a photo over the service's limit is drawn on a canvas at most BROWSER_MAX_SIDE px long and re-encoded as
 * JPEG, instead of being refused; one under it goes as it is (the service re-encodes it anyway). A browser
 * that cannot decode it leaves it as picked, and the uploader says it is too large.
 */
async function shrinkInBrowser(photo: PickedPhoto): Promise<PickedPhoto> {
  const file = browserFiles.get(photo.path);
  if (!file || photo.size <= MAX_PHOTO_BYTES) return photo;
  try {
    const image = await createImageBitmap(file);
    const scale = Math.min(1, BROWSER_MAX_SIDE / Math.max(image.width, image.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    image.close();
    const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!jpeg) return photo;
    const path = URL.createObjectURL(jpeg);
    browserFiles.set(path, jpeg);
    return { path, size: jpeg.size };
  } catch {
    return photo;
  }
}

async function compress(photo: PickedPhoto): Promise<PickedPhoto> {
  // compressImage is WeChat's; the H5 build shrinks only what the service would refuse.
  if (!inWechat()) return shrinkInBrowser(photo);
  try {
    const { tempFilePath } = await Taro.compressImage({ src: photo.path, quality: 70 });
    return { path: tempFilePath, size: photo.size };
  } catch {
    return photo;
  }
}

export interface UploadOptions {
  /** 0–100 as the bytes leave the phone. */
  onProgress?: (percent: number) => void;
  /** Where the photo will be shown, when the user belongs to several communities. */
  communityId?: string;
}

function networkError(): ApiError {
  return new ApiError(ClientErrorCode.NETWORK, friendlyMessage(ClientErrorCode.NETWORK), 0);
}

/**
 * Uploads one photo (POST /media, multipart field `file`) with the session's token and `key` as its
 * Idempotency-Key. Fails with an ApiError: code NETWORK when the photo did not get through (retry with the
 * same key: the service answers a repeated key with the photo it already has, so nothing is stored twice).
 */
export async function uploadPhoto(path: string, key: string, options: UploadOptions = {}): Promise<MediaView> {
  const query = options.communityId ? `?communityId=${options.communityId}` : '';
  const response = await withSession(async (accessToken) => {
    const header: Record<string, string> = { 'Idempotency-Key': key };
    if (accessToken) header.Authorization = `Bearer ${accessToken}`;
    options.onProgress?.(0);
    const url = `${LINLI_API_BASE}/api/media${query}`;
    const file = browserFiles.get(path);
    let answer: { statusCode: number; data: unknown };
    try {
      answer = file
        ? await postFile(url, file, header, options.onProgress)
        : await sendFile(url, path, header, options);
    } catch (err) {
      throw err instanceof ApiError ? err : networkError();
    }
    return { statusCode: answer.statusCode, data: parseBody(answer.data) };
  });
  return answerOf<MediaView>(response);
}

/** wx.uploadFile (Taro.uploadFile) with its progress. */
async function sendFile(url: string, path: string, header: Record<string, string>, options: UploadOptions) {
  const task = Taro.uploadFile({ url, filePath: path, name: 'file', header, timeout: 60_000 });
  task.progress?.(({ progress }) => options.onProgress?.(progress));
  return task;
}

/** H5: the picked file as multipart `file`, with upload progress. */
function postFile(
  url: string,
  file: Blob,
  header: Record<string, string>,
  onProgress?: (percent: number) => void,
): Promise<{ statusCode: number; data: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    Object.entries(header).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.timeout = 60_000;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => resolve({ statusCode: xhr.status, data: xhr.responseText });
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => reject(new Error(`upload failed: ${xhr.status}`));
    const form = new FormData();
    form.append('file', file, 'photo.jpg');
    xhr.send(form);
  });
}

/** wx.uploadFile hands the body over as text. */
function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
