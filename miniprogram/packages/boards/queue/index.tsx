import { View } from '@tarojs/components';
import { useCallback } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { boardsApi } from '../../../services/boards-api';
import { StaffCommunity } from '../components/community';
import { EntryCard } from '../components/entry-card';
import '../boards.scss';

/** Staff's work: entries to verify, awaiting a decision after the household's window, and appeals. */
function Queue({ community }: { community: NodeRef }) {
  const loadPage = useCallback(
    (cursor?: string) => boardsApi.list('queue', { communityId: community.id, cursor }),
    [community.id],
  );
  const list = usePagedList(loadPage);
  // Back from an entry just decided: it leaves the queue.
  useRefreshOnShow(list.refresh);
  return (
    <View className="board-page">
      <PageState {...listState(list)} emptyText="没有待核实、待决定或申诉中的条目">
        {list.items.map((entry) => (
          <EntryCard key={entry.id} entry={entry} />
        ))}
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

export default function BoardQueuePage() {
  return (
    <RequireLogin text="登录后核实红黑榜提名">
      <StaffCommunity>{(community) => <Queue community={community} />}</StaffCommunity>
    </RequireLogin>
  );
}
