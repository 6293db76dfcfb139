import { Text, View } from '@tarojs/components';
import { AtTag } from 'taro-ui';
import { memo, useState } from 'react';
import type { NoticeView } from '../../../../shared/schemas/channels';
import { formatTime, roleText } from '../../../utils/format';

/** Bodies longer than this start folded to a few lines; a tap unfolds them. */
const FOLD_AT = 90;

/** A notice: pinned and new marks, title, body, who posted it when, and read receipts for those who see them. */
export const NoticeCard = memo(function NoticeCard({ notice, isNew }: { notice: NoticeView; isNew: boolean }) {
  const foldable = notice.body.length > FOLD_AT;
  const [open, setOpen] = useState(false);
  return (
    <View className="notice" onClick={foldable ? () => setOpen(!open) : undefined}>
      <View className="notice__head">
        {notice.pinned && (
          <AtTag size="small" type="primary" active>
            置顶
          </AtTag>
        )}
        {isNew && <Text className="notice__new">新</Text>}
        <Text className="notice__title">{notice.title}</Text>
      </View>
      <Text className={`notice__body${foldable && !open ? ' notice__body--folded' : ''}`}>{notice.body}</Text>
      {foldable && <Text className="notice__fold">{open ? '收起' : '展开全文'}</Text>}
      <View className="notice__meta">
        <Text>
          {roleText(notice.author.role)} {notice.author.displayName} · {formatTime(notice.publishedAt)}
        </Text>
        {notice.receipts && (
          <Text className="notice__receipts">
            已读 {notice.receipts.readHouseholds}/{notice.receipts.totalHouseholds} 户
          </Text>
        )}
      </View>
    </View>
  );
});
