import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback, useEffect, useRef } from 'react';
import { ErrorCode } from '../../../../shared/errors';
import type { NoticeView } from '../../../../shared/schemas/channels';
import { FlagSheet, useFlags, type FlagTarget } from '../../../components/flag-sheet';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useConfirmedAction } from '../../../hooks/use-confirmed-action';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { api, ApiError, type ReadReceipt } from '../../../services/api';
import { friendlyMessage } from '../../../services/error-messages';
import { grantsFor } from '../../../utils/permissions';
import { openPage, routes } from '../../../utils/routes';
import { NoticeCard } from './notice-card';
import './index.scss';

/** Marks each unread notice read once it is on screen; `onReceipt` gets the updated read counts. */
function useMarkRead(
  notices: { id: string; readByMe: boolean }[],
  onReceipt: (id: string, receipt: ReadReceipt) => void,
) {
  const requested = useRef(new Set<string>());
  useEffect(() => {
    for (const { id, readByMe } of notices) {
      if (readByMe || requested.current.has(id)) continue;
      requested.current.add(id);
      api.markRead(id).then(
        (receipt) => onReceipt(id, receipt),
        // Not marked this time: the next visit tries again.
        () => requested.current.delete(id),
      );
    }
  }, [notices, onReceipt]);
}

/**
 * Whether the viewer posted the notice. NoticeView carries no author id: a notice under review is shown
 * only to its author (and staff), otherwise the masked name and the role are the best sign there is.
 */

function Notices({ channelId }: { channelId: string }) {
  const loadChannel = useCallback(async () => {
    const channel = (await api.channels()).find((c) => c.node.id === channelId);
    if (!channel) throw new ApiError(ErrorCode.NOT_FOUND, friendlyMessage(ErrorCode.NOT_FOUND), 404);
    return channel;
  }, [channelId]);
  const channel = useRequest(loadChannel);
  const loadPage = useCallback((cursor?: string) => api.notices(channelId, cursor), [channelId]);
  const list = usePagedList(loadPage);
  // Back from 发布公告: the new notice is at the top.
  useRefreshOnShow(list.refresh);

  const { update } = list;
  // readByMe stays as loaded, so what was new keeps its 新 mark until the next refresh.
  const receiptArrived = useCallback(
    (id: string, receipt: ReadReceipt) =>
      update((items) => items.map((n) => (n.id === id && n.receipts ? { ...n, receipts: receipt } : n))),
    [update],
  );
  useMarkRead(list.items, receiptArrived);

  const { me } = useSession();
  const moderator = grantsFor(me, 'moderation.review').length > 0;
  const dropNotice = useCallback(
    (hidden: FlagTarget) => update((items) => items.filter((n) => n.id !== hidden.id)),
    [update],
  );
  const flags = useFlags(dropNotice);
  const { open: openFlag } = flags;
  const edited = useCallback(
    (saved: NoticeView) => update((items) => items.map((n) => (n.id === saved.id ? saved : n))),
    [update],
  );
  const confirmed = useConfirmedAction();
  const { run } = confirmed;
  const withdraw = useCallback(
    (notice: NoticeView) =>
      void run(
        notice.id,
        { title: '撤回这条公告？', content: '撤回后邻居将看不到它；处理记录会保留。' },
        async () => {
          await api.withdrawNotice(notice.id);
          update((items) => items.filter((n) => n.id !== notice.id));
        },
        '已撤回',
      ),
    [run, update],
  );
  const flagNotice = useCallback(
    (notice: NoticeView) => openFlag({ kind: 'notice', id: notice.id, subject: notice.title }),
    [openFlag],
  );

  const title = channel.data && `${channel.data.label} · ${channel.data.node.name}`;
  useEffect(() => {
    if (title) void Taro.setNavigationBarTitle({ title });
  }, [title]);

  const retry = () => {
    void channel.reload();
    void list.reload();
  };

  const canPost = channel.data?.canPost ?? false;
  return (
    <View>
      {/* 议事: the place's topics, whatever the notices' state. */}
      <View className="channel__topics" onClick={() => openPage(routes.topics(channelId))}>
        <Text>议事协商 · 本群的议题、投票和决议公开</Text>
        <Text className="channel__topics-arrow">›</Text>
      </View>
      <PageState
        loading={channel.loading || list.loading}
        error={channel.error ?? list.error}
        onRetry={retry}
        empty={list.items.length === 0 && !canPost}
        emptyText="这里还没有公告"
      >
        {canPost && (
          <View className="channel__post">
            <AtButton type="primary" size="small" onClick={() => openPage(routes.noticeEdit(channelId))}>
              发布公告
            </AtButton>
          </View>
        )}
        {list.items.length === 0 ? (
          <Text className="channel__empty">这里还没有公告，发布第一条吧</Text>
        ) : (
          <View className="channel__list">
            {list.items.map((notice) => {
              const mine = notice.author.isMe;
              // Only what is published can be flagged: the rest already waits for staff.
              const flaggable = !mine && notice.moderation === 'visible';
              return (
                <NoticeCard
                  key={notice.id}
                  notice={notice}
                  isNew={!notice.readByMe}
                  showTimeline={mine || moderator}
                  onFlag={flaggable ? flagNotice : undefined}
                  flagged={flags.isFlagged(notice.id)}
                  onEdited={edited}
                  onWithdraw={withdraw}
                />
              );
            })}
            <LoadMore list={list} />
          </View>
        )}
        <FlagSheet flags={flags} />
      </PageState>
    </View>
  );
}

export default function ChannelPage() {
  const { params } = useRouter();
  return (
    <View className="channel">
      <RequireLogin text="登录后查看频道公告">
        <Notices channelId={params.id ?? ''} />
      </RequireLogin>
    </View>
  );
}
