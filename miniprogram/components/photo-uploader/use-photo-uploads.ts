import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorCode } from '../../../shared/errors';
import { ApiError, mediaUrl, toApiError } from '../../services/api';
import { ClientErrorCode } from '../../services/error-messages';
import { MAX_PHOTO_BYTES, newIdempotencyKey, pickPhotos, uploadPhoto } from '../../services/upload';

export type PhotoStatus = 'uploading' | 'done' | 'failed';

export interface PhotoItem {
  /** The upload's Idempotency-Key; also the item's identity. */
  key: string;
  /** The photo on the phone (shown while uploading and after). */
  path: string;
  status: PhotoStatus;
  /** 0–100 while uploading. */
  progress: number;
  /** Set once the service has the photo. */
  mediaId?: string;
  /** The service's link to it, once uploaded: a browser's blob: `path` dies with the page, this does not. */
  url?: string;
  error?: ApiError;
  /** Failed for a reason retrying cannot fix (not an image, too large): remove it instead. */
  permanent?: boolean;
}

export interface PhotoUploadsOptions {
  /** How many photos at most (the service takes 1–3 per report or notice). */
  max?: number;
  communityId?: string;
  /** Photos to start with, e.g. a saved draft's. Items not `done` are uploaded again with their keys. */
  initial?: PhotoItem[];
  /** Waits before each automatic retry after a dropped connection; then the user retries with 重试. */
  retryDelaysMs?: readonly number[];
}

export interface PhotoUploads {
  items: PhotoItem[];
  max: number;
  /** Opens the camera or album for the photos still allowed, and starts uploading what was picked. */
  add: () => Promise<void>;
  /** Uploads a failed photo again, with the same key. */
  retry: (key: string) => void;
  remove: (key: string) => void;
  /** The ids of the uploaded photos, in the order shown. */
  mediaIds: string[];
  uploading: boolean;
  /** Every photo is uploaded, and there is at least one. */
  ready: boolean;
}

const DEFAULT_RETRY_DELAYS_MS = [1_500, 4_000] as const;

const isPermanent = (error: ApiError) =>
  error.code === ErrorCode.IMAGE_INVALID ||
  error.code === ErrorCode.IMAGE_TOO_LARGE ||
  error.code === ErrorCode.PAYLOAD_TOO_LARGE ||
  error.code === ErrorCode.UNSUPPORTED_MEDIA_TYPE;

const tooLargeError = () => new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, '图片超过 10MB，请换一张', 413);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The state behind <PhotoUploader>: picks photos, uploads each at once with its own Idempotency-Key,
 * reports progress, retries a dropped connection by itself a few times and then offers 重试 — always with
 * the same key, so the service never stores a photo twice.
 */
export function usePhotoUploads({
  max = 3,
  communityId,
  initial,
  retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
}: PhotoUploadsOptions = {}): PhotoUploads {
  const [items, setItems] = useState<PhotoItem[]>(initial ?? []);
  // Keys being uploaded now: a retry tap while one is under way must not start a second upload.
  const active = useRef(new Set<string>());
  const removed = useRef(new Set<string>());

  const patch = useCallback((key: string, change: Partial<PhotoItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const upload = useCallback(
    async (key: string, path: string) => {
      if (active.current.has(key)) return;
      active.current.add(key);
      patch(key, { status: 'uploading', progress: 0, error: undefined, permanent: undefined });
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            const media = await uploadPhoto(path, key, {
              communityId,
              onProgress: (progress) => patch(key, { progress }),
            });
            const url = media.thumbUrl ?? media.url;
            patch(key, { status: 'done', progress: 100, mediaId: media.id, ...(url ? { url: mediaUrl(url) } : {}) });
            return;
          } catch (err) {
            const error = toApiError(err);
            const delay = retryDelaysMs[attempt];
            if (error.code !== ClientErrorCode.NETWORK || delay === undefined || removed.current.has(key)) {
              patch(key, { status: 'failed', error, permanent: isPermanent(error) });
              return;
            }
            await wait(delay);
          }
        }
      } finally {
        active.current.delete(key);
      }
    },
    [communityId, patch, retryDelaysMs],
  );

  // A draft's photos that never reached the service go up again as soon as the form shows.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    for (const item of initial ?? []) if (!item.mediaId) void upload(item.key, item.path);
  }, [initial, upload]);

  const add = useCallback(async () => {
    const room = max - items.length;
    if (room <= 0) return;
    const picked = await pickPhotos(room);
    const added: PhotoItem[] = picked.map(({ path, size }) => {
      const tooLarge = size > MAX_PHOTO_BYTES;
      return {
        key: newIdempotencyKey(),
        path,
        status: tooLarge ? 'failed' : 'uploading',
        progress: 0,
        ...(tooLarge ? { error: tooLargeError(), permanent: true } : {}),
      };
    });
    setItems((list) => [...list, ...added].slice(0, max));
    for (const item of added) if (item.status === 'uploading') void upload(item.key, item.path);
  }, [items.length, max, upload]);

  // The latest items for retry, so that it stays the same function while progress changes the list.
  const latest = useRef(items);
  useEffect(() => {
    latest.current = items;
  }, [items]);
  const retry = useCallback(
    (key: string) => {
      const item = latest.current.find((i) => i.key === key);
      if (item && item.status === 'failed' && !item.permanent) void upload(item.key, item.path);
    },
    [upload],
  );

  const remove = useCallback((key: string) => {
    removed.current.add(key);
    setItems((list) => list.filter((item) => item.key !== key));
  }, []);

  return useMemo(() => {
    const mediaIds = items.flatMap((item) => (item.mediaId ? [item.mediaId] : []));
    return {
      items,
      max,
      add,
      retry,
      remove,
      mediaIds,
      uploading: items.some((item) => item.status === 'uploading'),
      ready: items.length > 0 && mediaIds.length === items.length,
    };
  }, [items, max, add, retry, remove]);
}
