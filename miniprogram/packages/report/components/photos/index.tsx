import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MediaView } from '../../../../../shared/schemas/platform';
import { mediaUrl } from '../../../../services/api';
import './index.scss';

/** A report's (or a fix's) photos; tap to see them large. Photos still in WeChat's check show 审核中. */
export function Photos({ media, size = 'normal' }: { media: MediaView[]; size?: 'normal' | 'large' }) {
  if (media.length === 0) return null;
  const shown = media.filter((m) => m.url && m.thumbUrl);
  const urls = shown.map((m) => mediaUrl(m.url!));
  return (
    <View className={`report-photos report-photos--${size}`}>
      {shown.map((m, i) => (
        <Image
          key={m.id}
          className="report-photos__photo"
          mode="aspectFill"
          src={mediaUrl(m.thumbUrl!)}
          onClick={() => void Taro.previewImage({ urls, current: urls[i]! })}
        />
      ))}
      {media
        .filter((m) => !m.url || !m.thumbUrl)
        .map((m) => (
          <View key={m.id} className="report-photos__photo report-photos__photo--checking">
            <Text>审核中</Text>
          </View>
        ))}
    </View>
  );
}
