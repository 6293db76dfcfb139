import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { boardsApi } from '../../../services/boards-api';
import { EntryCard } from '../components/entry-card';
import '../boards.scss';

type Which = 'mine' | 'household' | 'about_me';
const views: { value: Which; label: string }[] = [
  { value: 'mine', label: '我的提名' },
  { value: 'household', label: '与我家有关' },
  { value: 'about_me', label: '提到我的' },
];
const emptyText: Record<Which, string> = {
  mine: '还没有提名过。看到好人好事或不文明行为，点红黑榜上的「我要提名」',
  household: '没有涉及您家的黑榜条目',
  about_me: '还没有提到您的红榜条目',
};

function List({ view }: { view: Which }) {
  const loadPage = useCallback((cursor?: string) => boardsApi.list(view, { cursor }), [view]);
  const list = usePagedList(loadPage);
  useRefreshOnShow(list.refresh);
  return (
    <PageState {...listState(list)} emptyText={emptyText[view]}>
      {list.items.map((entry) => (
        <EntryCard key={entry.id} entry={entry} />
      ))}
      <LoadMore list={list} />
    </PageState>
  );
}

/** 我的提名 with their state; 与我家有关 (black entries about my household, to respond to); 提到我的 (consent). */
function MyLists({ initial }: { initial: Which }) {
  const [view, setView] = useState<Which>(initial);
  return (
    <View className="board-page">
      <ChoiceChips options={views} value={view} onChange={setView} />
      <List key={view} view={view} />
    </View>
  );
}

export default function MyEntriesPage() {
  const { params } = useRouter();
  const initial = views.find((v) => v.value === params.view)?.value ?? 'mine';
  return (
    <RequireLogin text="登录后查看我的提名">
      <MyLists initial={initial} />
    </RequireLogin>
  );
}
