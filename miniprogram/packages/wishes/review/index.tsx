import { View } from '@tarojs/components';
import { useCallback } from 'react';
import type { NodeRef } from '../../../../shared/schemas/people';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { wishesApi } from '../../../services/wishes-api';
import { StaffCommunity } from '../components/community';
import { WishCard } from '../components/wish-card';
import '../wishes.scss';

/** Wishes waiting for staff (pending and disputed); each opens with its moves. */
function Queue({ community }: { community: NodeRef }) {
  const loadPage = useCallback(
    (cursor?: string) => wishesApi.list('review', { communityId: community.id, cursor }),
    [community.id],
  );
  const list = usePagedList(loadPage);
  // Back from a wish just decided: it leaves the queue.
  useRefreshOnShow(list.refresh);
  return (
    <View className="wish-page">
      <PageState {...listState(list)} emptyText="没有待审核或有异议的心愿">
        {list.items.map((wish) => (
          <WishCard key={wish.id} wish={wish} show="state" />
        ))}
        <LoadMore list={list} />
      </PageState>
    </View>
  );
}

export default function WishReviewPage() {
  return (
    <RequireLogin text="登录后审核心愿">
      <StaffCommunity>{(community) => <Queue community={community} />}</StaffCommunity>
    </RequireLogin>
  );
}
