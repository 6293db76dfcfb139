import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtTag } from 'taro-ui';
import { memo } from 'react';
import type { ModerationCaseView } from '../../../../shared/schemas/platform';
import { mediaUrl } from '../../../services/api';
import { formatTime } from '../../../utils/format';
import { openPage } from '../../../utils/routes';
import { decisionLabel, fieldLabel, itemKindLabel, label, reasonLabel, stateLabel } from '../labels';
import { adminRoutes } from '../routes';
import { BanForm, TextEditor, type Draft } from './case-forms';

/** The case's photos; a tap shows them large, and on an open case 遮挡 opens the redaction editor. */
function Photos({ item, open }: { item: ModerationCaseView; open: boolean }) {
  if (item.media.length === 0) return null;
  const urls = item.media.map((m) => mediaUrl(m.url));
  return (
    <View className="case__photos">
      {item.media.map((photo, i) => (
        <View key={photo.id} className="case__photo">
          <Image
            className="case__photo-image"
            mode="aspectFill"
            src={urls[i]!}
            onClick={() => void Taro.previewImage({ urls, current: urls[i]! })}
          />
          {open && (
            <Text className="case__photo-redact" onClick={() => openPage(adminRoutes.redact(item.id, photo.id))}>
              遮挡
            </Text>
          )}
        </View>
      ))}
    </View>
  );
}

/** What staff can do with an open case; the list keeps the object stable. */
export interface CaseActions {
  onDraft: (id: string, draft: Draft | undefined) => void;
  onApprove: (item: ModerationCaseView) => void;
  onHide: (item: ModerationCaseView) => void;
  onEdit: (item: ModerationCaseView, text: Record<string, string>) => void;
}

export interface CaseCardProps {
  item: ModerationCaseView;
  /** The inline form being filled in (编辑文字 or 禁言), kept by the list so it survives a rollback. */
  draft?: Draft;
  /** Absent for a closed case. */
  actions?: CaseActions;
}

/**
 * One moderation case: why it is here, the item's text and photos, who posted it, the flags; on an open
 * case the decisions (通过, 隐藏, 编辑文字, 遮挡照片) and 禁言 for its author.
 */
export const CaseCard = memo(function CaseCard({ item, draft, actions }: CaseCardProps) {
  const open = item.status === 'open';
  return (
    <View className="case">
      <View className="case__head">
        <AtTag size="small" type="primary" active>
          {reasonLabel[item.reason]}
        </AtTag>
        <Text className="case__kind">{label(itemKindLabel, item.kind)}</Text>
        <Text className="case__state">{stateLabel[item.itemState]}</Text>
        <Text className="case__time">{formatTime(item.createdAt)}</Text>
      </View>
      <Text className="case__author">发布者 {item.author.displayName}</Text>

      {actions && draft?.mode === 'edit' ? (
        <TextEditor item={item} draft={draft} onDraft={actions.onDraft} onSave={actions.onEdit} />
      ) : (
        Object.entries(item.text).map(([field, value]) => (
          <View key={field} className="case__field">
            <Text className="case__field-label">{label(fieldLabel, field)}</Text>
            <Text className="case__field-text">{value}</Text>
          </View>
        ))
      )}

      <Photos item={item} open={open && actions !== undefined} />

      {item.flags.length > 0 && (
        <View className="case__flags">
          <Text className="case__flags-title">举报 {item.flags.length} 次</Text>
          {item.flags.map((flag, i) => (
            <Text key={i} className="case__flag">
              {formatTime(flag.at)} · {flag.reason}
            </Text>
          ))}
        </View>
      )}

      {!open && item.decision && (
        <Text className="case__decision">处理结果：{label(decisionLabel, item.decision)}</Text>
      )}

      {actions && draft?.mode === 'ban' && <BanForm item={item} draft={draft} onDraft={actions.onDraft} />}

      {actions && !draft && (
        <View className="case__actions">
          <AtButton size="small" onClick={() => actions.onDraft(item.id, { mode: 'ban', days: '7', reason: '' })}>
            禁言
          </AtButton>
          <AtButton size="small" onClick={() => actions.onDraft(item.id, { mode: 'edit', text: { ...item.text } })}>
            编辑文字
          </AtButton>
          <AtButton size="small" onClick={() => actions.onHide(item)}>
            隐藏
          </AtButton>
          <AtButton size="small" type="primary" onClick={() => actions.onApprove(item)}>
            通过
          </AtButton>
        </View>
      )}
    </View>
  );
});
