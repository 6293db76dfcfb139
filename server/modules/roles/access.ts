import { Types } from 'mongoose';
import { isAllowed, type Action, type Grant, type Role } from '../../../shared/roles';
import { CROSS_COMMUNITY, inScope, type Scope } from '../../data/tenant-scope';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { PlaceNode } from '../places/model';
import type { RoleGrant } from './model';

/** Who is calling: their grants, the same grants as the pure rule sees them, and the communities they may see. */
export interface Actor {
  userId: Types.ObjectId;
  sessionId: string;
  displayName: string;
  grants: RoleGrant[];
  /** Grants with grid workers' grids expanded to the grid's buildings. */
  effective: Grant[];
  scope: Scope;
}

/** The node ids from the top down to `node` itself: what `isAllowed` checks grants against. */
export function ancestryOf(node: Pick<PlaceNode, '_id' | 'ancestors'>): string[] {
  return [...node.ancestors.map(String), String(node._id)];
}

/**
 * The permissions module: every module asks it "may this actor do this on this node?". Roles count on the
 * node itself and on its ancestors; nothing outside the actor's communities is even found.
 */
export function createAccess(models: Pick<Models, 'RoleGrant' | 'Grid' | 'Node'>) {
  async function loadActor(user: { _id: Types.ObjectId; displayName: string }, sessionId: string): Promise<Actor> {
    const grants = await models.RoleGrant.find({ userId: user._id }).lean<RoleGrant[]>();
    const communityIds = new Map<string, Types.ObjectId>();
    for (const grant of grants) if (grant.communityId) communityIds.set(String(grant.communityId), grant.communityId);

    // Street-level roles reach every community under the street.
    const streetIds = grants.filter((g) => !g.communityId).map((g) => g.nodeId);
    if (streetIds.length > 0) {
      const communities = await models.Node.find({ kind: 'community', ancestors: { $in: streetIds } }, { _id: 1 })
        .setOptions(CROSS_COMMUNITY)
        .lean();
      for (const c of communities) communityIds.set(String(c._id), c._id);
    }
    const scope: Scope = { communityIds: [...communityIds.values()] };

    const gridIds = grants.filter((g) => g.gridId).map((g) => g.gridId!);
    const grids = gridIds.length > 0 ? await models.Grid.find({ _id: { $in: gridIds }, ...inScope(scope) }).lean() : [];
    const effective: Grant[] = grants.flatMap((grant): Grant[] => {
      if (!grant.gridId) return [{ role: grant.role as Role, nodeId: String(grant.nodeId) }];
      const grid = grids.find((g) => g._id.equals(grant.gridId!));
      return (grid?.buildingIds ?? []).map((b) => ({ role: grant.role as Role, nodeId: String(b) }));
    });

    return { userId: user._id, sessionId, displayName: user.displayName, grants, effective, scope };
  }

  /**
   * A node the actor's communities contain (or a street they hold a role on), else 404 — never 403: the ids
   * of other communities' places reveal nothing.
   */
  async function findNode(actor: Actor, id: string | Types.ObjectId): Promise<PlaceNode> {
    if (!Types.ObjectId.isValid(id)) throw new NotFoundError('No such place');
    let node = await models.Node.findOne({ _id: id, ...inScope(actor.scope) }).lean<PlaceNode>();
    if (!node && actor.grants.some((g) => !g.communityId && g.nodeId.equals(id))) {
      node = await models.Node.findOne({ _id: id, kind: 'street' }).setOptions(CROSS_COMMUNITY).lean<PlaceNode>();
    }
    if (!node) throw new NotFoundError('No such place');
    return node;
  }

  function can(actor: Actor, action: Action, node: Pick<PlaceNode, '_id' | 'ancestors'>): boolean {
    return isAllowed(action, actor.effective, ancestryOf(node));
  }

  /** The node, when the actor may take `action` on it; 404 outside their communities, 403 inside. */
  async function authorize(actor: Actor, action: Action, nodeId: string | Types.ObjectId): Promise<PlaceNode> {
    const node = await findNode(actor, nodeId);
    if (!can(actor, action, node)) throw new ForbiddenError(`Your roles do not allow ${action} here`);
    return node;
  }

  return { loadActor, findNode, can, authorize };
}
export type Access = ReturnType<typeof createAccess>;
