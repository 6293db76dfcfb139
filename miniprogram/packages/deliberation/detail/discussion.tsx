import { Text, View } from '@tarojs/components';
import { AtButton, AtInput, AtTextarea } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { CommentView, TopicView } from '../../../../shared/schemas/deliberation';
import { FlagAction, FlagSheet, useFlags, type FlagTarget } from '../../../components/flag-sheet';
import { FormError } from '../../../components/form-error';
import { LoadMore } from '../../../components/load-more';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useSubmit } from '../../../hooks/use-submit';
import { deliberationApi } from '../../../services/deliberation-api';
import { formatTime } from '../../../utils/format';
import { toastError } from '../../../utils/toast';

function Comment({
  comment,
  moderator,
  onChange,
  onReply,
  onFlag,
  flagged,
}: {
  comment: CommentView;
  moderator: boolean;
  onChange: (updated: CommentView) => void;
  onReply: (comment: CommentView) => void;
  /** 举报, on published comments of others. */
  onFlag?: (comment: CommentView) => void;
  flagged: boolean;
}) {
  const act = (call: () => Promise<CommentView>) => call().then(onChange, toastError);
  // The fold reason is typed inline; null when not folding.
  const [reason, setReason] = useState<string | null>(null);
  async function fold() {
    if (!reason || reason.trim().length < 2) return;
    await act(() => deliberationApi.fold(comment.id, reason.trim()));
    setReason(null);
  }
  return (
    <View className={`delib-comment${comment.parentId ? ' delib-comment--reply' : ''}`}>
      <Text className="delib-comment__meta">
        {comment.pinned ? '【置顶】' : ''}
        {comment.author.displayName} · {formatTime(comment.createdAt)}
        {comment.moderation !== 'visible' ? ' · 审核中' : ''}
      </Text>
      {comment.folded ? (
        <Text className="delib-comment__folded">已折叠：{comment.folded.reason}</Text>
      ) : (
        <Text className="delib-card__text">{comment.text}</Text>
      )}
      <View className="delib-comment__tools">
        <Text onClick={() => act(() => deliberationApi.like(comment.id, !comment.likedByMe))}>
          {comment.likedByMe ? '已赞' : '赞'} {comment.likes}
        </Text>
        {!comment.parentId && <Text onClick={() => onReply(comment)}>回复</Text>}
        {moderator && (
          <Text onClick={() => act(() => deliberationApi.pin(comment.id, !comment.pinned))}>
            {comment.pinned ? '取消置顶' : '置顶'}
          </Text>
        )}
        {moderator && !comment.folded && <Text onClick={() => setReason('')}>折叠</Text>}
        {onFlag && <FlagAction className="delib-flag" flagged={flagged} onFlag={() => onFlag(comment)} />}
      </View>
      {reason !== null && (
        <View className="delib-card__actions">
          <AtInput
            name="reason"
            placeholder="折叠理由，如：与议题无关"
            value={reason}
            onChange={(v: string) => setReason(v)}
          />
          <AtButton size="small" disabled={reason.trim().length < 2} onClick={fold}>
            确认折叠
          </AtButton>
        </View>
      )}
    </View>
  );
}

/** The thread: comments and replies, likes; captains pin, fold, summarise and close. A failed send keeps the text. */
export function Discussion({ topic, onTopic }: { topic: TopicView; onTopic: (topic: TopicView) => void }) {
  const loadPage = useCallback((cursor?: string) => deliberationApi.comments(topic.id, cursor), [topic.id]);
  const list = usePagedList(loadPage);
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<CommentView>();
  const { busy: sending, error, run } = useSubmit();
  const moderator = topic.actions.includes('moderate');
  const { update } = list;
  const changed = useCallback(
    (c: CommentView) => update((items) => items.map((i) => (i.id === c.id ? c : i))),
    [update],
  );

  const dropComment = useCallback(
    (hidden: FlagTarget) => update((items) => items.filter((c) => c.id !== hidden.id)),
    [update],
  );
  const flags = useFlags(dropComment);
  const flagComment = (c: CommentView) => flags.open({ kind: 'topic_comment', id: c.id, subject: c.text });

  async function send() {
    if (!text.trim()) return;
    const created = await run(() => deliberationApi.comment(topic.id, text.trim(), replyTo?.id));
    if (!created) return;
    update((items) => [...items, created]);
    setText('');
    setReplyTo(undefined);
  }

  const [summary, setSummary] = useState('');
  async function summarise() {
    await deliberationApi.summary(topic.id, summary.trim()).then((t) => {
      onTopic(t);
      setSummary('');
    }, toastError);
  }

  return (
    <View className="delib-card">
      <Text className="delib-card__title">讨论（{topic.discussion.comments}）</Text>
      {topic.discussion.summary && <Text className="delib-card__text">总结：{topic.discussion.summary}</Text>}
      {list.error && <Text className="delib-card__note">{list.error.message}</Text>}
      {list.items.map((comment) => (
        <Comment
          key={comment.id}
          comment={comment}
          moderator={moderator}
          onChange={changed}
          onReply={setReplyTo}
          // Only what is published can be flagged: the rest already waits for staff.
          onFlag={!comment.author.isMe && comment.moderation === 'visible' ? flagComment : undefined}
          flagged={flags.isFlagged(comment.id)}
        />
      ))}
      {list.items.length === 0 && !list.loading && <Text className="delib-card__note">还没有人发言</Text>}
      {list.items.length > 0 && <LoadMore list={list} />}
      {topic.actions.includes('comment') ? (
        <View>
          {replyTo && (
            <Text className="delib-card__note" onClick={() => setReplyTo(undefined)}>
              回复 {replyTo.author.displayName}（点此取消）
            </Text>
          )}
          <AtTextarea value={text} maxLength={500} height={120} placeholder="说说您的看法" onChange={setText} />
          <FormError message={error} />
          <AtButton size="small" type="primary" loading={sending} disabled={sending || !text.trim()} onClick={send}>
            发表
          </AtButton>
        </View>
      ) : (
        topic.discussion.closed && <Text className="delib-card__note">讨论已结束</Text>
      )}
      <FlagSheet flags={flags} />
      {moderator && !topic.discussion.closed && (
        <View className="delib-card__actions">
          <AtInput name="summary" placeholder="讨论总结" value={summary} onChange={(v: string) => setSummary(v)} />
          <AtButton size="small" disabled={summary.trim().length < 2} onClick={summarise}>
            发布总结
          </AtButton>
          <AtButton size="small" onClick={() => deliberationApi.closeDiscussion(topic.id).then(onTopic, toastError)}>
            结束讨论
          </AtButton>
        </View>
      )}
    </View>
  );
}
