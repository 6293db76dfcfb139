import { Type, type Static } from '@sinclair/typebox';
import {
  activityKinds,
  dayParts,
  MAX_ACCEPT_TIMEOUT_MINUTES,
  MIN_ACCEPT_TIMEOUT_MINUTES,
  orderActions,
  orderStates,
  serviceKinds,
  volunteerStatuses,
} from '../volunteers';
import { DateTime, Id, Literals, PageQuery } from './ids';
import { NodeRef } from './people';
import { MediaView } from './platform';

export const ServiceKindName = Literals(serviceKinds);
export const OrderStateName = Literals(orderStates);
const OrderActionName = Literals(orderActions);
const VolunteerStatusName = Literals(volunteerStatuses);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Reason = Type.String({ minLength: 2, maxLength: 200 });

export const AvailabilitySlot = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6 }), part: Literals(dayParts) },
  { additionalProperties: false },
);

export const RegisterVolunteerBody = Type.Object(
  {
    /** The community to serve; the caller's first when omitted. */
    communityId: Type.Optional(Id),
    realName: Type.String({ minLength: 2, maxLength: 20 }),
    phone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }),
    skills: Type.Array(ServiceKindName, { minItems: 1, maxItems: serviceKinds.length, uniqueItems: true }),
    /** The community itself or some of its estates. */
    areaIds: Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true }),
    availability: Type.Array(AvailabilitySlot, { maxItems: 21 }),
  },
  { additionalProperties: false },
);
export type RegisterVolunteerBody = Static<typeof RegisterVolunteerBody>;

export const Totals = Type.Object({
  /** Hours in half-hours (integers), points likewise; stars 0–5. */
  halfHours: Type.Integer(),
  points: Type.Integer(),
  stars: Type.Integer(),
  toNextStar: Nullable(Type.Integer()),
});
export type Totals = Static<typeof Totals>;

export const VolunteerView = Type.Object({
  id: Id,
  userId: Id,
  communityId: Id,
  /** Whole for the volunteer and staff, masked for everyone else. */
  realName: Type.String(),
  phone: Type.String(),
  skills: Type.Array(ServiceKindName),
  areas: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  availability: Type.Array(AvailabilitySlot),
  status: VolunteerStatusName,
  statusReason: Nullable(Type.String()),
  totals: Totals,
  rating: Nullable(Type.Number()),
  ratingCount: Type.Integer(),
  isMe: Type.Boolean(),
  /** May the caller verify, suspend or reinstate this volunteer. */
  canManage: Type.Boolean(),
  createdAt: DateTime,
});
export type VolunteerView = Static<typeof VolunteerView>;

export const VolunteerPage = Type.Object({ items: Type.Array(VolunteerView), nextCursor: Nullable(Type.String()) });
export type VolunteerPage = Static<typeof VolunteerPage>;

export const VolunteerListQuery = Type.Composite([
  PageQuery,
  Type.Object({ communityId: Type.Optional(Id), status: Type.Optional(VolunteerStatusName) }),
]);

export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });

export const LedgerEntryView = Type.Object({
  id: Id,
  kind: Literals(['order', 'activity', 'manual', 'void']),
  /** Signed: a void is negative. */
  halfHours: Type.Integer(),
  minutes: Type.Integer(),
  title: Type.String(),
  note: Nullable(Type.String()),
  at: DateTime,
});
export type LedgerEntryView = Static<typeof LedgerEntryView>;

export const LedgerPage = Type.Object({
  items: Type.Array(LedgerEntryView),
  nextCursor: Nullable(Type.String()),
  totals: Totals,
});
export type LedgerPage = Static<typeof LedgerPage>;

export const CreateOrderBody = Type.Object(
  {
    kind: ServiceKindName,
    description: Type.String({ minLength: 2, maxLength: 500 }),
    windowStart: DateTime,
    windowEnd: DateTime,
    /** The household's unit (default: the caller's own) or another place of the community. */
    nodeId: Type.Optional(Id),
    /** A captain or staff member ordering for a neighbour: the neighbour. */
    forUserId: Type.Optional(Id),
    /** Optional photos (uploaded first through /media) showing what needs doing. */
    mediaIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 3 })),
    idempotencyKey: Type.String({ minLength: 8, maxLength: 64, pattern: '^[\\w-]+$' }),
  },
  { additionalProperties: false },
);
export type CreateOrderBody = Static<typeof CreateOrderBody>;

const Person = Type.Object({
  id: Id,
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  isMe: Type.Boolean(),
});

export const OrderView = Type.Object({
  id: Id,
  kind: ServiceKindName,
  description: Type.String(),
  media: Type.Array(MediaView),
  state: OrderStateName,
  place: NodeRef,
  requester: Person,
  volunteer: Nullable(Person),
  windowStart: DateTime,
  windowEnd: DateTime,
  acceptBy: Nullable(DateTime),
  checkInAt: Nullable(DateTime),
  checkOutAt: Nullable(DateTime),
  /** Hours credited (half-hours) once served; `manual` when staff added them by hand. */
  credited: Nullable(Type.Object({ halfHours: Type.Integer(), minutes: Type.Integer(), manual: Type.Boolean() })),
  rating: Nullable(Type.Object({ score: Type.Integer(), comment: Type.String() })),
  complaint: Nullable(
    Type.Object({
      text: Type.String(),
      status: Literals(['open', 'upheld', 'dismissed']),
      note: Nullable(Type.String()),
    }),
  ),
  /** Earlier offers that were declined or timed out. */
  history: Type.Array(
    Type.Object({
      volunteer: Type.String(),
      outcome: Literals(['declined', 'timeout']),
      note: Type.String(),
      at: DateTime,
    }),
  ),
  actions: Type.Array(OrderActionName),
  canComplain: Type.Boolean(),
  canDecideComplaint: Type.Boolean(),
  createdAt: DateTime,
});
export type OrderView = Static<typeof OrderView>;

export const OrderPage = Type.Object({ items: Type.Array(OrderView), nextCursor: Nullable(Type.String()) });
export type OrderPage = Static<typeof OrderPage>;

export const OrderListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    /** mine: ordered by or for me; tasks: offered to or taken by me; open: open to take; queue: to dispatch. */
    view: Literals(['mine', 'tasks', 'open', 'queue']),
    state: Type.Optional(OrderStateName),
  }),
]);

export const SuggestionView = Type.Object({
  volunteerId: Id,
  displayName: Type.String(),
  score: Type.Integer(),
  reasons: Type.Array(Type.String()),
  stars: Type.Integer(),
});
export type SuggestionView = Static<typeof SuggestionView>;

export const DispatchBody = Type.Object({ volunteerId: Id }, { additionalProperties: false });
export const DeclineBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export const CodeBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export const DoorCode = Type.Object({
  code: Type.String(),
  purpose: Literals(['check_in', 'check_out']),
  expiresAt: DateTime,
});
export type DoorCode = Static<typeof DoorCode>;
export const ManualHoursBody = Type.Object(
  { minutes: Type.Integer({ minimum: 1, maximum: 720 }), reason: Reason },
  { additionalProperties: false },
);
export const RateBody = Type.Object(
  { score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const ComplainBody = Type.Object(
  { text: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export const DecideComplaintBody = Type.Object(
  { upheld: Type.Boolean(), note: Reason },
  { additionalProperties: false },
);

// —— Activities ——

export const CreateActivityBody = Type.Object(
  {
    /** The community or one of its estates/buildings. */
    nodeId: Id,
    title: Type.String({ minLength: 2, maxLength: 30 }),
    kind: Literals(activityKinds),
    description: Type.String({ maxLength: 500 }),
    startAt: DateTime,
    endAt: DateTime,
    places: Type.Integer({ minimum: 1, maximum: 500 }),
  },
  { additionalProperties: false },
);
export type CreateActivityBody = Static<typeof CreateActivityBody>;

export const ActivityView = Type.Object({
  id: Id,
  title: Type.String(),
  kind: Literals(activityKinds),
  description: Type.String(),
  place: NodeRef,
  startAt: DateTime,
  endAt: DateTime,
  places: Type.Integer(),
  signedUp: Type.Integer(),
  waiting: Type.Integer(),
  /** The caller's standing: signed up (a place), waiting (with the position, 1 first), checked in, or none. */
  mine: Nullable(Literals(['signed_up', 'waiting', 'checked_in'])),
  waitingPosition: Nullable(Type.Integer()),
  /** Shown to the organiser (staff) only: what participants enter to check in. */
  checkInCode: Nullable(Type.String()),
  canManage: Type.Boolean(),
  completed: Type.Boolean(),
});
export type ActivityView = Static<typeof ActivityView>;

export const ActivityPage = Type.Object({ items: Type.Array(ActivityView), nextCursor: Nullable(Type.String()) });
export type ActivityPage = Static<typeof ActivityPage>;

export const ActivityListQuery = Type.Composite([PageQuery, Type.Object({ communityId: Type.Optional(Id) })]);

// —— Settings ——

/** A community's volunteer settings (staff): how long a dispatched volunteer has to accept. */
export const VolunteerSettings = Type.Object(
  {
    acceptTimeoutMinutes: Type.Integer({ minimum: MIN_ACCEPT_TIMEOUT_MINUTES, maximum: MAX_ACCEPT_TIMEOUT_MINUTES }),
  },
  { additionalProperties: false },
);
export type VolunteerSettings = Static<typeof VolunteerSettings>;

// —— Figures ——

export const VolunteerFiguresQuery = Type.Object({
  communityId: Id,
  month: Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$' }),
  /** One of the community's grids: only orders placed in its buildings (and the hours served on them). */
  gridId: Type.Optional(Id),
});

export const VolunteerFigures = Type.Object({
  month: Type.String(),
  orders: Type.Array(Type.Object({ kind: ServiceKindName, state: OrderStateName, count: Type.Integer() })),
  medianMinutesToDispatch: Nullable(Type.Number()),
  medianMinutesToAccept: Nullable(Type.Number()),
  /** Of the month's orders not cancelled, the share served (completed or rated). */
  completionRate: Nullable(Type.Number()),
  meanRating: Nullable(Type.Number()),
  halfHours: Type.Integer(),
  byVolunteer: Type.Array(Type.Object({ volunteerId: Id, displayName: Type.String(), halfHours: Type.Integer() })),
  /** Hours by kind of service, activities as their own kind. */
  byKind: Type.Array(
    Type.Object({ kind: Type.Union([ServiceKindName, Type.Literal('activity')]), halfHours: Type.Integer() }),
  ),
  activeVolunteers: Type.Integer(),
});
export type VolunteerFigures = Static<typeof VolunteerFigures>;
