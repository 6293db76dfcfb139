import { Text, View } from '@tarojs/components';
import { memo } from 'react';
import type { ChannelView } from '../../../shared/schemas/channels';
import { countText, formatTime } from '../../utils/format';
import { openPage, routes } from '../../utils/routes';
import './index.scss';

/** One of my channels (单元群…社区群): its place, unread count and latest notice; tap to open it. */
export const ChannelCard = memo(function ChannelCard({ channel }: { channel: ChannelView }) {
  const { node, label, unreadNotices, latestNotice } = channel;
  return (
    <View className="channel-card" onClick={() => openPage(routes.channel(node.id))}>
      <View className={`channel-card__avatar channel-card__avatar--${node.kind}`}>
        <Text>{label.slice(0, 2)}</Text>
      </View>
      <View className="channel-card__body">
        <View className="channel-card__head">
          <Text className="channel-card__name">{node.name}</Text>
          <Text className="channel-card__label">{label}</Text>
          {unreadNotices > 0 && (
            <Text className="channel-card__unread" aria-label={`${unreadNotices}条未读`}>
              {countText(unreadNotices)}
            </Text>
          )}
        </View>
        <Text className="channel-card__latest">
          {latestNotice ? `${latestNotice.title} · ${formatTime(latestNotice.publishedAt)}` : '暂无公告'}
        </Text>
      </View>
    </View>
  );
});
