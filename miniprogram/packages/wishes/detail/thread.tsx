import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton, AtTextarea } from 'taro-ui';
import type { WishView } from '../../../../shared/schemas/wishes';
import { FormError } from '../../../components/form-error';
import { LoadMore } from '../../../components/load-more';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { toApiError } from '../../../services/api';
import { wishesApi } from '../../../services/wishes-api';
import { formatTime } from '../../../utils/format';

const sideLabel = { beneficiary: '受助方', claimant: '认领人' } as const;

/**
 * Short messages between the beneficiary's side and the claimant, inside the wish (no names or phone numbers):
 * the box to write one, then the messages newest first, older ones on reaching the bottom.
 */
export function Thread({ wish }: { wish: WishView }) {
  const loadPage = useCallback((cursor?: string) => wishesApi.messages(wish.id, cursor), [wish.id]);
  const list = usePagedList(loadPage);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();

  const send = async () => {
    const typed = text.trim();
    if (!typed) return setError('请输入留言');
    setSending(true);
    setError(undefined);
    try {
      const sent = await wishesApi.sendMessage(wish.id, typed);
      list.update((shown) => [sent, ...shown]);
      setText('');
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <View className="card wish-card">
      <Text className="wish-card__title">留言</Text>
      <Text className="wish-card__note">只在受助方和认领人之间可见，不显示姓名和电话</Text>
      <AtTextarea
        value={text}
        maxLength={200}
        height={100}
        disabled={sending}
        placeholder="留言，例如约定送达的时间"
        onChange={(v: string) => setText(v)}
      />
      <FormError message={error} />
      <AtButton size="small" type="primary" loading={sending} disabled={sending} onClick={send}>
        发送
      </AtButton>
      <PageState {...listState(list)} emptyText="还没有留言">
        <View className="wish-thread">
          {list.items.map((m) => (
            <View key={m.id} className={`wish-message${m.isMe ? ' wish-message--me' : ''}`}>
              <Text className="wish-message__who">
                {m.isMe ? '我' : sideLabel[m.from]} · {formatTime(m.at)}
              </Text>
              <Text className="wish-message__text">{m.text}</Text>
            </View>
          ))}
        </View>
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}
