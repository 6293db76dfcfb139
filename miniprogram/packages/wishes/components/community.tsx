import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { Me, NodeRef } from '../../../../shared/schemas/people';
import { StaffCommunity as SharedStaffCommunity } from '../../../components/staff-community';
import { reportApi } from '../../../services/api';
import { communitiesOf } from '../../../utils/communities';
import { grantsFor } from '../../../utils/permissions';

/** The communities whose wishes the user reviews (their staff grants; a street's asked of the service). */
export function reviewedCommunities(me: Me | undefined): Promise<NodeRef[]> {
  return communitiesOf(grantsFor(me, 'wish.review'));
}

/** The community of a place: the top of its breadcrumb that is a community. */
export async function communityOf(nodeId: string): Promise<NodeRef | undefined> {
  const node = await reportApi.node(nodeId);
  return node.breadcrumb.find((ref) => ref.kind === 'community');
}

/** The community the user belongs to: their first reviewed community, else their first household's or role's. */
export async function myCommunity(me: Me | undefined): Promise<NodeRef | undefined> {
  const reviewed = await reviewedCommunities(me);
  if (reviewed[0]) return reviewed[0];
  const place = me?.households[0]?.unit ?? me?.roles[0]?.node;
  if (!place) return undefined;
  return place.kind === 'community' ? place : communityOf(place.id);
}

/**
 * Shows `children(community)` for one of the communities the staff member reviews wishes for, with a chooser
 * when there are several. Without any, says the page is for community staff.
 */
export function StaffCommunity({ children }: { children: (community: NodeRef) => ReactNode }) {
  return (
    <SharedStaffCommunity action="wish.review" emptyText="此页面供社区工作人员使用" className="wish-page">
      {(community) => <View>{children(community)}</View>}
    </SharedStaffCommunity>
  );
}
