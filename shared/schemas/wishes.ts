import { Type, type Static } from '@sinclair/typebox';
import {
  beneficiaryKinds,
  claimantTypes,
  WISH_SETTING_BOUNDS,
  WISH_TEXT_MAX,
  wishActions,
  wishKinds,
  wishStates,
} from '../wishes';
import { DateTime, Id, Literals, PageQuery } from './ids';
import { NodeRef } from './people';
import { MediaView } from './platform';

export const WishKindName = Literals(wishKinds);
export const BeneficiaryKindName = Literals(beneficiaryKinds);
export const WishStateName = Literals(wishStates);
export const WishActionName = Literals(wishActions);
export const ClaimantTypeName = Literals(claimantTypes);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Reason = Type.String({ minLength: 2, maxLength: 200 });
/** A calendar date in China, YYYY-MM-DD. */
export const DateOnly = Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
const IdempotencyKey = Type.String({ minLength: 8, maxLength: 64, pattern: '^[\\w-]+$' });

const setting = (key: keyof typeof WISH_SETTING_BOUNDS) =>
  Type.Integer({ minimum: WISH_SETTING_BOUNDS[key][0], maximum: WISH_SETTING_BOUNDS[key][1] });

export const WishSettingsBody = Type.Object(
  {
    maxValueYuan: setting('maxValueYuan'),
    claimLapseDays: setting('claimLapseDays'),
    autoConfirmDays: setting('autoConfirmDays'),
  },
  { additionalProperties: false },
);
export type WishSettingsBody = Static<typeof WishSettingsBody>;
export const WishSettingsView = Type.Composite([WishSettingsBody, Type.Object({ canEdit: Type.Boolean() })]);
export type WishSettingsView = Static<typeof WishSettingsView>;

/** What a wish says; the same fields when it is edited and resubmitted. */
const WishFields = {
  text: Type.String({ minLength: 2, maxLength: WISH_TEXT_MAX }),
  kind: WishKindName,
  beneficiaryKind: BeneficiaryKindName,
  valueYuan: Type.Integer({ minimum: 0, maximum: WISH_SETTING_BOUNDS.maxValueYuan[1] }),
  wantedBy: DateOnly,
  /** 1–3 photos uploaded first through /media. */
  mediaIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 3, uniqueItems: true })),
  /** The beneficiary agrees to a masked name ("3栋 王**") on the wall; otherwise only their kind is shown. */
  showMaskedName: Type.Boolean(),
};

export const CreateWishBody = Type.Object(
  {
    ...WishFields,
    /**
     * The beneficiary's household. Omitted: the caller's own (required when they have several). Someone else's:
     * a captain, grid worker or staff member recording it for a neighbour (代录), who becomes its proxy.
     */
    householdId: Type.Optional(Id),
    /** The neighbour's name and (optional) phone, required when recording for a neighbour, refused otherwise. */
    beneficiary: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 20 }),
          phone: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    idempotencyKey: IdempotencyKey,
  },
  { additionalProperties: false },
);
export type CreateWishBody = Static<typeof CreateWishBody>;

export const ResubmitWishBody = Type.Object(WishFields, { additionalProperties: false });
export type ResubmitWishBody = Static<typeof ResubmitWishBody>;

export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const OptionalReasonBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Reason }, { additionalProperties: false });

export const ClaimBody = Type.Object(
  {
    as: ClaimantTypeName,
    /** Required when claiming as an organisation: one the caller belongs to. */
    organisationId: Type.Optional(Id),
    /** The claimant agrees to their name on the roll of honour. */
    showName: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ClaimBody = Static<typeof ClaimBody>;

export const FulfilBody = Type.Object(
  {
    note: Type.String({ minLength: 2, maxLength: 200 }),
    /** Proof: 1–3 photos uploaded first through /media. */
    mediaIds: Type.Array(Id, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type FulfilBody = Static<typeof FulfilBody>;

export const ConfirmBody = Type.Object(
  { thanks: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

export const WishView = Type.Object({
  id: Id,
  communityId: Id,
  text: Type.String(),
  kind: WishKindName,
  beneficiaryKind: BeneficiaryKindName,
  valueYuan: Type.Integer(),
  wantedBy: DateOnly,
  media: Type.Array(MediaView),
  state: WishStateName,
  /** The estate the wish belongs to (its channel); never the building, unit or room. */
  place: NodeRef,
  /**
   * `label` is what everyone sees ("3栋 王**" with consent, else "一位独居老人"). `name`, `room` and `phone` are
   * filled only for the poster, the proxy, the claimant after claiming and staff; null for everyone else.
   */
  beneficiary: Type.Object({
    label: Type.String(),
    showMaskedName: Type.Boolean(),
    name: Nullable(Type.String()),
    room: Nullable(Type.String()),
    phone: Nullable(Type.String()),
  }),
  /** Recorded by a proxy (代录) for a neighbour. The proxy's name only to the inside, as for the beneficiary. */
  onBehalf: Type.Boolean(),
  proxyName: Nullable(Type.String()),
  /** Staff's reason when they sent it back or rejected it. */
  reviewNote: Nullable(Type.String()),
  claim: Nullable(
    Type.Object({
      type: ClaimantTypeName,
      /** An organisation's name whole; a person's masked except to themselves and staff. */
      name: Type.String(),
      isMe: Type.Boolean(),
      claimedAt: DateTime,
      lapsesAt: DateTime,
    }),
  ),
  fulfilment: Nullable(
    Type.Object({ note: Type.String(), media: Type.Array(MediaView), at: DateTime, autoConfirmsAt: DateTime }),
  ),
  confirmation: Nullable(
    Type.Object({ by: Literals(['beneficiary', 'auto', 'staff']), thanks: Nullable(Type.String()), at: DateTime }),
  ),
  dispute: Nullable(
    Type.Object({
      reason: Type.String(),
      at: DateTime,
      decision: Nullable(Type.Object({ outcome: Literals(['settle', 'reopen']), note: Type.String() })),
    }),
  ),
  /** The moves the caller may make now (shared/wishes.ts availableActions). */
  actions: Type.Array(WishActionName),
  canMessage: Type.Boolean(),
  /** The ways the caller may claim it, and the organisations they may claim for. */
  claimAs: Type.Array(ClaimantTypeName),
  organisations: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  isMine: Type.Boolean(),
  publishedAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type WishView = Static<typeof WishView>;

export const WishPage = Type.Object({ items: Type.Array(WishView), nextCursor: Nullable(Type.String()) });
export type WishPage = Static<typeof WishPage>;

export const WishListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    /**
     * wall: published wishes, nearest wanted-by first; done: confirmed ones, newest first, with thank-you notes;
     * mine: posted by me or recorded by me; claims: claimed by me; review: staff's queue (pending and disputed).
     */
    view: Literals(['wall', 'done', 'mine', 'claims', 'review']),
    /** wall, done and review: the community (the caller's first when omitted). */
    communityId: Type.Optional(Id),
    kind: Type.Optional(WishKindName),
  }),
]);
export type WishListQuery = Static<typeof WishListQuery>;

export const WishMessageBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const WishMessageView = Type.Object({
  id: Id,
  /** Which side wrote it; no names or phone numbers of either side. */
  from: Literals(['beneficiary', 'claimant']),
  text: Type.String(),
  isMe: Type.Boolean(),
  at: DateTime,
});
export type WishMessageView = Static<typeof WishMessageView>;
export const WishMessagePage = Type.Object({
  items: Type.Array(WishMessageView),
  nextCursor: Nullable(Type.String()),
});
export type WishMessagePage = Static<typeof WishMessagePage>;

// —— Organisations ——

export const CreateOrganisationBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 40 }),
    contactName: Type.String({ minLength: 2, maxLength: 20 }),
    contactPhone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }),
  },
  { additionalProperties: false },
);
export type CreateOrganisationBody = Static<typeof CreateOrganisationBody>;

export const OrganisationView = Type.Object({
  id: Id,
  name: Type.String(),
  /** The contact's name and phone whole to staff, masked to everyone else. */
  contactName: Type.String(),
  contactPhone: Type.String(),
  members: Type.Integer(),
  isMember: Type.Boolean(),
  /** Shown to staff only: the code a member enters to join. */
  joinCode: Nullable(Type.String()),
  canManage: Type.Boolean(),
});
export type OrganisationView = Static<typeof OrganisationView>;
export const OrganisationList = Type.Object({ items: Type.Array(OrganisationView) });
export const JoinOrganisationBody = Type.Object(
  { code: Type.String({ pattern: '^[A-Z0-9]{6}$' }) },
  { additionalProperties: false },
);

// —— Figures ——

export const WishFiguresQuery = Type.Object({
  communityId: Id,
  month: Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$' }),
});

export const WishFigures = Type.Object({
  month: Type.String(),
  /** Counts of the month's events: wishes posted, published, claimed, fulfilled, confirmed. */
  totals: Type.Object({
    posted: Type.Integer(),
    published: Type.Integer(),
    claimed: Type.Integer(),
    fulfilled: Type.Integer(),
    confirmed: Type.Integer(),
  }),
  medianDaysToFulfil: Nullable(Type.Number()),
  byKind: Type.Array(Type.Object({ kind: WishKindName, posted: Type.Integer(), fulfilled: Type.Integer() })),
  byClaimantType: Type.Array(
    Type.Object({ type: ClaimantTypeName, claimed: Type.Integer(), fulfilled: Type.Integer() }),
  ),
  /** The month's claimants by wishes fulfilled: names with consent, otherwise their kind. */
  honour: Type.Array(Type.Object({ name: Type.String(), type: ClaimantTypeName, fulfilled: Type.Integer() })),
});
export type WishFigures = Static<typeof WishFigures>;
