import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, Literals } from './ids';

const RoleName = Literals([
  'resident',
  'unit_captain',
  'building_captain',
  'grid_worker',
  'property_handler',
  'community_staff',
  'street_staff',
  'admin',
]);
const NodeKindName = Literals(['street', 'community', 'estate', 'building', 'unit']);
const BadgeName = Type.Union([Type.Literal('volunteer'), Type.Literal('party_member')]);
const RelationName = Type.Union([Type.Literal('owner'), Type.Literal('family'), Type.Literal('tenant')]);

export const LoginBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 128 }) });
export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) });

/** A node named for display: '阳光花园 · 3栋 · 1单元'. */
export const NodeRef = Type.Object({
  id: Id,
  kind: NodeKindName,
  name: Type.String(),
  /** Names from the community down to this node. */
  path: Type.Array(Type.String()),
});
export type NodeRef = Static<typeof NodeRef>;

export const RoleGrantView = Type.Object({
  id: Id,
  role: RoleName,
  node: NodeRef,
  /** For grid workers: the grid's name. */
  gridName: Type.Optional(Type.String()),
  gridId: Type.Optional(Id),
});
export type RoleGrantView = Static<typeof RoleGrantView>;

export const MyHousehold = Type.Object({
  id: Id,
  room: Type.String(),
  floor: Type.Integer(),
  unit: NodeRef,
  relation: RelationName,
  /** Exclusive area in hundredths of m², shown to owners only. */
  areaHundredths: Type.Optional(Type.Integer()),
  members: Type.Array(Type.Object({ name: Type.String(), relation: RelationName, isMe: Type.Boolean() })),
});
export type MyHousehold = Static<typeof MyHousehold>;

export const Me = Type.Object({
  id: Id,
  displayName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  badges: Type.Array(BadgeName),
  roles: Type.Array(RoleGrantView),
  households: Type.Array(MyHousehold),
  /** Join requests still waiting for a decision. */
  pendingJoinRequests: Type.Integer(),
  /** The caller's latest acceptance of the privacy policy (shared/privacy.ts), null if never accepted. */
  privacyAccepted: Type.Optional(
    Type.Union([Type.Object({ version: Type.String(), acceptedAt: DateTime }), Type.Null()]),
  ),
});
export type Me = Static<typeof Me>;

export const Session = Type.Object({
  accessToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
  refreshToken: Type.String(),
  refreshExpiresAt: DateTime,
  me: Me,
});
export type Session = Static<typeof Session>;

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    phone: Type.Optional(Type.String({ minLength: 5, maxLength: 20 })),
  },
  { minProperties: 1 },
);

export const DemoUser = Type.Object({ key: Type.String(), displayName: Type.String(), description: Type.String() });
export type DemoUser = Static<typeof DemoUser>;
export const DemoCodeBody = Type.Object({ key: Type.String({ minLength: 1, maxLength: 40 }) });
export const DemoCode = Type.Object({ code: Type.String() });

export const GrantRoleBody = Type.Object({ userId: Id, role: RoleName });

/** A person as staff see them when granting roles: masked unless it is the caller. */
export const PersonSummary = Type.Object({
  id: Id,
  displayName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  badges: Type.Array(BadgeName),
});
export type PersonSummary = Static<typeof PersonSummary>;

export { BadgeName, NodeKindName, RelationName, RoleName };
