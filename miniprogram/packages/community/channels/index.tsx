import { Text, View } from '@tarojs/components';
import { AtButton } from 'taro-ui';
import { CallToAction } from '../../../components/call-to-action';
import { ChannelCard } from '../../../components/channel-card';
import { RequireLogin } from '../../../components/login-prompt';
import { PageState } from '../../../components/page-state';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { api } from '../../../services/api';
import { openPage, routes } from '../../../utils/routes';
import './index.scss';

function ChannelList() {
  const { data, loading, error, reload, refresh } = useRequest(api.channels);
  // Unread counts drop after reading a channel; show that when the user comes back.
  useRefreshOnShow(refresh);
  return (
    <PageState loading={loading} error={error} onRetry={reload}>
      {data && data.length > 0 ? (
        <View>
          <Text className="section-title">从单元到社区，与邻居同在一个群</Text>
          <View className="card-list">
            {data.map((channel) => (
              <ChannelCard key={channel.node.id} channel={channel} />
            ))}
          </View>
        </View>
      ) : (
        <CallToAction text="加入社区后，这里会显示您的单元群、楼栋群、小区群和社区群。">
          <AtButton type="primary" onClick={() => openPage(routes.join())}>
            加入社区
          </AtButton>
        </CallToAction>
      )}
    </PageState>
  );
}

export default function ChannelsPage() {
  return (
    <View className="channels">
      <RequireLogin text="登录后查看我的频道">
        <ChannelList />
      </RequireLogin>
    </View>
  );
}
