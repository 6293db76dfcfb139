import { grantableOn, mayGrant, type Grant, type Role } from '../../../shared/roles';
import type { Me } from '../../../shared/schemas/people';
import type { NodeView } from '../../../shared/schemas/places';

/**
 * The rank rule of the service (shared/roles.ts mayGrant) as the page can apply it: a place's breadcrumb starts at
 * its community, so a street grant (which reaches every community the user sees) counts on every place.
 */
function ancestry(me: Me, node: NodeView): string[] {
  const streets = me.roles.filter((r) => r.node.kind === 'street').map((r) => r.node.id);
  return [...streets, ...node.breadcrumb.map((ref) => ref.id)];
}

const grantsOf = (me: Me): Grant[] => me.roles.map((r) => ({ role: r.role as Role, nodeId: r.node.id }));

/** The roles the user may grant on `node`: those made for its kind, none ranked above the user's own there. */
export function grantableHere(me: Me, node: NodeView): Role[] {
  return (Object.keys(grantableOn) as Role[]).filter(
    (role) => grantableOn[role]!.includes(node.kind) && mayGrant(grantsOf(me), role, ancestry(me, node)),
  );
}

/** May the user take back a grant of `role` on `node` (the same rank rule)? */
export function mayRevokeHere(me: Me, node: NodeView, role: Role): boolean {
  return mayGrant(grantsOf(me), role, ancestry(me, node));
}
