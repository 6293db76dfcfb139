import { Type, type Static } from '@sinclair/typebox';
import { RECEIPT_PATTERN } from '../votes';
import { DateTime, Id, Literals, PageQuery } from './ids';
import { NodeRef } from './people';
import { MediaView, ModerationState } from './platform';

/** 议事协商: topics, their discussion, ballots, results, implementation and rating. */

export const TopicKindName = Literals(['public', 'owners_ordinary', 'owners_major']);
export const TopicStatusName = Literals([
  'proposed',
  'lapsed',
  'agenda',
  'voting',
  'decided',
  'rejected',
  'implementing',
  'rating',
  'completed',
]);
export const BallotRuleName = Literals(['simple', 'two_thirds', 'art278_ordinary', 'art278_major']);
/** What the caller may do on a topic now: the page shows these buttons and nothing else. */
export const TopicActionName = Literals([
  'cosign',
  'adopt',
  'comment',
  'moderate',
  'stage',
  'open_ballot',
  'vote',
  'proxy',
  'implement',
  'progress',
  'done',
  'rate',
]);
export type TopicAction = Static<typeof TopicActionName>;

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ProposeTopicBody = Type.Object({
  nodeId: Id,
  title: Text(40, 4),
  text: Text(2000, 10),
  kind: TopicKindName,
  mediaIds: Type.Optional(Type.Array(Id, { maxItems: 6 })),
});
export type ProposeTopicBody = Static<typeof ProposeTopicBody>;

export const TopicListQuery = Type.Composite([
  PageQuery,
  Type.Object({ nodeId: Type.Optional(Id), status: Type.Optional(TopicStatusName) }),
]);

export const StageBody = Type.Object({ stage: Text(20), note: Type.Optional(Text(200)) });
export const NoteBody = Type.Object({ note: Text(500, 2) });
export const ReasonBody = Type.Object({ reason: Text(100, 2) });

export const CommentBody = Type.Object({ text: Text(500, 1), parentId: Type.Optional(Id) });

export const OpenBallotBody = Type.Object({
  /** 2–10 choices; omitted, the ballot is 赞成 / 反对 / 弃权 (always so for owners' matters). */
  choices: Type.Optional(Type.Array(Text(30), { minItems: 2, maxItems: 10 })),
  /** Public affairs only: owners' matters follow Art. 278. */
  rule: Type.Optional(Literals(['simple', 'two_thirds'])),
  quorumPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  opensAt: Type.Optional(DateTime),
  closesAt: DateTime,
});
export type OpenBallotBody = Static<typeof OpenBallotBody>;

const ChoiceKey = Type.String({ pattern: '^(yes|no|abstain|c([1-9]|10))$' });
export const VoteBody = Type.Object({ choice: ChoiceKey, householdId: Type.Optional(Id) });
export const ProxyBody = Type.Object({ householdId: Id, choice: ChoiceKey, note: Text(200, 2) });
export const ImplementationBody = Type.Object({ owner: Text(20, 2), plan: Text(1000, 2) });
export const ProgressBody = Type.Object({
  note: Text(500, 2),
  mediaIds: Type.Optional(Type.Array(Id, { maxItems: 3 })),
});
export const RatingBody = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }) });
export const ReceiptParams = Type.Object({ id: Id, code: Type.String({ pattern: RECEIPT_PATTERN }) });

export const SettingsBody = Type.Object({
  stages: Type.Array(Text(20), { minItems: 1, maxItems: 10 }),
  /** Co-sign thresholds for particular nodes (households needed); others use max(3, 5%). */
  cosignThresholds: Type.Array(Type.Object({ nodeId: Id, households: Type.Integer({ minimum: 1, maximum: 10000 }) }), {
    maxItems: 200,
  }),
});
export type SettingsBody = Static<typeof SettingsBody>;
export const SettingsView = SettingsBody;

export const Turnout = Type.Object({
  eligibleHouseholds: Type.Integer(),
  votedHouseholds: Type.Integer(),
  /** Owners' matters: exclusive area in hundredths of m². */
  totalAreaHundredths: Nullable(Type.Integer()),
  votedAreaHundredths: Nullable(Type.Integer()),
});
export type Turnout = Static<typeof Turnout>;

export const Art278Figures = Type.Object({
  matter: Literals(['major', 'ordinary']),
  quorum: Type.Boolean(),
  passed: Type.Boolean(),
  totalAreaHundredths: Type.Integer(),
  totalHeads: Type.Integer(),
  participatingAreaHundredths: Type.Integer(),
  participatingHeads: Type.Integer(),
  yesAreaHundredths: Type.Integer(),
  yesHeads: Type.Integer(),
  quorumByArea: Type.Boolean(),
  quorumByHead: Type.Boolean(),
  passByArea: Type.Boolean(),
  passByHead: Type.Boolean(),
});
export type Art278Figures = Static<typeof Art278Figures>;

/** A result, frozen at close: present only once the ballot has closed. */
export const BallotResult = Type.Object({
  passed: Type.Boolean(),
  quorum: Type.Boolean(),
  /** The winning choice of a multi-choice ballot. */
  leading: Nullable(Type.String()),
  counts: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), households: Type.Integer() })),
  turnout: Turnout,
  art278: Nullable(Art278Figures),
  proxyBallots: Type.Integer(),
  decidedAt: DateTime,
});
export type BallotResult = Static<typeof BallotResult>;

export const BallotView = Type.Object({
  options: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  rule: BallotRuleName,
  ruleText: Type.String(),
  quorumPercent: Type.Integer(),
  opensAt: DateTime,
  closesAt: DateTime,
  ownersOnly: Type.Boolean(),
  state: Literals(['scheduled', 'open', 'closed']),
  turnout: Turnout,
  /** My household's ballot: its choice, receipt code and whether a captain recorded it for us. */
  mine: Nullable(
    Type.Object({ householdId: Id, choice: Type.String(), receipt: Type.String(), proxy: Type.Boolean() }),
  ),
  result: Nullable(BallotResult),
});
export type BallotView = Static<typeof BallotView>;

export const TopicView = Type.Object({
  id: Id,
  node: NodeRef,
  title: Type.String(),
  text: Type.String(),
  kind: TopicKindName,
  status: TopicStatusName,
  author: Type.Object({ displayName: Type.String(), isMe: Type.Boolean() }),
  media: Type.Array(MediaView),
  moderation: ModerationState,
  cosign: Type.Object({
    households: Type.Integer(),
    threshold: Type.Integer(),
    mine: Type.Boolean(),
    deadline: DateTime,
    adopted: Type.Boolean(),
  }),
  stages: Type.Array(
    Type.Object({
      name: Type.String(),
      at: Nullable(DateTime),
      by: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
  discussion: Type.Object({ closed: Type.Boolean(), summary: Nullable(Type.String()), comments: Type.Integer() }),
  ballot: Nullable(BallotView),
  implementation: Nullable(
    Type.Object({
      owner: Type.String(),
      plan: Type.String(),
      updates: Type.Array(Type.Object({ note: Type.String(), media: Type.Array(MediaView), at: DateTime })),
      doneAt: Nullable(DateTime),
    }),
  ),
  rating: Nullable(
    Type.Object({
      closesAt: DateTime,
      mine: Nullable(Type.Integer()),
      /** Published when the rating window ends: the mean in tenths (4.3 → 43) and how many households rated. */
      published: Nullable(Type.Object({ averageTenths: Type.Integer(), households: Type.Integer() })),
    }),
  ),
  actions: Type.Array(TopicActionName),
  createdAt: DateTime,
});
export type TopicView = Static<typeof TopicView>;

export const TopicPage = Type.Object({ items: Type.Array(TopicView), nextCursor: Nullable(Type.String()) });
export type TopicPage = Static<typeof TopicPage>;

export const CommentView = Type.Object({
  id: Id,
  parentId: Nullable(Id),
  author: Type.Object({ displayName: Type.String(), isMe: Type.Boolean() }),
  text: Type.String(),
  likes: Type.Integer(),
  likedByMe: Type.Boolean(),
  pinned: Type.Boolean(),
  folded: Nullable(Type.Object({ reason: Type.String() })),
  moderation: ModerationState,
  createdAt: DateTime,
});
export type CommentView = Static<typeof CommentView>;
export const CommentPage = Type.Object({ items: Type.Array(CommentView), nextCursor: Nullable(Type.String()) });
export type CommentPage = Static<typeof CommentPage>;

export const NonVoter = Type.Object({ householdId: Id, unit: NodeRef, room: Type.String() });
export type NonVoter = Static<typeof NonVoter>;

export const ReceiptView = Type.Object({
  receipt: Type.String(),
  choice: Type.String(),
  label: Type.String(),
  proxy: Type.Boolean(),
  counted: Type.Boolean(),
});
export type ReceiptView = Static<typeof ReceiptView>;
