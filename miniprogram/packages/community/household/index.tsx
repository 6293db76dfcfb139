import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { CallToAction } from '../../../components/call-to-action';
import { HouseholdCard } from '../../../components/household-card';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { openPage, routes } from '../../../utils/routes';
import './index.scss';

function MyHouseholds() {
  const { reloadMe } = useSession();
  const { data: me, loading, error, reload, refresh } = useRequest(reloadMe);
  useRefreshOnShow(refresh);
  const households = me?.households ?? [];
  const pending = (me?.pendingJoinRequests ?? 0) > 0;
  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      {households.length > 0 ? (
        <View>
          <Text className="section-title">我的家庭</Text>
          <View className="card-list">
            {households.map((household) => (
              <HouseholdCard key={household.id} household={household} withMembers />
            ))}
          </View>
          <Text className="household__hint">家人或租户可以向楼长索取邀请码，申请加入您家。</Text>
        </View>
      ) : (
        <CallToAction
          text={
            pending
              ? '您的加入申请正在审核中，通过后这里会显示您的家庭。'
              : '您还没有加入任何家庭。向楼长或单元长索取邀请码，加入您所在的单元。'
          }
        >
          <AtButton type="primary" onClick={() => openPage(routes.join())}>
            {pending ? '查看申请' : '加入社区'}
          </AtButton>
        </CallToAction>
      )}
    </PageState>
  );
}

export default function HouseholdPage() {
  return (
    <View className="household">
      <RequireLogin text="登录后查看我的家庭">
        <MyHouseholds />
      </RequireLogin>
    </View>
  );
}
