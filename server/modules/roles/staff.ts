import type { Types } from 'mongoose';
import type { Models } from '../../plugins/models';

/** The community's staff (role on the community node itself): whom reviews, verifications and appeals go to. */
export async function communityStaff(
  models: Pick<Models, 'RoleGrant'>,
  communityId: Types.ObjectId,
): Promise<Types.ObjectId[]> {
  const grants = await models.RoleGrant.find(
    { communityId, nodeId: communityId, role: 'community_staff' },
    { userId: 1 },
  ).lean();
  return grants.map((g) => g.userId);
}
