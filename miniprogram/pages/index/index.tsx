import { Text, View } from '@tarojs/components';
import { PageState } from '../../components/page-state';
import { useRequest } from '../../hooks/use-request';
import { api } from '../../services/api';
import './index.scss';

export default function HomePage() {
  const { data, loading, error, reload } = useRequest(api.appInfo);
  return (
    <View className="home">
      <View className="home__banner">
        <Text className="home__title">邻里</Text>
        <Text className="home__slogan">与邻为善 · 以邻为伴</Text>
      </View>
      <PageState loading={loading} error={error} onRetry={reload}>
        <View className="card">
          <Text className="home__status">社区服务在线 · 版本 {data?.version}</Text>
        </View>
      </PageState>
    </View>
  );
}
