import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { memo, useCallback, useSyncExternalStore } from 'react';
import { useSession } from '../../hooks/use-session';
import {
  deleteDraft,
  myDrafts,
  outboxState,
  sendDraft,
  subscribeOutbox,
  type ReportDraft,
} from '../../services/outbox';
import { formatTime } from '../../utils/format';
import { reportRoutes } from '../../utils/report';
import { openPage } from '../../utils/routes';
import { toastError, toastSuccess } from '../../utils/toast';

/** The outbox as the logged-in user sees it; re-renders whenever a draft is kept, sent or deleted. */
export function useOutbox(): { drafts: ReportDraft[]; sending: readonly string[]; sent: number } {
  const state = useSyncExternalStore(subscribeOutbox, outboxState);
  // Read so that logging in as someone else shows their drafts.
  useSession();
  return { drafts: myDrafts(state.drafts), sending: state.sending, sent: state.sent };
}

const DraftRow = memo(function DraftRow({ draft, sending }: { draft: ReportDraft; sending: boolean }) {
  const send = useCallback(async () => {
    try {
      await sendDraft(draft.key);
      toastSuccess('已提交');
    } catch (err) {
      toastError(err);
    }
  }, [draft.key]);
  const remove = useCallback(async () => {
    const { confirm } = await Taro.showModal({ title: '删除待发送', content: '删除后这条随手拍不会再发送，确定吗？' });
    if (confirm) deleteDraft(draft.key);
  }, [draft.key]);

  return (
    <View className="snap-draft">
      <View className="snap-draft__head">
        <Text className="snap-draft__title">{draft.categoryName}</Text>
        <Text className="snap-draft__place">{draft.placeName}</Text>
        <Text className="snap-draft__time">{formatTime(draft.savedAt)}</Text>
      </View>
      <Text className="snap-draft__text">{draft.body.description}</Text>
      <Text className={`snap-draft__status${draft.refused ? ' snap-draft__status--refused' : ''}`}>
        {sending ? '发送中…' : draft.refused ? `未能发送：${draft.refused}` : '等待网络，联网后自动发送'}
      </Text>
      <View className="snap-draft__actions">
        <AtButton size="small" disabled={sending} onClick={remove}>
          删除
        </AtButton>
        <AtButton size="small" disabled={sending} onClick={() => openPage(reportRoutes.new(draft.key))}>
          修改
        </AtButton>
        {!draft.refused && (
          <AtButton size="small" type="primary" loading={sending} disabled={sending} onClick={send}>
            立即发送
          </AtButton>
        )}
      </View>
    </View>
  );
});

/** 待发送: reports composed without signal, waiting in the outbox; nothing when there are none. */
export function OutboxSection({ drafts, sending }: { drafts: ReportDraft[]; sending: readonly string[] }) {
  if (drafts.length === 0) return null;
  return (
    <View>
      <Text className="section-title">待发送（{drafts.length}）</Text>
      <View className="snap__list">
        {drafts.map((draft) => (
          <DraftRow key={draft.key} draft={draft} sending={sending.includes(draft.key)} />
        ))}
      </View>
    </View>
  );
}
