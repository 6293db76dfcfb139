import type { Types } from 'mongoose';
import { maskName, maskPhone } from '../../../shared/masking';
import type { HouseholdRelation } from '../../../shared/places';
import type { Role } from '../../../shared/roles';
import type { Me, MyHousehold, NodeRef, RoleGrantView } from '../../../shared/schemas/people';
import { CROSS_COMMUNITY, inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import { membersBesides, type Household, type PlaceNode } from '../places/model';
import { placeRefs } from '../places/service';
import type { Actor } from '../roles/access';

type Badge = Me['badges'][number];

/** What the caller sees of themselves: profile, roles with places, households, open requests. */
export function createPeopleService(deps: {
  models: Pick<Models, 'User' | 'Node' | 'Grid' | 'Household' | 'JoinRequest' | 'PolicyAcceptance'>;
}) {
  const { models } = deps;

  /** The nodes the actor's grants are on (streets too: they belong to no community) and the grids named. */
  function grantPlaces(actor: Actor) {
    const nodeIds = actor.grants.map((g) => g.nodeId);
    const streetIds = actor.grants.filter((g) => !g.communityId).map((g) => g.nodeId);
    return Promise.all([
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
  }

  function rolesOf(
    actor: Actor,
    refs: Map<string, NodeRef>,
    grids: Awaited<ReturnType<typeof grantPlaces>>[2],
  ): RoleGrantView[] {
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

  function householdsOf(
    actor: Actor,
    households: Household[],
    refs: Map<string, NodeRef>,
    names: Map<string, string>,
  ): MyHousehold[] {
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

  /**
   * In two rounds of lookups at once: the user, the grants' places, the households and the requests; then the
   * names of every place shown (a household keeps its unit's ancestry) and of the members.
   */
  async function me(actor: Actor): Promise<Me> {
    const [user, [nodes, streets, grids], households, pendingJoinRequests, accepted] = await Promise.all([
      models.User.findById(actor.userId).lean(),
      grantPlaces(actor),
      models.Household.find({ 'members.userId': actor.userId, ...inScope(actor.scope) }).lean<Household[]>(),
      // A newcomer's request lives in a community they do not belong to yet; it is their own.
      models.JoinRequest.countDocuments({ userId: actor.userId, status: 'pending' }).setOptions(CROSS_COMMUNITY),
      models.PolicyAcceptance.findOne({ userId: actor.userId }).sort({ acceptedAt: -1, _id: -1 }).lean(),
    ]);
    if (!user) throw new NotFoundError('No such user');
    const granted = [...nodes, ...streets];
    const [places, members] = await Promise.all([
      models.Node.find(
        {
          _id: { $in: [...granted.flatMap((n) => n.ancestors), ...households.flatMap((h) => h.ancestors)] },
          communityId: { $in: actor.scope.communityIds },
        },
        { name: 1, kind: 1, ancestors: 1 },
      ).lean<Pick<PlaceNode, '_id' | 'name' | 'kind' | 'ancestors'>[]>(),
      households.length > 0
        ? models.User.find(
            { _id: { $in: households.flatMap((h) => h.members.map((m) => m.userId)) } },
            { displayName: 1 },
          ).lean()
        : [],
    ]);
    const byId = new Map(places.map((p) => [String(p._id), p]));
    const units = households.flatMap((h) => byId.get(String(h.unitId)) ?? []);
    const refs = placeRefs([...granted, ...units], byId);
    return {
      id: String(user._id),
      displayName: user.displayName,
      phoneMasked: user.phone ? maskPhone(user.phone) : null,
      badges: user.badges as Badge[],
      roles: rolesOf(actor, refs, grids),
      households: householdsOf(actor, households, refs, new Map(members.map((u) => [String(u._id), u.displayName]))),
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

  /** Everyone who shares a household with the user, in any community (their GET /me names them). */
  async function householdMates(userId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const households = await models.Household.find({ 'members.userId': userId }, { members: 1 })
      .setOptions(CROSS_COMMUNITY)
      .lean();
    return membersBesides(households, userId);
  }

  return { me, update, householdMates };
}
export type PeopleService = ReturnType<typeof createPeopleService>;
