import { Type, type Static } from '@sinclair/typebox';
import { ACT_POINTS_BOUNDS, colours, entryActions, entryStates } from '../boards';
import { DateTime, Id, Literals, PageQuery } from './ids';
import { NodeRef } from './people';
import { MediaView, RedactPhotoBody } from './platform';

export const ColourName = Literals(colours);
export const EntryStateName = Literals(entryStates);
export const EntryActionName = Literals(entryActions);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Reason = Type.String({ minLength: 2, maxLength: 200 });
export const Month = Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$' });
const ActKey = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Photos = Type.Array(Id, { minItems: 1, maxItems: 3, uniqueItems: true });

// —— Settings: the community's acts and their points ——

export const ActDefinition = Type.Object(
  {
    key: ActKey,
    colour: ColourName,
    label: Type.String({ minLength: 2, maxLength: 20 }),
    points: Type.Integer({ minimum: ACT_POINTS_BOUNDS[0], maximum: ACT_POINTS_BOUNDS[1] }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export const BoardSettingsBody = Type.Object(
  { acts: Type.Array(ActDefinition, { minItems: 2, maxItems: 40 }) },
  { additionalProperties: false },
);
export type BoardSettingsBody = Static<typeof BoardSettingsBody>;
export const BoardSettingsView = Type.Composite([BoardSettingsBody, Type.Object({ canEdit: Type.Boolean() })]);
export type BoardSettingsView = Static<typeof BoardSettingsView>;

// —— Entries ——

export const NominateBody = Type.Object(
  {
    colour: ColourName,
    /** One of the community's enabled acts of that colour. */
    act: ActKey,
    occurredAt: DateTime,
    /** Where it happened: a unit, building or estate of the caller's community. */
    nodeId: Id,
    description: Type.String({ minLength: 2, maxLength: 300 }),
    /** Evidence photos uploaded first through /media. */
    mediaIds: Type.Optional(Photos),
    /** The household concerned: required for red (who did the good deed), optional for black (if known). */
    householdId: Type.Optional(Id),
    /** Red only: the member of that household who did it (they alone may consent to their name being shown). */
    subjectUserId: Type.Optional(Id),
    idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[\\w-]+$' }),
  },
  { additionalProperties: false },
);
export type NominateBody = Static<typeof NominateBody>;

export const EntryView = Type.Object({
  id: Id,
  communityId: Id,
  colour: ColourName,
  act: Type.Object({ key: Type.String(), label: Type.String(), points: Type.Integer() }),
  occurredAt: DateTime,
  /** Where: for black entries never below the unit (no room). */
  place: NodeRef,
  description: Type.String(),
  /** Evidence photos: to the public only once published and cleared; to staff always. */
  media: Type.Array(MediaView),
  /** Staff: the evidence photos not yet redacted or marked as showing no faces or plates (publication waits). */
  unclearedPhotoIds: Type.Array(Id),
  state: EntryStateName,
  /**
   * `label` is what the public sees (shared/boards.ts subjectLabel). `room` and `personName` only to staff, the
   * household concerned and the person themselves; null for everyone else.
   */
  subject: Type.Object({
    label: Type.String(),
    room: Nullable(Type.String()),
    personName: Nullable(Type.String()),
    /** Red with a person: whether they consent now to their name being shown. */
    consent: Nullable(Type.Boolean()),
  }),
  /** The board month once published (China time). */
  month: Nullable(Month),
  respondBy: Nullable(DateTime),
  /** Staff's request for more, or reason to dismiss: to the nominator and staff. */
  staffNote: Nullable(Type.String()),
  /** The household's answer and proof of having put it right: to the household and staff. */
  response: Nullable(Type.Object({ text: Type.String(), at: DateTime })),
  rectification: Nullable(Type.Object({ note: Type.String(), media: Type.Array(MediaView), at: DateTime })),
  appeal: Nullable(
    Type.Object({
      reason: Type.String(),
      at: DateTime,
      decision: Nullable(Type.Object({ upheld: Type.Boolean(), note: Type.String() })),
    }),
  ),
  actions: Type.Array(EntryActionName),
  isNominator: Type.Boolean(),
  isHousehold: Type.Boolean(),
  /** The named person of a red entry: may give or revoke consent. */
  isSubject: Type.Boolean(),
  publishedAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type EntryView = Static<typeof EntryView>;
export const EntryPage = Type.Object({ items: Type.Array(EntryView), nextCursor: Nullable(Type.String()) });
export type EntryPage = Static<typeof EntryPage>;

export const EntryListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    /**
     * mine: nominated by me; household: black entries about my households; about_me: red entries naming me;
     * queue: staff's work (nominated, awaiting decision, appealed).
     */
    view: Literals(['mine', 'household', 'about_me', 'queue']),
    communityId: Type.Optional(Id),
  }),
]);
export type EntryListQuery = Static<typeof EntryListQuery>;

export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Reason }, { additionalProperties: false });
export const AddInfoBody = Type.Object(
  { text: Type.String({ minLength: 2, maxLength: 300 }), mediaIds: Type.Optional(Photos) },
  { additionalProperties: false },
);
export const RespondBody = Type.Object(
  { text: Type.String({ minLength: 2, maxLength: 300 }) },
  { additionalProperties: false },
);
export const RectifyBody = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 200 }), mediaIds: Photos },
  { additionalProperties: false },
);
export const DecideAppealBody = Type.Object({ upheld: Type.Boolean(), note: Reason }, { additionalProperties: false });
export const ConsentBody = Type.Object({ consent: Type.Boolean() }, { additionalProperties: false });
/** Clear one evidence photo for publication: black out `rects`, or none (marked as showing no faces or plates). */
export const ClearPhotoBody = Type.Object(
  { rects: Type.Array(RedactPhotoBody.properties.rects.items, { maxItems: 20 }) },
  { additionalProperties: false },
);
export const EntryPhotoParams = Type.Object({ id: Id, mediaId: Id });

// —— Boards ——

export const BoardQuery = Type.Composite([
  PageQuery,
  Type.Object({
    communityId: Type.Optional(Id),
    /** Default: this month (live until it freezes). */
    month: Type.Optional(Month),
    colour: ColourName,
    /** An estate's part of the community board. */
    estateId: Type.Optional(Id),
  }),
]);
export type BoardQuery = Static<typeof BoardQuery>;

export const BoardItem = Type.Object({
  entryId: Id,
  colour: ColourName,
  actLabel: Type.String(),
  /** shared/boards.ts subjectLabel, with the consent as it stands at the time of asking. */
  subjectLabel: Type.String(),
  /** The place's path down to the unit, e.g. "幸福里小区 3栋 2单元"; never a room. */
  placeLabel: Type.String(),
  occurredAt: DateTime,
  publishedAt: DateTime,
  points: Type.Integer(),
  media: Type.Array(MediaView),
  /** Removed after an upheld appeal: shown struck through, with the correction line. */
  corrected: Type.Boolean(),
});
export type BoardItem = Static<typeof BoardItem>;

export const BoardPage = Type.Object({
  month: Month,
  /** A frozen month is a snapshot no route can change; corrections are separate lines. */
  frozen: Type.Boolean(),
  frozenAt: Nullable(DateTime),
  items: Type.Array(BoardItem),
  /** Correction lines (upheld appeals after publication), newest first; on the first page only. */
  corrections: Type.Array(Type.Object({ entryId: Id, text: Type.String(), at: DateTime })),
  nextCursor: Nullable(Type.String()),
});
export type BoardPage = Static<typeof BoardPage>;

export const MonthsQuery = Type.Object({ communityId: Type.Optional(Id) });
export const MonthList = Type.Object({
  items: Type.Array(Type.Object({ month: Month, frozen: Type.Boolean(), red: Type.Integer(), black: Type.Integer() })),
});
export type MonthList = Static<typeof MonthList>;

export const RankingQuery = Type.Object({ communityId: Type.Optional(Id), month: Type.Optional(Month) });
export const RankingView = Type.Object({
  month: Month,
  frozen: Type.Boolean(),
  tieRule: Type.String(),
  /** The building holding the 流动红旗 for the month, if one stands alone at the top. */
  redFlag: Nullable(Type.Object({ buildingId: Id, name: Type.String() })),
  items: Type.Array(
    Type.Object({
      buildingId: Id,
      name: Type.String(),
      households: Type.Integer(),
      points: Type.Integer(),
      red: Type.Integer(),
      black: Type.Integer(),
      perHousehold: Type.Number(),
      rank: Type.Integer(),
    }),
  ),
});
export type RankingView = Static<typeof RankingView>;

// —— Figures ——

export const BoardFiguresQuery = Type.Object({ communityId: Id, month: Month });
export const BoardFigures = Type.Object({
  month: Month,
  byAct: Type.Array(
    Type.Object({
      act: Type.String(),
      label: Type.String(),
      colour: ColourName,
      nominated: Type.Integer(),
      published: Type.Integer(),
    }),
  ),
  /** Black entries put right before publication (never published). */
  rectified: Type.Integer(),
  dismissed: Type.Integer(),
  appeals: Type.Object({
    lodged: Type.Integer(),
    upheld: Type.Integer(),
    rejected: Type.Integer(),
    open: Type.Integer(),
  }),
});
export type BoardFigures = Static<typeof BoardFigures>;
