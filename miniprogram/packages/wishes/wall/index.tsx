import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AtButton } from 'taro-ui';
import { wishKindLabel, wishKinds, type WishKind } from '../../../../shared/wishes';
import { ChoiceChips } from '../../../components/choice-chips';
import { LoadMore } from '../../../components/load-more';
import { RequireLogin } from '../../../components/login-prompt';
import { listState, PageState } from '../../../components/page-state';
import { usePagedList } from '../../../hooks/use-paged-list';
import { useRefreshOnShow } from '../../../hooks/use-refresh-on-show';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { wishesApi } from '../../../services/wishes-api';
import { grantsFor } from '../../../utils/permissions';
import { openPage, routes } from '../../../utils/routes';
import { reviewedCommunities } from '../components/community';
import { WishCard } from '../components/wish-card';
import '../wishes.scss';

type Tab = 'wall' | 'done';
const tabs: { value: Tab; label: string }[] = [
  { value: 'wall', label: '待认领' },
  { value: 'done', label: '已圆梦' },
];
type KindFilter = 'all' | WishKind;
const kindFilters: { value: KindFilter; label: string }[] = [
  { value: 'all', label: '全部' },
  ...wishKinds.map((kind) => ({ value: kind, label: wishKindLabel[kind] })),
];
const emptyText: Record<Tab, string> = {
  wall: '心愿墙上暂时没有待认领的心愿',
  done: '还没有圆梦的心愿',
};

function Wishes({ tab, kind, communityId }: { tab: Tab; kind: KindFilter; communityId?: string }) {
  const loadPage = useCallback(
    (cursor?: string) => wishesApi.list(tab, { communityId, kind: kind === 'all' ? undefined : kind, cursor }),
    [tab, kind, communityId],
  );
  const list = usePagedList(loadPage);
  // Back from a wish I claimed or posted: it may have left this list.
  useRefreshOnShow(list.refresh);
  return (
    <PageState {...listState(list)} emptyText={emptyText[tab]}>
      {list.items.map((wish) => (
        <WishCard key={wish.id} wish={wish} show={tab === 'wall' ? 'wanted' : 'state'} />
      ))}
      <LoadMore list={list} />
    </PageState>
  );
}

/** 心愿墙: published wishes, nearest wanted-by date first, by kind; 已圆梦 with the thank-you notes. */
function Wall() {
  const { me } = useSession();
  const reviewer = grantsFor(me, 'wish.review').length > 0;
  const [tab, setTab] = useState<Tab>('wall');
  const [kind, setKind] = useState<KindFilter>('all');
  // Staff answering for several communities (a street's) choose whose wall; everyone else sees their own.
  const loadCommunities = useCallback(() => reviewedCommunities(me), [me]);
  const communities = useRequest(loadCommunities).data ?? [];
  const [chosen, setChosen] = useState<string>();
  const communityId = communities.length > 1 ? (chosen ?? communities[0]!.id) : undefined;
  return (
    <View className="wish-page">
      <AtButton type="primary" onClick={() => openPage(routes.wishNew())}>
        我要许愿
      </AtButton>
      <View className="wish-links">
        <Text onClick={() => openPage(routes.wishesMine('mine'))}>我的心愿</Text>
        <Text onClick={() => openPage(routes.wishesMine('claims'))}>我的认领</Text>
        <Text onClick={() => openPage(routes.wishOrganisations)}>爱心组织</Text>
      </View>
      {reviewer && (
        <View className="wish-links">
          <Text onClick={() => openPage(routes.wishReview)}>审核队列</Text>
          <Text onClick={() => openPage(routes.wishSettings)}>心愿设置</Text>
          <Text onClick={() => openPage(routes.wishFigures)}>数据统计</Text>
        </View>
      )}
      {communities.length > 1 && (
        <ChoiceChips
          options={communities.map((c) => ({ value: c.id, label: c.name }))}
          value={communityId}
          onChange={setChosen}
        />
      )}
      <ChoiceChips options={tabs} value={tab} onChange={setTab} />
      <ChoiceChips options={kindFilters} value={kind} onChange={setKind} />
      {/* Keyed: another community, tab or kind starts from its first page. */}
      <Wishes key={`${communityId}-${tab}-${kind}`} tab={tab} kind={kind} communityId={communityId} />
    </View>
  );
}

export default function WishWallPage() {
  return (
    <RequireLogin text="登录后查看心愿墙，帮邻居圆一个小心愿">
      <Wall />
    </RequireLogin>
  );
}
