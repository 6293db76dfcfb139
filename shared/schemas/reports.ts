import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, Literals } from './ids';
import { NodeRef } from './people';
import { MediaView, ModerationState } from './platform';

const StateName = Literals(['submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'resolved', 'closed']);
const ActionName = Literals(['accept', 'reject', 'assign', 'start', 'resolve', 'confirm', 'reopen', 'auto_close']);
const LevelName = Type.Union([Type.Literal('grid'), Type.Literal('community'), Type.Literal('street')]);
const PriorityName = Type.Union([Type.Literal('urgent'), Type.Literal('high'), Type.Literal('normal')]);
const HandlerName = Literals(['grid_worker', 'property', 'staff', 'mediator']);

export const CategoryView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  icon: Type.String(),
  group: Type.String(),
  keywords: Type.Array(Type.String()),
  handler: HandlerName,
  priority: PriorityName,
  acceptWithinMinutes: Type.Integer(),
  resolveWithinMinutes: Type.Integer(),
  duplicateRadiusMeters: Type.Integer(),
  privateByDefault: Type.Boolean(),
});
export type CategoryView = Static<typeof CategoryView>;

export const UpdateCategoryBody = Type.Partial(
  Type.Object({
    name: Type.String({ minLength: 2, maxLength: 12 }),
    icon: Type.String({ minLength: 1, maxLength: 30 }),
    group: Type.String({ minLength: 1, maxLength: 12 }),
    keywords: Type.Array(Type.String({ maxLength: 12 }), { maxItems: 20 }),
    handler: HandlerName,
    priority: PriorityName,
    acceptWithinMinutes: Type.Integer({ minimum: 5, maximum: 30 * 24 * 60 }),
    resolveWithinMinutes: Type.Integer({ minimum: 5, maximum: 90 * 24 * 60 }),
    duplicateRadiusMeters: Type.Integer({ minimum: 0, maximum: 1000 }),
    privateByDefault: Type.Boolean(),
  }),
  { minProperties: 1 },
);
export type CategoryChanges = Static<typeof UpdateCategoryBody>;

export const GeoPoint = Type.Object({
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
});
export type GeoPoint = Static<typeof GeoPoint>;

export const SubmitReportBody = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 20 }),
  description: Type.String({ minLength: 2, maxLength: 500 }),
  /** The place: the reporter's unit by default, or a building/estate common area. */
  nodeId: Type.Optional(Id),
  location: Type.Optional(GeoPoint),
  mediaIds: Type.Array(Id, { minItems: 1, maxItems: 3 }),
  showName: Type.Optional(Type.Boolean({ default: false })),
  private: Type.Optional(Type.Boolean()),
  /** Chosen by the phone when the report is composed: sending it again creates nothing new. */
  idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[\\w-]+$' }),
});
export type SubmitReportBody = Static<typeof SubmitReportBody>;

export const ReportView = Type.Object({
  id: Id,
  category: Type.Object({ code: Type.String(), name: Type.String(), icon: Type.String() }),
  description: Type.String(),
  state: StateName,
  level: LevelName,
  priority: PriorityName,
  private: Type.Boolean(),
  place: NodeRef,
  location: Type.Union([GeoPoint, Type.Null()]),
  /** 某居民, or the reporter's masked name when they chose to show it; their own name for the reporter. */
  reporter: Type.Object({ displayName: Type.String(), isMe: Type.Boolean() }),
  media: Type.Array(MediaView),
  assignee: Type.Union([
    Type.Object({ kind: Type.Union([Type.Literal('person'), Type.Literal('property')]), displayName: Type.String() }),
    Type.Null(),
  ]),
  acceptBy: Type.Union([DateTime, Type.Null()]),
  resolveBy: Type.Union([DateTime, Type.Null()]),
  overdue: Type.Boolean(),
  /** The deadline it missed, while it waits past it (escalated, not yet handled); always sent. */
  overdueSince: Type.Optional(Type.Union([DateTime, Type.Null()])),
  createdAt: DateTime,
  updatedAt: DateTime,
  resolvedAt: Type.Union([DateTime, Type.Null()]),
  closedAt: Type.Union([DateTime, Type.Null()]),
  autoClosed: Type.Boolean(),
  rejection: Type.Union([
    Type.Object({ kind: Type.String(), note: Type.String(), duplicateOf: Type.Union([Id, Type.Null()]) }),
    Type.Null(),
  ]),
  resolution: Type.Union([Type.Object({ note: Type.String(), media: Type.Array(MediaView) }), Type.Null()]),
  rating: Type.Union([Type.Object({ score: Type.Integer(), comment: Type.String() }), Type.Null()]),
  reopenCount: Type.Integer(),
  followerCount: Type.Integer(),
  following: Type.Boolean(),
  /** The caller may ask for the reporter's name and phone (POST /reports/:id/reporter-contact): who handles it. */
  canContactReporter: Type.Boolean(),
  moderation: ModerationState,
  /** The moves the caller may make now. */
  actions: Type.Array(ActionName),
});
export type ReportView = Static<typeof ReportView>;

/** For those who handle a report: whom to call. Each ask is recorded in the report's timeline. */
export const ReporterContact = Type.Object({
  displayName: Type.String(),
  /** Null when the reporter gave none. */
  phone: Type.Union([Type.String(), Type.Null()]),
});
export type ReporterContact = Static<typeof ReporterContact>;

export const ReportPage = Type.Object({
  items: Type.Array(ReportView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ReportPage = Static<typeof ReportPage>;

export const ReportListQuery = Type.Object({
  /**
   * mine: filed or followed by me; estate: public reports of my estates; handling: what I dispatch or handle,
   * soonest deadline first; all: everything my roles cover (staff).
   */
  view: Type.Optional(Literals(['mine', 'estate', 'handling', 'all'], { default: 'mine' })),
  state: Type.Optional(StateName),
  category: Type.Optional(Type.String({ maxLength: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

export const NearbyQuery = Type.Object({
  category: Type.String({ maxLength: 20 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
});
export const NearbyReport = Type.Object({ report: ReportView, distanceMeters: Type.Integer() });

export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 300 })) });
export const RejectBody = Type.Object({
  kind: Type.Union([Type.Literal('invalid'), Type.Literal('duplicate')]),
  note: Type.String({ minLength: 2, maxLength: 300 }),
  duplicateOf: Type.Optional(Id),
});
export const AssignBody = Type.Object({
  assignee: Type.Union([
    Type.Object({ kind: Type.Literal('person'), userId: Id }),
    Type.Object({ kind: Type.Literal('property') }),
  ]),
  note: Type.Optional(Type.String({ maxLength: 300 })),
});
export const ResolveBody = Type.Object({
  note: Type.String({ minLength: 2, maxLength: 300 }),
  mediaIds: Type.Array(Id, { minItems: 1, maxItems: 3 }),
});
export const ConfirmBody = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 200 })),
});
export const ReopenBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 300 }) });

export const AssigneeCandidate = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('property')]),
  userId: Type.Union([Id, Type.Null()]),
  displayName: Type.String(),
  role: Type.String(),
});
export type AssigneeCandidate = Static<typeof AssigneeCandidate>;

export const FiguresQuery = Type.Object({
  /** A community, or a grid within one. */
  communityId: Id,
  gridId: Type.Optional(Id),
  from: DateTime,
  to: DateTime,
});

const Durations = Type.Object({
  count: Type.Integer(),
  meanMinutes: Type.Union([Type.Number(), Type.Null()]),
  p90Minutes: Type.Union([Type.Number(), Type.Null()]),
});
const Rate = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Type.Union([Type.Number(), Type.Null()]),
});

export const Figures = Type.Object({
  from: DateTime,
  to: DateTime,
  /** When these figures were computed: the service reuses them for up to a minute. */
  computedAt: DateTime,
  total: Type.Integer(),
  byCategory: Type.Array(Type.Object({ category: Type.String(), name: Type.String(), total: Type.Integer() })),
  byState: Type.Record(Type.String(), Type.Integer()),
  byCategoryAndState: Type.Array(Type.Object({ category: Type.String(), state: Type.String(), count: Type.Integer() })),
  /** First answer (accept or reject) by the first accept deadline, of reports answered or past it. */
  responseRate: Rate,
  /** Resolved by the first resolve deadline, of reports resolved or past it. */
  onTimeResolutionRate: Rate,
  satisfaction: Type.Object({
    rated: Type.Integer(),
    mean: Type.Union([Type.Number(), Type.Null()]),
    shareAtLeast4: Type.Union([Type.Number(), Type.Null()]),
  }),
  /** Reports reopened at least once, of those ever resolved. */
  reopenRate: Rate,
  timeToAccept: Durations,
  timeToResolve: Durations,
  overdue: Type.Array(
    Type.Object({
      id: Id,
      category: Type.String(),
      state: StateName,
      level: LevelName,
      deadline: DateTime,
      kind: Type.Union([Type.Literal('accept'), Type.Literal('resolve')]),
    }),
  ),
});
export type Figures = Static<typeof Figures>;

export const OverdueEntryView = Type.Object({
  reportId: Id,
  category: Type.String(),
  kind: Type.Union([Type.Literal('accept'), Type.Literal('resolve')]),
  deadline: DateTime,
  detectedAt: DateTime,
  fromLevel: LevelName,
  toLevel: LevelName,
  state: StateName,
});
export type OverdueEntryView = Static<typeof OverdueEntryView>;
