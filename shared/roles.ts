/**
 * Roles granted on nodes and what each may do. Every permission check is "a role on an ancestor of the
 * thing's node (or the node itself)"; `isAllowed` is that rule, pure, used by the server's permissions
 * module and by the mini-program to decide which buttons to show.
 */

export const Role = {
  resident: 'resident',
  unitCaptain: 'unit_captain',
  buildingCaptain: 'building_captain',
  gridWorker: 'grid_worker',
  propertyHandler: 'property_handler',
  communityStaff: 'community_staff',
  streetStaff: 'street_staff',
  admin: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const roleLabel: Record<Role, string> = {
  resident: '居民',
  unit_captain: '单元长',
  building_captain: '楼长',
  grid_worker: '网格员',
  property_handler: '物业',
  community_staff: '社区工作者',
  street_staff: '街道工作人员',
  admin: '管理员',
};

/** Badges a person carries, not tied to a node. */
export const Badge = { volunteer: 'volunteer', partyMember: 'party_member' } as const;
export type Badge = (typeof Badge)[keyof typeof Badge];
export const badgeLabel: Record<Badge, string> = { volunteer: '志愿者', party_member: '党员' };

const staff: Role[] = [Role.communityStaff, Role.streetStaff, Role.admin];
const captains: Role[] = [Role.unitCaptain, Role.buildingCaptain];

/** Which roles may take each action on a node in their subtree. */
export const permissions = {
  'structure.manage': [...staff],
  'grid.manage': [...staff],
  'role.grant': [...staff],
  'invite.manage': [...captains, ...staff],
  'join.review': [...captains, ...staff],
  'household.view': [...captains, Role.gridWorker, ...staff],
  'notice.post': [...captains, Role.gridWorker, Role.propertyHandler, ...staff],
  'notice.receipts': [...captains, Role.gridWorker, Role.propertyHandler, ...staff],
  'moderation.review': [...staff],
  'timeline.export': [...staff],
  'report.figures': [Role.gridWorker, ...staff],
  'report.categories': [...staff],
  /** 议事: adopt, moderate the discussion, open ballots, record proxy ballots, carry out (captains and staff). */
  'topic.moderate': [...captains, ...staff],
  /** 议事: record 四议两公开 stages and configure them (staff). */
  'topic.procedure': [...staff],
  'volunteer.verify': [...staff],
  'order.dispatch': [Role.gridWorker, ...staff],
  /** Ordering a service for a neighbour. */
  'order.on_behalf': [...captains, Role.gridWorker, ...staff],
  'activity.manage': [...staff],
  /** 微心愿: review wishes, decide disputes, register organisations, set the community's wish settings. */
  'wish.review': [...staff],
  /** 微心愿: record a wish for a neighbour who does not use a phone (代录). */
  'wish.on_behalf': [...captains, Role.gridWorker, ...staff],
  /** 红黑榜: verify nominations, clear photos, publish, decide appeals, set the acts and points. */
  'board.review': [...staff],
  /** 红黑榜: grid workers nominate in their grid like residents do where they live. */
  'board.nominate': [Role.gridWorker, ...staff],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof permissions;

/** Roles a staff member may hand out on a node, and on which kinds of node each makes sense. */
export const grantableOn: Partial<Record<Role, readonly string[]>> = {
  unit_captain: ['unit'],
  building_captain: ['building'],
  property_handler: ['estate'],
  community_staff: ['community'],
  street_staff: ['street'],
  admin: ['street', 'community'],
};

export interface Grant {
  role: Role;
  /** The node the role is held on (for grid workers: every building of the grid). */
  nodeId: string;
}

/**
 * May someone holding `grants` take `action` on the node whose ancestry (root first, ending with the node
 * itself) is `ancestry`?
 */
export function isAllowed(action: Action, grants: readonly Grant[], ancestry: readonly string[]): boolean {
  const roles: readonly Role[] = permissions[action];
  const path = new Set(ancestry);
  return grants.some((grant) => roles.includes(grant.role) && path.has(grant.nodeId));
}

/**
 * Seniority, for who may hand out, take back or act against whose roles. `admin` ranks with street staff, as in
 * report dispatch; the roles below community staff are all granted by staff and never by each other.
 */
export const roleRank: Record<Role, number> = {
  resident: 1,
  unit_captain: 2,
  building_captain: 3,
  grid_worker: 3,
  property_handler: 3,
  community_staff: 4,
  street_staff: 5,
  admin: 5,
};

/** The highest rank among `grants` held on the node whose ancestry is given, or on its ancestors; 0 for none. */
export function rankOn(grants: readonly Grant[], ancestry: readonly string[]): number {
  const path = new Set(ancestry);
  return Math.max(0, ...grants.filter((grant) => path.has(grant.nodeId)).map((grant) => roleRank[grant.role]));
}

/**
 * May someone holding `grants` grant `role` on the node whose ancestry is given, or revoke a grant of it there?
 * Nobody hands out or takes back a role ranked above their own on that node's path.
 */
export function mayGrant(grants: readonly Grant[], role: Role, ancestry: readonly string[]): boolean {
  return roleRank[role] <= rankOn(grants, ancestry);
}

/** May someone act against another person (ban them) at the node whose ancestry is given: only from above. */
export function outranks(actorGrants: readonly Grant[], targetGrants: readonly Grant[], ancestry: readonly string[]) {
  return rankOn(actorGrants, ancestry) > rankOn(targetGrants, ancestry);
}
