import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import type { Me } from '../../../shared/schemas/people';
// Before the shared components: the street's bars keep their stylesheet ahead of page-state's, as on the figures pages.
import { StreetFigures } from './street-figures';
import { StaffWork } from './staff-work';
import { CallToAction } from '../../components/call-to-action';
import { ChannelCard } from '../../components/channel-card';
import { EntryList } from '../../components/entry-list';
import { PageState } from '../../components/page-state';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { api } from '../../services/api';
import { openPage, openTab, routes } from '../../utils/routes';
import { runsACommunity } from '../../packages/manage/entries';
import { handlesReports, isStaffGrant } from '../../utils/report';
import { useInboxBadge } from '../me/inbox-badge';
import './index.scss';

/** The community the user lives in or works for, for the banner. */
function communityName(me: Me | undefined): string | undefined {
  return (me?.households[0]?.unit ?? me?.roles[0]?.node)?.path[0];
}

function Welcome({ loggedIn, pending }: { loggedIn: boolean; pending: boolean }) {
  return (
    <CallToAction
      title={pending ? '加入申请审核中' : '欢迎来到邻里'}
      text={
        pending
          ? '楼长或单元长通过后，这里会显示您的单元群、楼栋群、小区群和社区群。'
          : '社区公告、邻里互助、议事协商都在这里。扫描楼长给的邀请码，加入您所在的单元。'
      }
    >
      {!loggedIn && (
        <AtButton type="primary" onClick={() => openTab(routes.me)}>
          登录
        </AtButton>
      )}
      <AtButton type={loggedIn ? 'primary' : 'secondary'} onClick={() => openPage(routes.join())}>
        {pending ? '查看申请' : '加入社区'}
      </AtButton>
    </CallToAction>
  );
}

function MyChannels({ pending, staff }: { pending: boolean; staff: boolean }) {
  const { data, loading, error, reload, refresh } = useRequest(api.channels);
  // The banner and the pending note come from the profile: keep it current too (an approval arrived…).
  const { reloadMe } = useSession();
  const profile = useRequest(reloadMe);
  useRefreshOnShow(() => Promise.all([refresh(), profile.refresh()]));
  // The app opens on 首页: the 我的 tab shows unread messages from the start.
  useInboxBadge();
  return (
    <PageState loading={loading && !data} error={data ? undefined : error} onRetry={reload}>
      {data && data.length > 0 ? (
        <View className="card-list home__channels">
          <EntryList
            block="home"
            entries={[
              { title: '议事协商', note: '民事民提、民议、民决', icon: 'message', url: routes.topics() },
              { title: '志愿服务', note: '点单求助 · 接单服务 · 志愿活动', icon: 'heart', url: routes.volunteer },
              { title: '微心愿', note: '许个小心愿 · 帮邻居圆梦', icon: 'star', url: routes.wishes },
              { title: '红黑榜', note: '文明行为红黑榜 · 流动红旗', icon: 'bookmark', url: routes.board() },
            ]}
          />
          <Text className="home__channels-title">我的频道</Text>
          {data.map((channel) => (
            <ChannelCard key={channel.node.id} channel={channel} />
          ))}
        </View>
      ) : (
        // Staff who live elsewhere have their work above instead of an invitation to join.
        !staff && <Welcome loggedIn pending={pending} />
      )}
    </PageState>
  );
}

export default function HomePage() {
  const { loggedIn, me } = useSession();
  const staff = handlesReports(me) || runsACommunity(me);
  const streets = (me?.roles ?? []).filter((r) => r.node.kind === 'street' && isStaffGrant(r)).map((r) => r.node);
  return (
    <View className="home">
      <View className="home__banner">
        <Text className="home__title">{communityName(me) ?? '邻里'}</Text>
        <Text className="home__slogan">与邻为善 · 以邻为伴</Text>
      </View>
      {loggedIn ? (
        <>
          {me && staff && <StaffWork me={me} />}
          {streets.length > 0 && <StreetFigures streets={streets} />}
          <MyChannels pending={(me?.pendingJoinRequests ?? 0) > 0} staff={staff} />
        </>
      ) : (
        <Welcome loggedIn={false} pending={false} />
      )}
    </View>
  );
}
