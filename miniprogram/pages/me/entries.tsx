import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtList, AtListItem } from 'taro-ui';
import { useCallback } from 'react';
import type { Me } from '../../../shared/schemas/people';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { adminRoutes } from '../../packages/admin/routes';
import { inboxRoute } from '../../packages/inbox/routes';
import { api, platformApi } from '../../services/api';
import { grantsFor } from '../../utils/permissions';
import { openPage, routes } from '../../utils/routes';
import { toastSuccess } from '../../utils/toast';
import { countText, useInboxBadge } from './inbox-badge';

const loadReviewCount = () => api.joinRequests('review', 'pending').then((list) => list.length);
/** The service answers at most 50 cases at a time. */
const CASES_PER_PAGE = 50;
const loadOpenCases = () =>
  platformApi.moderationCases('open').then((cases) => (cases.length >= CASES_PER_PAGE ? '50+' : cases.length));

/** A red count beside an entry, when there is something waiting. */
function count(value: number | string | undefined) {
  return value ? <Text className="me__count">{typeof value === 'number' ? countText(value) : value}</Text> : '';
}

/** 消息 with the unread count (also on the 我的 tab). */
function MessagesEntry() {
  const unread = useInboxBadge();
  return (
    <AtListItem
      title="消息"
      note="审核结果、新申请等提醒"
      extraText={count(unread)}
      arrow="right"
      iconInfo={{ value: 'bell', color: '#c8161d', size: 20 }}
      onClick={() => openPage(inboxRoute)}
    />
  );
}

/** 待审批 with the number of requests waiting, for those who may decide them. */
function ApprovalsEntry() {
  const { data, refresh } = useRequest(loadReviewCount);
  useRefreshOnShow(refresh);
  return (
    <AtListItem
      title="待审批"
      note="审核邻居的加入申请"
      extraText={count(data)}
      arrow="right"
      iconInfo={{ value: 'check-circle', color: '#c8161d', size: 20 }}
      onClick={() => openPage(routes.approvals)}
    />
  );
}

/** 内容审核 with the number of open cases, for community staff. */
function ModerationEntry() {
  const { data, refresh } = useRequest(loadOpenCases);
  useRefreshOnShow(refresh);
  return (
    <AtListItem
      title="内容审核"
      note="待审内容、居民举报"
      extraText={count(data)}
      arrow="right"
      iconInfo={{ value: 'eye', color: '#c8161d', size: 20 }}
      onClick={() => openPage(adminRoutes.moderation)}
    />
  );
}

/** Where the user goes from 我的: joining, their household and channels, and captains' tools. */
export function Entries({ me }: { me: Me }) {
  const reviews = grantsFor(me, 'join.review').length > 0;
  const invites = grantsFor(me, 'invite.manage').length > 0;
  const moderates = grantsFor(me, 'moderation.review').length > 0;
  return (
    <AtList className="me__entries">
      <MessagesEntry />
      <AtListItem
        title="加入社区"
        note={me.pendingJoinRequests > 0 ? '申请审核中' : '扫码或输入邀请码'}
        arrow="right"
        iconInfo={{ value: 'add-circle', color: '#c8161d', size: 20 }}
        onClick={() => openPage(routes.join())}
      />
      <AtListItem
        title="我的家庭"
        arrow="right"
        iconInfo={{ value: 'home', color: '#c8161d', size: 20 }}
        onClick={() => openPage(routes.household)}
      />
      <AtListItem
        title="我的频道"
        note="单元群 · 楼栋群 · 小区群 · 社区群"
        arrow="right"
        iconInfo={{ value: 'message', color: '#c8161d', size: 20 }}
        onClick={() => openPage(routes.channels)}
      />
      {reviews && <ApprovalsEntry />}
      {moderates && <ModerationEntry />}
      {invites && (
        <AtListItem
          title="邀请邻居"
          note="生成单元邀请码"
          arrow="right"
          iconInfo={{ value: 'share', color: '#c8161d', size: 20 }}
          onClick={() => openPage(routes.invites)}
        />
      )}
    </AtList>
  );
}

export function LogoutButton() {
  const { logout } = useSession();
  const confirmLogout = useCallback(async () => {
    const { confirm } = await Taro.showModal({ title: '退出登录', content: '确定要退出当前账号吗？' });
    if (!confirm) return;
    await logout();
    toastSuccess('已退出登录');
  }, [logout]);
  return (
    <AtButton className="me__logout" onClick={confirmLogout}>
      退出登录
    </AtButton>
  );
}
