import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { AtButton } from 'taro-ui';
import { useCallback, useState } from 'react';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useSession } from '../../../hooks/use-session';
import { deliberationApi, type TopicStatusName } from '../../../services/deliberation-api';
import { grantsFor } from '../../../utils/permissions';
import { openPage, routes } from '../../../utils/routes';
import { TopicCard } from '../components';

type Filter = 'all' | TopicStatusName;
const filters: { value: Filter; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'proposed', label: '征集附议' },
  { value: 'agenda', label: '讨论中' },
  { value: 'voting', label: '投票中' },
  { value: 'decided', label: '已通过' },
  { value: 'implementing', label: '实施中' },
  { value: 'rating', label: '评价中' },
  { value: 'completed', label: '已公开' },
];

/** Topics of one place (`?node=`, from its channel) or of every place of mine, newest first, with stage badges. */
function Topics({ nodeId }: { nodeId?: string }) {
  const [filter, setFilter] = useState<Filter>('all');
  const loadPage = useCallback(
    (cursor?: string) => deliberationApi.list({ nodeId, status: filter === 'all' ? undefined : filter, cursor }),
    [nodeId, filter],
  );
  const list = usePagedList(loadPage);
  // Back from proposing or voting: the list shows the change.
  useRefreshOnShow(list.refresh);
  const { me } = useSession();
  const configures = grantsFor(me, 'topic.procedure').length > 0;
  return (
    <View className="delib-page">
      <AtButton type="primary" onClick={() => openPage(routes.topicNew(nodeId))}>
        发起议题
      </AtButton>
      {configures && (
        <AtButton size="small" onClick={() => openPage(routes.topicSettings)}>
          议事规则设置
        </AtButton>
      )}
      <ChoiceChips options={filters} value={filter} onChange={setFilter} />
      <PageState {...listState(list)} emptyText="还没有议题，发起第一个吧">
        {list.items.map((topic) => (
          <TopicCard key={topic.id} topic={topic} />
        ))}
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

export default function TopicListPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后参与议事协商">
      <Topics nodeId={params.node || undefined} />
    </RequireLogin>
  );
}
