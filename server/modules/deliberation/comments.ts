import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import type { CommentPage, CommentView } from '../../../shared/schemas/deliberation';
import type { TopicStatus } from '../../../shared/votes';
import { decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Actor } from '../roles/access';
import type { DeliberationDeps, TopicAccess } from './context';
import type { TopicComment } from './model';

const SORT = ['pinned', 'createdAt', '_id'] as const;
const CLOSED: TopicStatus[] = ['lapsed', 'completed'];

/** A topic's discussion: comments and replies, likes; the captain pins, folds with a reason. */
export function createComments(deps: DeliberationDeps & { topics: TopicAccess }) {
  const { models, topics } = deps;

  async function views(actor: Actor, list: TopicComment[]): Promise<CommentView[]> {
    const authors = await models.User.find({ _id: { $in: list.map((c) => c.authorId) } }, { displayName: 1 }).lean();
    return list.map((c) => {
      const isMe = c.authorId.equals(actor.userId);
      const name = authors.find((u) => u._id.equals(c.authorId))?.displayName ?? '';
      return {
        id: String(c._id),
        parentId: c.parentId ? String(c.parentId) : null,
        author: { displayName: isMe ? name : maskName(name), isMe },
        text: c.text,
        likes: c.likedBy.length,
        likedByMe: c.likedBy.some((u) => u.equals(actor.userId)),
        pinned: c.pinned,
        folded: c.folded ? { reason: c.folded.reason ?? '' } : null,
        moderation: c.moderation.state as CommentView['moderation'],
        createdAt: c.createdAt.toISOString(),
      };
    });
  }

  /** Pinned first, then oldest first (a thread reads top down); held-back comments only for their author. */
  async function list(actor: Actor, topicId: string, query: { cursor?: string; limit: number }): Promise<CommentPage> {
    const topic = await topics.load(actor, topicId);
    const staff = topics.may(actor, 'moderation.review', topic);
    const filter: Record<string, unknown>[] = [
      staff
        ? {}
        : { $or: [{ 'moderation.state': 'visible' }, { authorId: actor.userId, 'moderation.state': 'review' }] },
    ];
    if (query.cursor) {
      const [pinned, createdAt, id] = decodeCursor(query.cursor, ['boolean', 'date', 'objectId']);
      // Pinned (true) sort before the rest, then ascending time: "after" the cursor is less pinned or later.
      filter.push({
        $or: [
          { pinned: { $lt: pinned } },
          { pinned, createdAt: { $gt: createdAt } },
          { pinned, createdAt, _id: { $gt: id } },
        ],
      });
    }
    const rows = await models.TopicComment.find({ communityId: topic.communityId, topicId: topic._id, $and: filter })
      .sort({ pinned: -1, createdAt: 1, _id: 1 })
      .limit(query.limit + 1)
      .lean<TopicComment[]>();
    const { items, nextCursor } = pageOf(rows, query.limit, SORT);
    return { items: await views(actor, items), nextCursor };
  }

  async function post(actor: Actor, topicId: string, body: { text: string; parentId?: string }): Promise<CommentView> {
    const topic = await topics.load(actor, topicId);
    const member = (await topics.householdsOf(actor, topic)).length > 0;
    if (!member && !topics.may(actor, 'topic.moderate', topic))
      throw new ForbiddenError('Households of this place discuss its topics', ErrorCode.NOT_ELIGIBLE);
    if (topic.discussionClosed || CLOSED.includes(topic.status as TopicStatus))
      throw new ConflictError('The discussion is closed', ErrorCode.DISCUSSION_CLOSED);
    if (body.parentId) {
      const parent = await models.TopicComment.exists({
        _id: body.parentId,
        communityId: topic.communityId,
        topicId: topic._id,
      });
      if (!parent) throw new BadRequestError('Reply to a comment of this topic', ErrorCode.VALIDATION_FAILED);
    }
    const text = body.text.trim();
    if (!text) throw new BadRequestError('Write something', ErrorCode.VALIDATION_FAILED);
    const screening = await deps.moderation.screenText(actor, 2, { text }, topic.communityId);
    const created = await models.TopicComment.create({
      communityId: topic.communityId,
      topicId: topic._id,
      nodeId: topic.nodeId,
      parentId: body.parentId ? new Types.ObjectId(body.parentId) : null,
      authorId: actor.userId,
      text,
      createdAt: deps.now(),
      moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
    });
    await models.Topic.updateOne({ _id: topic._id, communityId: topic.communityId }, { $inc: { commentCount: 1 } });
    await deps.moderation.afterCreate('topic_comment', created, screening);
    return (await views(actor, [created.toObject<TopicComment>()]))[0]!;
  }

  /** A comment of a topic the actor may see, as its item visibility (flags, photos) asks for it. */
  async function load(actor: Actor, id: string): Promise<TopicComment> {
    const comment = Types.ObjectId.isValid(id)
      ? await models.TopicComment.findOne({ _id: id, ...inScope(actor.scope) }).lean<TopicComment>()
      : null;
    if (!comment) throw new NotFoundError('No such comment');
    const topic = await topics.load(actor, String(comment.topicId));
    const staff = topics.may(actor, 'moderation.review', topic);
    const shown =
      staff ||
      comment.moderation.state === 'visible' ||
      (comment.moderation.state === 'review' && comment.authorId.equals(actor.userId));
    if (!shown) throw new NotFoundError('No such comment');
    return comment;
  }

  async function like(actor: Actor, id: string, on: boolean): Promise<CommentView> {
    const comment = await load(actor, id);
    const updated = await models.TopicComment.findOneAndUpdate(
      { _id: comment._id, communityId: comment.communityId },
      on ? { $addToSet: { likedBy: actor.userId } } : { $pull: { likedBy: actor.userId } },
      { returnDocument: 'after' },
    ).lean<TopicComment>();
    return (await views(actor, [updated!]))[0]!;
  }

  /** Pin (or unpin) a comment, or fold an off-topic one with a reason: the captain's or staff's tools. */
  async function moderate(
    actor: Actor,
    id: string,
    change: { pinned: boolean } | { fold: string },
  ): Promise<CommentView> {
    const comment = await load(actor, id);
    const topic = await topics.load(actor, String(comment.topicId));
    if (!topics.may(actor, 'topic.moderate', topic)) throw new ForbiddenError('Captains and staff moderate topics');
    const set = 'fold' in change ? { folded: { reason: change.fold.trim(), by: actor.userId } } : change;
    const updated = await models.TopicComment.findOneAndUpdate(
      { _id: comment._id, communityId: comment.communityId },
      { $set: set },
      { returnDocument: 'after' },
    ).lean<TopicComment>();
    await deps.audit.record({
      communityId: topic.communityId,
      itemKind: 'topic',
      itemId: topic._id,
      nodeId: topic.nodeId,
      action: 'fold' in change ? 'fold-comment' : change.pinned ? 'pin-comment' : 'unpin-comment',
      actorId: actor.userId,
      note: 'fold' in change ? change.fold : null,
    });
    return (await views(actor, [updated!]))[0]!;
  }

  return { list, post, load, like, moderate };
}
export type Comments = ReturnType<typeof createComments>;
