import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id, Literals } from './ids';

/** One entry of an item's timeline (its audit events), oldest first. */
export const TimelineEntry = Type.Object({
  id: Id,
  action: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  /** The actor's masked name, or 系统 for scheduled changes. */
  actor: Type.String(),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  attachments: Type.Array(Id),
  at: DateTime,
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const CheckStatus = Literals(['checking', 'pass', 'review', 'risky'], {
  description: 'WeChat content check: checking until the async result arrives',
});
export type CheckStatus = Static<typeof CheckStatus>;

/** An uploaded photo as a viewer may see it: URLs only when the viewer may see the image now. */
export const MediaView = Type.Object({
  id: Id,
  width: Type.Integer(),
  height: Type.Integer(),
  checkStatus: CheckStatus,
  url: Type.Union([Type.String(), Type.Null()]),
  thumbUrl: Type.Union([Type.String(), Type.Null()]),
});
export type MediaView = Static<typeof MediaView>;

export const ModerationState = Literals(['visible', 'review', 'hidden']);
export type ModerationState = Static<typeof ModerationState>;

/** The kinds of item moderation handles (server/modules/moderation/kinds.ts). */
export const ModeratedKindName = Literals([
  'notice',
  'report',
  'topic',
  'topic_comment',
  'order',
  'wish',
  'board_entry',
]);

export const FlagBody = Type.Object({
  kind: ModeratedKindName,
  id: Id,
  reason: Type.String({ minLength: 2, maxLength: 100 }),
});

export const FlagResult = Type.Object({ flags: Type.Integer(), hidden: Type.Boolean() });

export const ModerationCaseView = Type.Object({
  id: Id,
  kind: Type.String(),
  itemId: Id,
  reason: Literals(['text-review', 'media-review', 'media-risky', 'flags', 'check-unavailable']),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** The item's text fields as they are now. */
  text: Type.Record(Type.String(), Type.String()),
  media: Type.Array(
    Type.Object({
      id: Id,
      checkStatus: CheckStatus,
      url: Type.String(),
      width: Type.Integer(),
      height: Type.Integer(),
    }),
  ),
  author: Type.Object({ id: Id, displayName: Type.String() }),
  flags: Type.Array(Type.Object({ reason: Type.String(), at: DateTime })),
  itemState: ModerationState,
  createdAt: DateTime,
  decision: Type.Optional(Type.String()),
});
export type ModerationCaseView = Static<typeof ModerationCaseView>;

export const ModerationCasePage = Type.Object({
  items: Type.Array(ModerationCaseView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  /** How many cases of this status there are in all (the badge on 我的). */
  total: Type.Integer(),
});
export type ModerationCasePage = Static<typeof ModerationCasePage>;

export const EditTextBody = Type.Object({ text: Type.Record(Type.String(), Type.String({ maxLength: 2000 })) });

export const RedactPhotoBody = Type.Object({
  mediaId: Id,
  /** Rectangles in the display image's pixels, blacked out in every variant. */
  rects: Type.Array(
    Type.Object({
      x: Type.Integer({ minimum: 0 }),
      y: Type.Integer({ minimum: 0 }),
      width: Type.Integer({ minimum: 1 }),
      height: Type.Integer({ minimum: 1 }),
    }),
    { minItems: 1, maxItems: 20 },
  ),
});

export const BanBody = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 365 }),
  reason: Type.String({ minLength: 2, maxLength: 100 }),
});

/** A person banned from posting, as staff see them (name masked like everywhere else). */
export const BanView = Type.Object({
  userId: Id,
  displayName: Type.String(),
  bannedUntil: DateTime,
  reason: Type.String(),
});
export type BanView = Static<typeof BanView>;

export const NotificationView = Type.Object({
  id: Id,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  /** A mini-program page to open, e.g. packages/report/detail/index?id=… */
  link: Type.Union([Type.String(), Type.Null()]),
  read: Type.Boolean(),
  createdAt: DateTime,
});
export type NotificationView = Static<typeof NotificationView>;

export const InboxPage = Type.Object({
  items: Type.Array(NotificationView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unread: Type.Integer(),
});
export type InboxPage = Static<typeof InboxPage>;

/** What the mini-program passes to wx.requestSubscribeMessage, per event kind. */
export const SubscribeTemplates = Type.Record(Type.String(), Type.String());

export const SubscribeBody = Type.Object({
  /** The event kinds the user accepted in the requestSubscribeMessage dialog, one consent each. */
  accepted: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 3 }),
});
export const SubscribeResult = Type.Object({ remaining: Type.Record(Type.String(), Type.Integer()) });
