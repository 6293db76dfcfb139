import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, Literals } from './ids';
import { NodeKindName, NodeRef, RelationName } from './people';

export const NodeView = Type.Object({
  id: Id,
  kind: NodeKindName,
  name: Type.String(),
  parentId: Type.Union([Id, Type.Null()]),
  /** Ancestors from the top down, then this node. */
  breadcrumb: Type.Array(NodeRef),
  childCount: Type.Integer(),
  householdCount: Type.Integer(),
});
export type NodeView = Static<typeof NodeView>;

export const CreateCommunityBody = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 40 }),
  streetId: Type.Optional(Id),
});

/** One household row of a structure import (JSON form); the CSV form has the same columns. */
export const ImportRow = Type.Object({
  estate: Type.String(),
  building: Type.String(),
  unit: Type.String(),
  room: Type.String(),
  floor: Type.Union([Type.String(), Type.Integer()]),
  area: Type.Union([Type.String(), Type.Number()], { description: 'exclusive floor area in m², up to 2 decimals' }),
});
export const ImportBody = Type.Object({
  rows: Type.Array(ImportRow, { maxItems: 20000 }),
  grids: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.String({ minLength: 1, maxLength: 40 }),
        /** Buildings as 'estate/building', e.g. '阳光花园/1栋'. */
        buildings: Type.Array(Type.String(), { minItems: 1 }),
      }),
    ),
  ),
});
export type ImportBody = Static<typeof ImportBody>;

export const ImportResult = Type.Object({
  created: Type.Object({
    estates: Type.Integer(),
    buildings: Type.Integer(),
    units: Type.Integer(),
    households: Type.Integer(),
    grids: Type.Integer(),
  }),
  /** Households already present whose floor or area changed. */
  updatedHouseholds: Type.Integer(),
  unchangedHouseholds: Type.Integer(),
});
export type ImportResult = Static<typeof ImportResult>;

export const GridView = Type.Object({
  id: Id,
  name: Type.String(),
  buildings: Type.Array(NodeRef),
  /** Each worker with the grant that makes them one (DELETE /role-grants/:id takes it back). */
  workers: Type.Array(Type.Object({ grantId: Id, userId: Id, displayName: Type.String() })),
});
export type GridView = Static<typeof GridView>;

export const HouseholdSummary = Type.Object({
  id: Id,
  room: Type.String(),
  floor: Type.Integer(),
  areaHundredths: Type.Integer(),
  members: Type.Array(
    Type.Object({
      name: Type.String(),
      relation: RelationName,
      /** Only to those who may act for the household's members (order.on_behalf on its unit): whom to pick. */
      userId: Type.Optional(Id),
    }),
  ),
});
export type HouseholdSummary = Static<typeof HouseholdSummary>;

export const InviteView = Type.Object({
  code: Type.String(),
  unit: NodeRef,
  expiresAt: DateTime,
  revoked: Type.Boolean(),
  /** What a QR code for this invite encodes: the mini-program page with the code. */
  qrPayload: Type.String(),
  uses: Type.Integer(),
});
export type InviteView = Static<typeof InviteView>;

export const CreateInviteBody = Type.Object({
  /** Hours until the code stops working (default 7 days). */
  ttlHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30, default: 168 })),
});

export const InvitePreview = Type.Object({
  unit: NodeRef,
  rooms: Type.Array(Type.Object({ room: Type.String(), floor: Type.Integer() })),
  expiresAt: DateTime,
});
export type InvitePreview = Static<typeof InvitePreview>;

export const JoinRequestStatus = Literals(['pending', 'approved', 'rejected', 'cancelled']);

export const JoinBody = Type.Object({
  code: Type.String({ minLength: 4, maxLength: 16 }),
  room: Type.String({ minLength: 1, maxLength: 12 }),
  relation: RelationName,
  note: Type.Optional(Type.String({ maxLength: 100 })),
});

export const JoinRequestView = Type.Object({
  id: Id,
  status: JoinRequestStatus,
  unit: NodeRef,
  room: Type.String(),
  relation: RelationName,
  note: Type.Optional(Type.String()),
  /** The applicant, masked for everyone but themselves. */
  applicant: Type.Object({ id: Id, displayName: Type.String() }),
  reason: Type.Optional(Type.String()),
  createdAt: DateTime,
  decidedAt: Type.Optional(DateTime),
});
export type JoinRequestView = Static<typeof JoinRequestView>;

export const JoinListQuery = Type.Object({
  status: Type.Optional(JoinRequestStatus),
  /** 'mine' lists the caller's own requests; 'review' those the caller may decide. */
  view: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('review')], { default: 'mine' })),
});

export const RejectBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 100 }) });
