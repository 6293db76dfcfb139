import { Text, View } from '@tarojs/components';
import type { MediaView } from '../../../../../shared/schemas/platform';
import { PhotoGrid } from '../../../../components/photo-grid';
import './index.scss';

/** A report's (or a fix's) photos; tap to see them large. Photos still in WeChat's check show 审核中. */
export function Photos({ media, size = 'normal' }: { media: MediaView[]; size?: 'normal' | 'large' }) {
  if (media.length === 0) return null;
  return (
    <PhotoGrid media={media} className={`report-photos report-photos--${size}`} photoClassName="report-photos__photo">
      {media
        .filter((m) => !m.url || !m.thumbUrl)
        .map((m) => (
          <View key={m.id} className="report-photos__photo report-photos__photo--checking">
            <Text>审核中</Text>
          </View>
        ))}
    </PhotoGrid>
  );
}
