import type { NodeRef, RoleGrantView } from '../../shared/schemas/people';
import { api } from '../services/api';

/**
 * The communities some staff grants answer for: a community grant's own, each community under a street grant's
 * street (asked of the service, as the profile only names the street).
 */
export async function communitiesOf(grants: RoleGrantView[]): Promise<NodeRef[]> {
  const found = new Map<string, NodeRef>();
  for (const grant of grants) {
    if (grant.node.kind === 'community') found.set(grant.node.id, grant.node);
    if (grant.node.kind === 'street') {
      for (const child of await api.children(grant.node.id)) {
        const ref = child.breadcrumb[child.breadcrumb.length - 1];
        if (ref?.kind === 'community') found.set(ref.id, ref);
      }
    }
  }
  return [...found.values()];
}
