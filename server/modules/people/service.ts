import { maskName, maskPhone } from '../../../shared/masking';
import type { HouseholdRelation } from '../../../shared/places';
import type { Role } from '../../../shared/roles';
import type { Me, MyHousehold, RoleGrantView } from '../../../shared/schemas/people';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import type { Actor } from '../roles/access';

type Badge = Me['badges'][number];

/** What the caller sees of themselves: profile, roles with places, households, open requests. */
export function createPeopleService(deps: {
  models: Pick<Models, 'User' | 'Node' | 'Grid' | 'Household' | 'JoinRequest' | 'PolicyAcceptance'>;
  nodeRefs: NodeRefs;
}) {
  const { models, nodeRefs } = deps;

  async function rolesOf(actor: Actor): Promise<RoleGrantView[]> {
    const nodeIds = actor.grants.map((g) => g.nodeId);
    const streetIds = actor.grants.filter((g) => !g.communityId).map((g) => g.nodeId);
    const [nodes, streets, grids] = await Promise.all([
      models.Node.find({ _id: { $in: nodeIds }, ...inScope(actor.scope) }).lean<PlaceNode[]>(),
      // Streets belong to no community; these are the actor's own grants.
      streetIds.length > 0
        ? models.Node.find({ _id: { $in: streetIds } })
            .setOptions(CROSS_COMMUNITY)
            .lean<PlaceNode[]>()
        : [],
      models.Grid.find({
        _id: { $in: actor.grants.map((g) => g.gridId).filter(Boolean) },
        ...inScope(actor.scope),
      }).lean(),
    ]);
    const refs = await nodeRefs([...nodes, ...streets]);
    return actor.grants.flatMap((grant) => {
      const node = refs.get(String(grant.nodeId));
      if (!node) return [];
      const grid = grant.gridId ? grids.find((g) => g._id.equals(grant.gridId!)) : undefined;
      return [
        {
          id: String(grant._id),
          role: grant.role as Role,
          node,
          ...(grid ? { gridName: grid.name, gridId: String(grid._id) } : {}),
        },
      ];
    });
  }

  async function householdsOf(actor: Actor): Promise<MyHousehold[]> {
    const households = await models.Household.find({ 'members.userId': actor.userId, ...inScope(actor.scope) }).lean();
    if (households.length === 0) return [];
    const units = await models.Node.find({
      _id: { $in: households.map((h) => h.unitId) },
      ...inScope(actor.scope),
    }).lean<PlaceNode[]>();
    const refs = await nodeRefs(units);
    const memberIds = households.flatMap((h) => h.members.map((m) => m.userId));
    const names = new Map(
      (await models.User.find({ _id: { $in: memberIds } }, { displayName: 1 }).lean()).map((u) => [
        String(u._id),
        u.displayName,
      ]),
    );
    return households.flatMap((h) => {
      const unit = refs.get(String(h.unitId));
      const mine = h.members.find((m) => m.userId.equals(actor.userId));
      if (!unit || !mine) return [];
      return [
        {
          id: String(h._id),
          room: h.room,
          floor: h.floor,
          unit,
          relation: mine.relation as HouseholdRelation,
          ...(mine.relation === 'owner' ? { areaHundredths: h.areaHundredths } : {}),
          members: h.members.map((m) => {
            const isMe = m.userId.equals(actor.userId);
            const name = names.get(String(m.userId)) ?? '';
            return { name: isMe ? name : maskName(name), relation: m.relation as HouseholdRelation, isMe };
          }),
        },
      ];
    });
  }

  async function me(actor: Actor): Promise<Me> {
    const [user, roles, households, pendingJoinRequests, accepted] = await Promise.all([
      models.User.findById(actor.userId).lean(),
      rolesOf(actor),
      householdsOf(actor),
      // A newcomer's request lives in a community they do not belong to yet; it is their own.
      models.JoinRequest.countDocuments({ userId: actor.userId, status: 'pending' }).setOptions(CROSS_COMMUNITY),
      models.PolicyAcceptance.findOne({ userId: actor.userId }).sort({ acceptedAt: -1, _id: -1 }).lean(),
    ]);
    if (!user) throw new NotFoundError('No such user');
    return {
      id: String(user._id),
      displayName: user.displayName,
      phoneMasked: user.phone ? maskPhone(user.phone) : null,
      badges: user.badges as Badge[],
      roles,
      households,
      pendingJoinRequests,
      privacyAccepted: accepted ? { version: accepted.version, acceptedAt: accepted.acceptedAt.toISOString() } : null,
    };
  }

  async function update(actor: Actor, changes: { displayName?: string; phone?: string }): Promise<void> {
    // By name: whatever else a caller's object carries is never written.
    const { displayName, phone } = changes;
    await models.User.updateOne(
      { _id: actor.userId },
      { $set: { ...(displayName !== undefined ? { displayName } : {}), ...(phone !== undefined ? { phone } : {}) } },
    );
  }

  return { me, update };
}
export type PeopleService = ReturnType<typeof createPeopleService>;
