import { Text, View } from '@tarojs/components';
import { AtIcon } from 'taro-ui';
import { memo } from 'react';
import type { NotificationView } from '../../../../shared/schemas/platform';
import { formatTime } from '../../../utils/format';

/** What a message is about, by the event kind that sent it; a kind this build does not know shows none. */
const kindLabel: Record<string, string> = {
  'join.requested': '入户申请',
  'join.decided': '申请结果',
  'moderation.decided': '内容审核',
  'report.updated': '随手拍',
};

/** One message: a dot while unread, what it is about, when; a tap reads it and opens its page. */
export const MessageRow = memo(function MessageRow({
  message,
  onOpen,
}: {
  message: NotificationView;
  onOpen: (message: NotificationView) => void;
}) {
  const label = kindLabel[message.kind];
  return (
    <View className={`message${message.read ? '' : ' message--unread'}`} onClick={() => onOpen(message)}>
      <View className="message__head">
        {!message.read && <View className="message__dot" aria-label="未读" />}
        {label && <Text className="message__kind">{label}</Text>}
        <Text className="message__title">{message.title}</Text>
        <Text className="message__time">{formatTime(message.createdAt)}</Text>
      </View>
      <View className="message__body">
        <Text className="message__text">{message.body}</Text>
        {message.link && <AtIcon value="chevron-right" size="16" color="#bbbbbb" />}
      </View>
    </View>
  );
});
