import { View } from '@tarojs/components';
import { useCallback, useState, type ReactNode } from 'react';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import { ChoiceChips } from '../../../components/choice-chips';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { useSession } from '../../../hooks/use-session';
import { reportApi } from '../../../services/api';
import { communitiesOf } from '../../../utils/communities';
import { grantsFor } from '../../../utils/permissions';

/** The communities whose boards the user reviews (their staff grants; a street's asked of the service). */
export function reviewedCommunities(me: Me | undefined): Promise<NodeRef[]> {
  return communitiesOf(grantsFor(me, 'board.review'));
}

/** Whether the user reviews boards anywhere (verification, clearing photos, appeals). */
export const isReviewer = (me: Me | undefined) => grantsFor(me, 'board.review').length > 0;

/** The place's breadcrumb from the community down (ids included). */
export async function breadcrumbOf(nodeId: string): Promise<NodeRef[]> {
  return (await reportApi.node(nodeId)).breadcrumb;
}

/** The community the user belongs to: their first reviewed community, else their first household's or role's. */
export async function myCommunity(me: Me | undefined): Promise<NodeRef | undefined> {
  const reviewed = await reviewedCommunities(me);
  if (reviewed[0]) return reviewed[0];
  const place = me?.households[0]?.unit ?? me?.roles[0]?.node;
  if (!place) return undefined;
  if (place.kind === 'community') return place;
  return (await breadcrumbOf(place.id)).find((ref) => ref.kind === 'community');
}

/**
 * Shows `children(community)` for one of the communities the staff member reviews boards for, with a chooser
 * when there are several. Without any, says the page is for community staff.
 */
export function StaffCommunity({ children }: { children: (community: NodeRef) => ReactNode }) {
  const { me } = useSession();
  const load = useCallback(() => reviewedCommunities(me), [me]);
  const communities = useRequest(load);
  const [chosen, setChosen] = useState<string>();
  const list = communities.data ?? [];
  const current = list.find((c) => c.id === chosen) ?? list[0];
  return (
    <PageState
      loading={communities.loading}
      error={communities.error}
      onRetry={communities.reload}
      empty={list.length === 0}
      emptyText="此页面供社区工作人员使用"
    >
      {list.length > 1 && (
        <View className="board-page">
          <ChoiceChips
            options={list.map((c) => ({ value: c.id, label: c.name }))}
            value={current?.id}
            onChange={setChosen}
          />
        </View>
      )}
      {current && <View key={current.id}>{children(current)}</View>}
    </PageState>
  );
}
