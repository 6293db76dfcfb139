import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState, type ReactNode } from 'react';
import type { MediaView } from '../../../shared/schemas/platform';
import { mediaUrl, platformApi } from '../../services/api';

export interface PhotoGridProps {
  /** The photos; those the viewer may not see yet (no url or thumbnail: still being checked) are left out. */
  media: MediaView[];
  /** The grid's class, and each photo's (the page's own sizes). */
  className: string;
  photoClassName: string;
  /** After the photos: what stands for those still being checked. */
  children?: ReactNode;
}

/**
 * Photos as thumbnails (a notice's, a report's, a timeline step's). A tap shows them large, from the one tapped,
 * and goes no further (a notice card would fold).
 *
 * Photo links live one to two hours and stop working when the item is hidden: a photo that fails to load asks
 * the service once for a fresh link, and is left out when the service no longer shows it.
 */
export function PhotoGrid({ media, className, photoClassName, children }: PhotoGridProps) {
  const [renewed, setRenewed] = useState<Record<string, MediaView | null>>({});
  function renew(photo: MediaView): void {
    const { id } = photo;
    if (Object.hasOwn(renewed, id)) return;
    // Asked once: while asking, and if the answer fails, the photo stays as it was.
    setRenewed((known) => ({ ...known, [id]: photo }));
    void platformApi.media(id).then(
      (fresh) => setRenewed((known) => ({ ...known, [id]: fresh })),
      (err: unknown) => {
        if ((err as { statusCode?: number }).statusCode === 404) setRenewed((known) => ({ ...known, [id]: null }));
      },
    );
  }
  const shown = media
    .map((m) => (Object.hasOwn(renewed, m.id) ? renewed[m.id] : m))
    .filter((m): m is MediaView => !!m?.url && !!m.thumbUrl);
  const urls = shown.map((m) => mediaUrl(m.url!));
  return (
    <View className={className}>
      {shown.map((m, i) => (
        <Image
          key={m.id}
          className={photoClassName}
          mode="aspectFill"
          src={mediaUrl(m.thumbUrl!)}
          onError={() => renew(m)}
          onClick={(event) => {
            event.stopPropagation();
            void Taro.previewImage({ urls, current: urls[i]! });
          }}
        />
      ))}
      {children}
    </View>
  );
}
