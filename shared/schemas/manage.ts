import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id } from './ids';
import { NodeRef, RelationName } from './people';
import { UpdateCategoryBody } from './reports';

/** The 管理 console's own endpoints: an import preview, new report categories, grant candidates, street figures. */

/** A structure import checked without writing: every row numbered as the file numbers it. */
export const ImportPreview = Type.Object({
  /** Data rows read (the header not counted). */
  rowCount: Type.Integer(),
  /** The first rows that passed, as they would be imported (at most 200 shown). */
  rows: Type.Array(
    Type.Object({
      line: Type.String(),
      estate: Type.String(),
      building: Type.String(),
      unit: Type.String(),
      room: Type.String(),
      floor: Type.Integer(),
      areaHundredths: Type.Integer(),
    }),
  ),
  validCount: Type.Integer(),
  /** Each bad row (`line 3`, or `line 1` for the header) and why. */
  problems: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
  /** Distinct places the valid rows name. */
  places: Type.Object({ estates: Type.Integer(), buildings: Type.Integer(), units: Type.Integer() }),
});
export type ImportPreview = Static<typeof ImportPreview>;

// The edit body's fields are all optional (Type.Partial): a new category must have all but these three.
const { icon, group, keywords, ...required } = Type.Required(UpdateCategoryBody).properties;
/** A new category: the fields staff may edit, all but icon, group and keywords required, and a code. */
export const CreateCategoryBody = Type.Object({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,19}$', description: 'lowercase letters, digits, _' }),
  icon: Type.Optional(icon),
  group: Type.Optional(group),
  keywords: Type.Optional(keywords),
  ...required,
});
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

/** Someone living under a place, to whom staff may grant a role there. */
export const Resident = Type.Object({
  userId: Id,
  displayName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  unit: NodeRef,
  room: Type.String(),
  relation: RelationName,
});
export type Resident = Static<typeof Resident>;

const Rate = Type.Union([Type.Number(), Type.Null()]);
/** One community's figures on a street's comparison. */
export const CommunityFigures = Type.Object({
  community: NodeRef,
  total: Type.Integer(),
  responseRate: Rate,
  onTimeResolutionRate: Rate,
  /** Share of ratings of 4 or 5. */
  satisfaction: Rate,
  overdue: Type.Integer(),
});
export type CommunityFigures = Static<typeof CommunityFigures>;

export const StreetFiguresQuery = Type.Object({ from: DateTime, to: DateTime });
export const StreetFigures = Type.Object({
  from: DateTime,
  to: DateTime,
  communities: Type.Array(CommunityFigures),
});
export type StreetFigures = Static<typeof StreetFigures>;

/** An Open311 key as issued: the secret is in this answer only. */
export const IssuedKey = Type.Object({
  id: Id,
  name: Type.String(),
  key: Type.String({ description: 'Shown this once; only its hash is kept' }),
});
export type IssuedKey = Static<typeof IssuedKey>;
export const ApiKeyView = Type.Object({
  id: Id,
  name: Type.String(),
  createdAt: DateTime,
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
  revokedAt: Type.Union([DateTime, Type.Null()]),
});
export type ApiKeyView = Static<typeof ApiKeyView>;
