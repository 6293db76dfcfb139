import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback } from 'react';
import type { Me } from '../../../shared/schemas/people';
import { EntryList } from '../../components/entry-list';
import { useSession } from '../../hooks/use-session';
import { adminRoutes } from '../../packages/admin/routes';
import { inboxRoute } from '../../packages/inbox/routes';
import { privacyRoutes } from '../../packages/privacy/routes';
import { api, platformApi } from '../../services/api';
import { grantsFor } from '../../utils/permissions';
import { routes } from '../../utils/routes';
import { toastSuccess } from '../../utils/toast';
import { useInboxBadge } from './inbox-badge';

const loadReviewCount = () => api.joinRequests('review', 'pending').then((list) => list.length);
// Only the total is wanted: one case is the smallest page.
const loadOpenCases = () => platformApi.moderationCases('open', { limit: 1 }).then((page) => page.total);

/** Where the user goes from 我的: messages, joining, their household and channels, and captains' tools. */
export function Entries({ me }: { me: Me }) {
  const unread = useInboxBadge();
  const reviews = grantsFor(me, 'join.review').length > 0;
  const invites = grantsFor(me, 'invite.manage').length > 0;
  const moderates = grantsFor(me, 'moderation.review').length > 0;
  return (
    <EntryList
      block="me"
      entries={[
        // The unread count is also on the 我的 tab.
        { title: '消息', note: '审核结果、新申请等提醒', icon: 'bell', url: inboxRoute, count: unread },
        {
          title: '加入社区',
          note: me.pendingJoinRequests > 0 ? '申请审核中' : '扫码或输入邀请码',
          icon: 'add-circle',
          url: routes.join(),
        },
        { title: '我的家庭', icon: 'home', url: routes.household },
        { title: '我的频道', note: '单元群 · 楼栋群 · 小区群 · 社区群', icon: 'message', url: routes.channels },
        // The requests waiting, for those who may decide them.
        reviews && {
          title: '待审批',
          note: '审核邻居的加入申请',
          icon: 'check-circle',
          url: routes.approvals,
          loadCount: loadReviewCount,
        },
        // The open cases, for community staff.
        moderates && {
          title: '内容审核',
          note: '待审内容、居民举报',
          icon: 'eye',
          url: adminRoutes.moderation,
          loadCount: loadOpenCases,
        },
        invites && { title: '邀请邻居', note: '生成单元邀请码', icon: 'share', url: routes.invites },
      ]}
    />
  );
}

/** 隐私与授权: the policy, one's profile (to correct), the separate consents given (revocable), export and closing. */
export function PrivacyEntries() {
  return (
    <View>
      <Text className="section-title">隐私与授权</Text>
      <EntryList
        block="me"
        entries={[
          { title: '隐私政策', note: '我们如何处理您的信息', icon: 'lock', url: privacyRoutes.policy },
          { title: '我的资料', note: '查看和更正称呼、手机号', icon: 'user', url: privacyRoutes.profile },
          { title: '我的授权', note: '查看或撤回显示姓名等授权', icon: 'list', url: privacyRoutes.consents },
          { title: '我的数据', note: '导出我的数据 · 注销账号', icon: 'download', url: privacyRoutes.data },
        ]}
      />
    </View>
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
