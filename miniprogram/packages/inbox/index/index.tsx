import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback, useState } from 'react';
import type { NotificationView } from '../../../../shared/schemas/platform';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { platformApi } from '../../../services/api';
import { toastError, toastSuccess } from '../../../utils/toast';
import { openLink } from '../open-link';
import { MessageRow } from './message-row';
import './index.scss';

function Messages() {
  const [unread, setUnread] = useState(0);
  const [readingAll, setReadingAll] = useState(false);
  // Every page carries the unread total; the newest answer wins.
  const loadPage = useCallback(async (cursor?: string) => {
    const page = await platformApi.inbox(cursor);
    setUnread(page.unread);
    return page;
  }, []);
  const list = usePagedList(loadPage);
  // Back from the page a message opened: what happened there may have brought new messages.
  useRefreshOnShow(list.refresh);
  const { update } = list;

  const setRead = useCallback(
    (id: string, read: boolean) => update((items) => items.map((m) => (m.id === id ? { ...m, read } : m))),
    [update],
  );

  /** Marks the message read at once and opens its page; unread again if the service did not take it. */
  const open = useCallback(
    (message: NotificationView) => {
      if (!message.read) {
        setRead(message.id, true);
        setUnread((n) => Math.max(0, n - 1));
        platformApi.readMessage(message.id).then(
          (result) => setUnread(result.unread),
          () => {
            // Quietly: the user is on the linked page by now, and the next visit tries again.
            setRead(message.id, false);
            setUnread((n) => n + 1);
          },
        );
      }
      if (message.link) {
        void openLink(message.link).then((opened) => {
          if (!opened) void Taro.showToast({ title: '该页面暂不可用，请升级小程序', icon: 'none', duration: 2500 });
        });
      }
    },
    [setRead],
  );

  const readAll = useCallback(async () => {
    const before = list.items;
    const unreadBefore = unread;
    setReadingAll(true);
    update((items) => items.map((m) => (m.read ? m : { ...m, read: true })));
    setUnread(0);
    try {
      setUnread((await platformApi.readAllMessages()).unread);
      toastSuccess('已全部标为已读');
    } catch (err) {
      update(() => before);
      setUnread(unreadBefore);
      toastError(err);
    } finally {
      setReadingAll(false);
    }
  }, [list.items, unread, update]);

  return (
    <PageState {...listState(list)} emptyText="暂无消息">
      <View className="inbox__head">
        <Text className="inbox__summary">{unread > 0 ? `${unread} 条未读` : '没有未读消息'}</Text>
        <AtButton size="small" loading={readingAll} disabled={unread === 0 || readingAll} onClick={readAll}>
          全部已读
        </AtButton>
      </View>
      <View className="card-list">
        {list.items.map((message) => (
          <MessageRow key={message.id} message={message} onOpen={open} />
        ))}
      </View>
      <LoadMore list={list} />
    </PageState>
  );
}

export default function InboxPage() {
  return (
    <View className="inbox">
      <RequireLogin text="登录后查看您的消息">
        <Messages />
      </RequireLogin>
    </View>
  );
}
