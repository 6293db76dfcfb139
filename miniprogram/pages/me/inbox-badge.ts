import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { platformApi } from '../../services/api';
import { countText } from '../../utils/format';

/** 我的 is the third tab of app.config.ts. */
const ME_TAB = 2;

const loadUnread = () => platformApi.inbox(undefined, 1).then((page) => page.unread);

function showOnTab(unread: number): void {
  const shown =
    unread > 0
      ? Taro.setTabBarBadge({ index: ME_TAB, text: countText(unread) })
      : Taro.removeTabBarBadge({ index: ME_TAB });
  // No tab bar to badge yet (H5 before it mounts): the next show sets it again.
  void shown.catch(() => undefined);
}

/**
 * The number of unread messages, for a tab page of a logged-in user (首页, 我的): loaded when it mounts,
 * again whenever it shows, and mirrored on the 我的 tab's badge. Unmounted (logged out), the badge goes.
 */
export function useInboxBadge(): number | undefined {
  const { data, refresh } = useRequest(loadUnread);
  useRefreshOnShow(refresh);
  useEffect(() => {
    if (data !== undefined) showOnTab(data);
  }, [data]);
  useEffect(() => () => showOnTab(0), []);
  return data;
}
