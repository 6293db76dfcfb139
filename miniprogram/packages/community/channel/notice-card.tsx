import { Text, View } from '@tarojs/components';
import { AtTag } from 'taro-ui';
import { memo, useState } from 'react';
import type { NoticeView } from '../../../../shared/schemas/channels';
import { FlagAction } from '../../../components/flag-sheet';
import { PhotoGrid } from '../../../components/photo-grid';
import { formatTime, roleText } from '../../../utils/format';
import { openPage } from '../../../utils/routes';
import { adminRoutes } from '../../admin/routes';
import { NoticeEditor } from './notice-editor';
import { NoticeVersions } from './notice-versions';

/** Bodies longer than this start folded to a few lines; a tap unfolds them. */
const FOLD_AT = 90;

/** The notice's photos the viewer may see now; the others are still being checked. */
function Photos({ media }: { media: NoticeView['media'] }) {
  if (media.length === 0) return null;
  const checking = media.filter((m) => !m.thumbUrl || !m.url).length;
  return (
    <PhotoGrid media={media} className="notice__photos" photoClassName="notice__photo">
      {checking > 0 && <Text className="notice__checking">{checking} 张图片审核中</Text>}
    </PhotoGrid>
  );
}

export interface NoticeCardProps {
  notice: NoticeView;
  isNew: boolean;
  /** 处理记录 (the notice's timeline), for its author and staff. */
  showTimeline: boolean;
  /** 举报, on notices of others. */
  onFlag?: (notice: NoticeView) => void;
  /** The viewer flagged it already (this visit): 已举报 instead. */
  flagged?: boolean;
  /** 编辑 saved (its author and staff, `canManage`): the notice as it is now. */
  onEdited?: (notice: NoticeView) => void;
  /** 撤回 (its author and staff). */
  onWithdraw?: (notice: NoticeView) => void;
}

/**
 * A notice: pinned, new, under-review and 已编辑 (a tap shows what it said before) marks, title, body, photos,
 * who posted it when, read receipts for those who see them; 处理记录, 编辑, 撤回 and 举报 where they apply.
 */
export const NoticeCard = memo(function NoticeCard({
  notice,
  isNew,
  showTimeline,
  onFlag,
  flagged = false,
  onEdited,
  onWithdraw,
}: NoticeCardProps) {
  const foldable = notice.body.length > FOLD_AT;
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  const manage = notice.canManage && onEdited && onWithdraw;
  if (editing && onEdited) {
    return (
      <View className="notice">
        <NoticeEditor
          notice={notice}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onEdited(saved);
          }}
        />
      </View>
    );
  }
  return (
    <View className="notice" onClick={foldable ? () => setOpen(!open) : undefined}>
      <View className="notice__head">
        {notice.pinned && (
          <AtTag size="small" type="primary" active>
            置顶
          </AtTag>
        )}
        {notice.moderation === 'review' && <AtTag size="small">审核中</AtTag>}
        {/* Only staff see hidden notices. */}
        {notice.moderation === 'hidden' && <AtTag size="small">已隐藏</AtTag>}
        {isNew && <Text className="notice__new">新</Text>}
        <Text className="notice__title">{notice.title}</Text>
        {notice.editedAt && (
          <Text
            className="notice__edited"
            onClick={(event) => {
              event.stopPropagation();
              setHistory(!history);
            }}
          >
            已编辑
          </Text>
        )}
      </View>
      {history && <NoticeVersions noticeId={notice.id} />}
      <Text className={`notice__body${foldable && !open ? ' notice__body--folded' : ''}`}>{notice.body}</Text>
      {foldable && <Text className="notice__fold">{open ? '收起' : '展开全文'}</Text>}
      <Photos media={notice.media} />
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
      {(showTimeline || onFlag || manage) && (
        // Taps here must not fold or unfold the notice.
        <View className="notice__actions" onClick={(event) => event.stopPropagation()}>
          {showTimeline && (
            <Text
              className="notice__action"
              onClick={() => openPage(adminRoutes.noticeTimeline(notice.id, notice.title))}
            >
              处理记录
            </Text>
          )}
          {manage && (
            <>
              <Text className="notice__action" onClick={() => setEditing(true)}>
                编辑
              </Text>
              <Text className="notice__action" onClick={() => onWithdraw(notice)}>
                撤回
              </Text>
            </>
          )}
          {onFlag && <FlagAction className="notice__action" flagged={flagged} onFlag={() => onFlag(notice)} />}
        </View>
      )}
    </View>
  );
});
