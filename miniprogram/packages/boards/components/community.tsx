import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import { StaffCommunity as SharedStaffCommunity } from '../../../components/staff-community';
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
  return (
    <SharedStaffCommunity action="board.review" emptyText="此页面供社区工作人员使用" className="board-page">
      {(community) => <View>{children(community)}</View>}
    </SharedStaffCommunity>
  );
}
