import { permissions, type Action } from '../../shared/roles';
import type { Me, NodeRef, RoleGrantView } from '../../shared/schemas/people';

/** The user's roles that allow `action` somewhere (the service checks the exact place again). */
export function grantsFor(me: Me | undefined, action: Action): RoleGrantView[] {
  const allowed: readonly string[] = permissions[action];
  return (me?.roles ?? []).filter((grant) => allowed.includes(grant.role));
}

/** The places (each once) where the user holds a role that allows `action`: where to start choosing a unit. */
export function placesFor(me: Me | undefined, action: Action): NodeRef[] {
  return [...new Map(grantsFor(me, action).map((grant) => [grant.node.id, grant.node])).values()];
}
