import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtIcon } from 'taro-ui';
import { memo, useCallback } from 'react';
import type { PhotoItem, PhotoUploads } from './use-photo-uploads';
import './index.scss';

export { usePhotoUploads } from './use-photo-uploads';
export type { PhotoItem, PhotoUploads, PhotoUploadsOptions } from './use-photo-uploads';

/**
 * Photos for a report, a fix or a notice: 1–3 taken or picked, each uploading at once with its progress,
 * a failed one with 重试 (same Idempotency-Key, so no duplicate) or, when it cannot be sent, its reason.
 *
 * Props:
 * - `photos` — the state from `usePhotoUploads({ max?, communityId?, initial?, retryDelaysMs? })` in the
 *   page, which reads `photos.mediaIds` for its request and `photos.ready` / `photos.uploading` to enable
 *   its submit button; keeping the state in the page means a failed submit keeps the photos.
 * - `disabled` — while the page submits: no adding, removing or retrying.
 * - `hint` — a line under the photos (what to photograph).
 *
 * ```tsx
 * const photos = usePhotoUploads({ max: 3 });
 * <PhotoUploader photos={photos} disabled={submitting} hint="拍下问题的全貌" />
 * await api.post({ ..., mediaIds: photos.mediaIds });
 * ```
 */
export function PhotoUploader({
  photos,
  disabled = false,
  hint,
}: {
  photos: PhotoUploads;
  disabled?: boolean;
  hint?: string;
}) {
  const { items, max, add, retry, remove } = photos;
  const paths = items.map((item) => item.path).join('\n');
  const preview = useCallback(
    (current: string) => void Taro.previewImage({ urls: paths.split('\n'), current }),
    [paths],
  );
  return (
    <View className="photo-uploader">
      <View className="photo-uploader__grid">
        {items.map((item) => (
          <PhotoTile
            key={item.key}
            item={item}
            disabled={disabled}
            onRetry={retry}
            onRemove={remove}
            onPreview={preview}
          />
        ))}
        {items.length < max && (
          <View
            className={`photo-uploader__add${disabled ? ' photo-uploader__add--disabled' : ''}`}
            onClick={disabled ? undefined : () => void add()}
          >
            <AtIcon value="camera" size="28" color="#999" />
            <Text className="photo-uploader__add-text">
              {items.length === 0 ? '拍照/相册' : `${items.length}/${max}`}
            </Text>
          </View>
        )}
      </View>
      {hint && <Text className="photo-uploader__hint">{hint}</Text>}
    </View>
  );
}

interface TileProps {
  item: PhotoItem;
  disabled: boolean;
  onRetry: (key: string) => void;
  onRemove: (key: string) => void;
  onPreview: (path: string) => void;
}

const PhotoTile = memo(function PhotoTile({ item, disabled, onRetry, onRemove, onPreview }: TileProps) {
  return (
    <View className={`photo-uploader__tile photo-uploader__tile--${item.status}`}>
      <Image className="photo-uploader__image" mode="aspectFill" src={item.path} onClick={() => onPreview(item.path)} />
      {item.status === 'uploading' && (
        <View className="photo-uploader__veil" aria-label={`上传中 ${item.progress}%`}>
          <Text className="photo-uploader__percent">{item.progress}%</Text>
          <View className="photo-uploader__bar">
            <View className="photo-uploader__bar-fill" style={{ width: `${item.progress}%` }} />
          </View>
        </View>
      )}
      {item.status === 'failed' && (
        <View className="photo-uploader__veil photo-uploader__veil--failed" role="alert">
          <Text className="photo-uploader__failed">{item.permanent ? item.error?.message : '上传失败'}</Text>
          {!item.permanent && (
            <Text
              className="photo-uploader__retry"
              onClick={disabled ? undefined : () => onRetry(item.key)}
              aria-disabled={disabled}
            >
              重试
            </Text>
          )}
        </View>
      )}
      {!disabled && (
        <View className="photo-uploader__remove" aria-label="删除照片" onClick={() => onRemove(item.key)}>
          <AtIcon value="close" size="12" color="#fff" />
        </View>
      )}
    </View>
  );
});
