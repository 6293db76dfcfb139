import type { Types } from 'mongoose';
import type { NodeKind } from '../../../shared/places';
import type { Action } from '../../../shared/roles';
import type { NodeRef } from '../../../shared/schemas/people';
import type { NodeView } from '../../../shared/schemas/places';
import { inScope, type Scope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Access, Actor } from '../roles/access';
import type { Grid, PlaceNode } from './model';

const unique = (ids: Types.ObjectId[]) => [...new Map(ids.map((id) => [String(id), id])).values()];

type Named = Pick<PlaceNode, '_id' | 'name' | 'kind'>;

/** Names nodes for display, given their ancestors (`ancestors`: the named nodes by id; streets are left out). */
export function placeRefs(
  nodes: Pick<PlaceNode, '_id' | 'name' | 'kind' | 'ancestors'>[],
  ancestors: Map<string, Named>,
): Map<string, NodeRef> {
  return new Map(
    nodes.map((node) => [
      String(node._id),
      {
        id: String(node._id),
        kind: node.kind as NodeKind,
        name: node.name,
        path: [
          ...node.ancestors.flatMap((id) => {
            const a = ancestors.get(String(id));
            return a && a.kind !== 'street' ? [a.name] : [];
          }),
          node.name,
        ],
      },
    ]),
  );
}

/** Names nodes for display: each node with the names from its community down to it, in one query. */
export function createPlaceNames(models: Pick<Models, 'Node'>) {
  return async function nodeRefs(nodes: PlaceNode[]): Promise<Map<string, NodeRef>> {
    const communityIds = unique(nodes.map((n) => n.communityId).filter((id): id is Types.ObjectId => !!id));
    const ancestorIds = unique(nodes.flatMap((n) => n.ancestors));
    const ancestors =
      ancestorIds.length > 0 && communityIds.length > 0
        ? await models.Node.find(
            { _id: { $in: ancestorIds }, communityId: { $in: communityIds } },
            { name: 1, kind: 1 },
          ).lean<Named[]>()
        : [];
    return placeRefs(nodes, new Map(ancestors.map((a) => [String(a._id), a])));
  };
}
export type NodeRefs = ReturnType<typeof createPlaceNames>;

/** Nodes with their breadcrumb and counts, as the API shows them; counts cover what `scope` may see. */
export function createPlaceViews(models: Pick<Models, 'Node' | 'Household'>, nodeRefs: NodeRefs) {
  return async function views(nodes: PlaceNode[], scope: Scope): Promise<NodeView[]> {
    if (nodes.length === 0) return [];
    const ids = nodes.map((n) => n._id);
    const [ancestors, children, households] = await Promise.all([
      models.Node.find({ _id: { $in: unique(nodes.flatMap((n) => n.ancestors)) }, ...inScope(scope) }).lean<
        PlaceNode[]
      >(),
      models.Node.aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { ...inScope(scope), parentId: { $in: ids } } },
        { $group: { _id: '$parentId', n: { $sum: 1 } } },
      ]),
      models.Household.aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { ...inScope(scope), ancestors: { $in: ids } } },
        { $unwind: '$ancestors' },
        { $match: { ancestors: { $in: ids } } },
        { $group: { _id: '$ancestors', n: { $sum: 1 } } },
      ]),
    ]);
    const refs = await nodeRefs([...ancestors, ...nodes]);
    const count = (rows: { _id: Types.ObjectId; n: number }[], id: Types.ObjectId) =>
      rows.find((r) => r._id.equals(id))?.n ?? 0;
    return nodes.map((node) => ({
      id: String(node._id),
      kind: node.kind as NodeKind,
      name: node.name,
      parentId: node.parentId ? String(node.parentId) : null,
      breadcrumb: [...node.ancestors, node._id].flatMap((id) => refs.get(String(id)) ?? []),
      childCount: count(children, node._id),
      householdCount: count(households, node._id),
    }));
  };
}

/**
 * Whose figures (and ledgers) the caller may see: a community's for those who may take `action` on it; one of its
 * grids also for those who may take it on the grid's buildings (its grid workers, checked on one of them).
 */
export function createFiguresScope(
  models: Pick<Models, 'Grid'>,
  access: Pick<Access, 'findNode' | 'can' | 'authorize'>,
) {
  return async function figuresScope(
    actor: Actor,
    action: Action,
    communityId: string,
    gridId?: string,
  ): Promise<{ community: Types.ObjectId; grid?: Grid }> {
    const community = await access.findNode(actor, communityId);
    if (!gridId) {
      await access.authorize(actor, action, community._id);
      return { community: community._id };
    }
    const grid = await models.Grid.findOne({ _id: gridId, communityId: community._id }).lean<Grid>();
    if (!grid) throw new NotFoundError('No such grid');
    const building = grid.buildingIds[0] ? await access.findNode(actor, grid.buildingIds[0]) : community;
    if (!access.can(actor, action, building)) await access.authorize(actor, action, community._id);
    return { community: community._id, grid };
  };
}
