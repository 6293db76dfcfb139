import { Type, type Static } from '@sinclair/typebox';
import { CONSENT_ITEM_KINDS, CONSENT_KINDS, DELETION_CONFIRMATION } from '../privacy';
import { DateTime, Id, Literals } from './ids';

/** An acceptance of the privacy policy: the version accepted and when. */
export const PrivacyAcceptance = Type.Object({ version: Type.String(), acceptedAt: DateTime });
export type PrivacyAcceptance = Static<typeof PrivacyAcceptance>;

/** POST /me/privacy-acceptance — an unknown version is 422 `POLICY_VERSION_UNKNOWN`. */
export const PrivacyAcceptanceBody = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type PrivacyAcceptanceBody = Static<typeof PrivacyAcceptanceBody>;

export const ConsentKindName = Literals(CONSENT_KINDS);
export const ConsentItemKindName = Literals(CONSENT_ITEM_KINDS);

/** One separate consent (单独同意) the caller gave, about one item. */
export const ConsentView = Type.Object({
  id: Id,
  kind: ConsentKindName,
  itemKind: ConsentItemKindName,
  itemId: Id,
  /** What it is about: the report's, wish's or entry's short text (or its label when the item is gone). */
  title: Type.String(),
  /** Whether it stands now (given and not revoked). */
  granted: Type.Boolean(),
  grantedAt: DateTime,
  revokedAt: Type.Union([DateTime, Type.Null()]),
  /** The privacy policy version in force when it was given. */
  version: Type.String(),
});
export type ConsentView = Static<typeof ConsentView>;

/** GET /me/consents — newest first. */
export const ConsentList = Type.Object({ items: Type.Array(ConsentView) });
export type ConsentList = Static<typeof ConsentList>;

export const ExportState = Literals(['pending', 'ready', 'failed'] as const);

/** POST /me/exports, GET /me/exports/:id — the archive itself is GET /me/exports/:id/download (application/zip). */
export const ExportView = Type.Object({
  id: Id,
  state: ExportState,
  readyAt: Type.Union([DateTime, Type.Null()]),
  /** After this the archive is gone (24 h after it was ready). */
  expiresAt: Type.Union([DateTime, Type.Null()]),
});
export type ExportView = Static<typeof ExportView>;

/** POST /me/deletion — `confirm` must be exactly '注销账号'. */
export const DeletionBody = Type.Object(
  { confirm: Type.Literal(DELETION_CONFIRMATION) },
  { additionalProperties: false },
);
export type DeletionBody = Static<typeof DeletionBody>;

export const DeletionResult = Type.Object({ deleted: Type.Literal(true) });
export type DeletionResult = Static<typeof DeletionResult>;

/** GET /privacy-policy (public): the policy in force with the configured retention. */
export const PolicySectionView = Type.Object({
  key: Type.String(),
  title: Type.String(),
  paragraphs: Type.Array(Type.String()),
  items: Type.Optional(Type.Array(Type.String())),
});
export const PrivacyPolicyView = Type.Object({
  version: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  sections: Type.Array(PolicySectionView),
  retentionYears: Type.Integer(),
});
export type PrivacyPolicyView = Static<typeof PrivacyPolicyView>;
