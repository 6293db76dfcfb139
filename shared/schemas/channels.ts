import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Id } from './ids';
import { MediaView, ModerationState } from './platform';
import { NodeRef, RoleName } from './people';

export const ChannelView = Type.Object({
  node: NodeRef,
  /** 单元群 / 楼栋群 / 小区群 / 社区群 */
  label: Type.String(),
  unreadNotices: Type.Integer(),
  latestNotice: Type.Union([Type.Object({ id: Id, title: Type.String(), publishedAt: DateTime }), Type.Null()]),
  /** Whether the caller may post notices here. */
  canPost: Type.Boolean(),
});
export type ChannelView = Static<typeof ChannelView>;

export const NoticeView = Type.Object({
  id: Id,
  channelId: Id,
  title: Type.String(),
  body: Type.String(),
  pinned: Type.Boolean(),
  /** The poster's role and masked name, e.g. 楼长 张**. */
  author: Type.Object({ displayName: Type.String(), role: RoleName, isMe: Type.Boolean() }),
  publishedAt: DateTime,
  readByMe: Type.Boolean(),
  media: Type.Array(MediaView),
  /** `review` while content checks or staff have not cleared it (only its author and staff see it then). */
  moderation: ModerationState,
  /** When its author or staff last changed it (已编辑); the earlier versions: GET /notices/:id/versions. */
  editedAt: Type.Union([DateTime, Type.Null()]),
  /** The caller may edit or withdraw it: its author, and staff. */
  canManage: Type.Boolean(),
  /** Households that have read it; present for those who may see receipts. */
  receipts: Type.Optional(Type.Object({ readHouseholds: Type.Integer(), totalHouseholds: Type.Integer() })),
});
export type NoticeView = Static<typeof NoticeView>;

export const NoticePage = Type.Object({
  items: Type.Array(NoticeView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type NoticePage = Static<typeof NoticePage>;

export const PostNoticeBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 40 }),
  body: Type.String({ minLength: 2, maxLength: 2000 }),
  pinned: Type.Optional(Type.Boolean({ default: false })),
  /** Photos uploaded first through POST /media. */
  mediaIds: Type.Optional(Type.Array(Id, { maxItems: 3 })),
});

/** A changed notice's text (and pin); photos stay as posted. The text is checked again as when posting. */
export const EditNoticeBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 40 }),
  body: Type.String({ minLength: 2, maxLength: 2000 }),
  pinned: Type.Optional(Type.Boolean()),
});

/** What a notice said before an edit, newest first. */
export const NoticeVersion = Type.Object({
  title: Type.String(),
  body: Type.String(),
  /** When the edit replaced it. */
  replacedAt: DateTime,
  /** Who edited: masked name and role, as the notice shows its author. */
  editor: Type.Object({ displayName: Type.String(), role: RoleName }),
});
export type NoticeVersion = Static<typeof NoticeVersion>;

export const ReadReceipt = Type.Object({ readHouseholds: Type.Integer(), totalHouseholds: Type.Integer() });
