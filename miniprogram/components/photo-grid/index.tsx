import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { MediaView } from '../../../shared/schemas/platform';
import { mediaUrl } from '../../services/api';

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
 */
export function PhotoGrid({ media, className, photoClassName, children }: PhotoGridProps) {
  const shown = media.filter((m) => m.url && m.thumbUrl);
  const urls = shown.map((m) => mediaUrl(m.url!));
  return (
    <View className={className}>
      {shown.map((m, i) => (
        <Image
          key={m.id}
          className={photoClassName}
          mode="aspectFill"
          src={mediaUrl(m.thumbUrl!)}
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
