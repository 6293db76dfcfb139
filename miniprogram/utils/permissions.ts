import { permissions, type Action } from '../../shared/roles';
import type { Me, RoleGrantView } from '../../shared/schemas/people';

/** The user's roles that allow `action` somewhere (the service checks the exact place again). */
export function grantsFor(me: Me | undefined, action: Action): RoleGrantView[] {
  const allowed: readonly string[] = permissions[action];
  return (me?.roles ?? []).filter((grant) => allowed.includes(grant.role));
}
