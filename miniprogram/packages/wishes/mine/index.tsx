import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { wishesApi } from '../../../services/wishes-api';
import { WishCard } from '../components/wish-card';
import '../wishes.scss';

type Which = 'mine' | 'claims';
const views: { value: Which; label: string }[] = [
  { value: 'mine', label: '我的心愿' },
  { value: 'claims', label: '我的认领' },
];
const emptyText: Record<Which, string> = {
  mine: '还没有许过心愿。有小需要时，点心愿墙上的「我要许愿」',
  claims: '还没有认领过心愿，去心愿墙看看吧',
};

function List({ view }: { view: Which }) {
  const loadPage = useCallback((cursor?: string) => wishesApi.list(view, { cursor }), [view]);
  const list = usePagedList(loadPage);
  useRefreshOnShow(list.refresh);
  return (
    <PageState {...listState(list)} emptyText={emptyText[view]}>
      {list.items.map((wish) => (
        <WishCard key={wish.id} wish={wish} show="state" />
      ))}
      <LoadMore list={list} />
    </PageState>
  );
}

/** 我的心愿 (posted or recorded by me, every state) and 我的认领. */
function MyLists({ initial }: { initial: Which }) {
  const [view, setView] = useState<Which>(initial);
  return (
    <View className="wish-page">
      <ChoiceChips options={views} value={view} onChange={setView} />
      <List key={view} view={view} />
    </View>
  );
}

export default function MyWishesPage() {
  const { params } = useRouter();
  return (
    <RequireLogin text="登录后查看我的心愿和认领">
      <MyLists initial={params.view === 'claims' ? 'claims' : 'mine'} />
    </RequireLogin>
  );
}
