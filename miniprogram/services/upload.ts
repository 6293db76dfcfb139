import Taro from '@tarojs/taro';
import type { MediaView } from '../../shared/schemas/platform';
import { inWechat } from '../utils/platform';
import { answerOf, ApiError, withSession } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';

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
 * cancel. In WeChat the photos are compressed first (a phone photo is often 3–8 MB; a report needs less).
 */
export async function pickPhotos(count: number): Promise<PickedPhoto[]> {
  let files: { tempFilePath: string; size: number }[];
  try {
    ({ tempFiles: files } = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
    }));
  } catch {
    return [];
  }
  return Promise.all(files.slice(0, count).map((file) => compress({ path: file.tempFilePath, size: file.size })));
}

async function compress(photo: PickedPhoto): Promise<PickedPhoto> {
  // compressImage is WeChat's; the H5 build sends the picked file as it is (the service re-encodes it).
  if (!inWechat()) return photo;
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
    let answer: { statusCode: number; data: unknown };
    try {
      const task = Taro.uploadFile({
        url: `${LINLI_API_BASE}/api/media${query}`,
        filePath: path,
        name: 'file',
        fileName: 'photo.jpg',
        header,
        timeout: 60_000,
      });
      task.progress?.(({ progress }) => options.onProgress?.(progress));
      answer = await task;
    } catch {
      throw networkError();
    }
    return { statusCode: answer.statusCode, data: parseBody(answer.data) };
  });
  return answerOf<MediaView>(response);
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
