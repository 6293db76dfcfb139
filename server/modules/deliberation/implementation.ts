import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import type { TopicView } from '../../../shared/schemas/deliberation';
import { DAY_MS, RATING_DAYS } from '../../../shared/votes';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { ConflictError, ForbiddenError } from '../../errors';
import type { Actor } from '../roles/access';
import { moderatorRole } from './ballots';
import { CLOSE_RATING_JOB, type DeliberationDeps, type TopicAccess } from './context';
import type { Topic } from './model';
import type { Publish } from './publish';
import type { Topics } from './topics';

/** 民办 and 民评: an owner and a plan, progress with photos, done, a 14-day rating, 实施结果公开. */
export function createImplementation(
  deps: DeliberationDeps & { topics: TopicAccess; topicService: Topics; publish: Publish },
) {
  const { models, topics, topicService } = deps;

  async function moderated(actor: Actor, id: string): Promise<Topic> {
    const topic = await topics.load(actor, id);
    if (!topics.may(actor, 'topic.moderate', topic)) throw new ForbiddenError('Captains and staff carry topics out');
    return topic;
  }

  async function start(actor: Actor, id: string, body: { owner: string; plan: string }): Promise<TopicView> {
    const topic = await moderated(actor, id);
    await deps.moderation.screenText(actor, 3, body, topic.communityId);
    const updated = await topicService.transition(
      topic,
      ['decided'],
      { $set: { implementation: { owner: body.owner.trim(), plan: body.plan.trim(), updates: [], doneAt: null } } },
      { action: 'implement', to: 'implementing', actorId: actor.userId, note: `负责人：${body.owner.trim()}` },
    );
    return topicService.view(actor, updated);
  }

  /** A progress update (`done`: the last one, which opens the rating window). */
  async function progress(
    actor: Actor,
    id: string,
    body: { note: string; mediaIds?: string[] },
    done: boolean,
  ): Promise<TopicView> {
    const topic = await moderated(actor, id);
    if (topic.status !== 'implementing') throw new ConflictError('Not being carried out', ErrorCode.TOPIC_STATE);
    await deps.moderation.screenText(actor, 3, { note: body.note }, topic.communityId);
    const now = deps.now();
    const mediaIds = await deps.media.attach(actor, body.mediaIds ?? [], {
      kind: 'topic',
      itemId: topic._id,
      communityId: topic.communityId,
    });
    const closesAt = new Date(now.getTime() + RATING_DAYS * DAY_MS);
    const updated = await topicService.transition(
      topic,
      ['implementing'],
      {
        $push: { 'implementation.updates': { note: body.note.trim(), mediaIds, at: now } },
        ...(done ? { $set: { 'implementation.doneAt': now, rating: { closesAt, published: null } } } : {}),
      },
      {
        action: done ? 'done' : 'progress',
        to: done ? 'rating' : undefined,
        actorId: actor.userId,
        note: body.note.trim(),
      },
    );
    if (done) {
      await deps.jobs.schedule(CLOSE_RATING_JOB, `topic:${topic._id}:rating`, closesAt, {
        topicId: String(topic._id),
        by: String(actor.userId),
        role: moderatorRole(actor, topic),
      });
    }
    return topicService.view(actor, updated);
  }

  /** One rating per household, changeable until the window closes. */
  async function rate(actor: Actor, id: string, score: number): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    if (topic.status !== 'rating' || !topic.rating?.closesAt || deps.now() >= topic.rating.closesAt)
      throw new ConflictError('Rating is not open', ErrorCode.TOPIC_STATE);
    const [household] = await topics.householdsOf(actor, topic);
    if (!household) throw new ForbiddenError('Households of this place rate it', ErrorCode.NOT_ELIGIBLE);
    const write = () =>
      models.TopicRating.updateOne(
        { communityId: topic.communityId, topicId: topic._id, householdId: household._id },
        { $set: { score, userId: actor.userId } },
        { upsert: true },
      );
    await write().catch((err: { code?: number }) => {
      if (err.code === 11000) return write();
      throw err;
    });
    return topicService.view(actor, topic);
  }

  /** The rating window's end: the mean (in tenths, rounded half up) and count frozen and published. */
  async function closeRating(payload: { topicId: string; by: string; role: string }): Promise<void> {
    const topic = await models.Topic.findOne({ _id: payload.topicId, status: 'rating' })
      .setOptions(CROSS_COMMUNITY)
      .lean<Topic>();
    if (!topic || !topic.rating?.closesAt || deps.now() < topic.rating.closesAt) return;
    const scores = await models.TopicRating.find(
      { communityId: topic.communityId, topicId: topic._id },
      { score: 1 },
    ).lean();
    const sum = scores.reduce((s, r) => s + r.score, 0);
    const published = {
      households: scores.length,
      averageTenths: scores.length ? Math.floor((sum * 20 + scores.length) / (2 * scores.length)) : 0,
    };
    const updated = await topicService
      .transition(
        topic,
        ['rating'],
        { $set: { 'rating.published': published } },
        { action: 'publish-result', to: 'completed', note: `${published.households}户评价` },
      )
      .catch((err: unknown) => {
        if (err instanceof ConflictError) return null;
        throw err;
      });
    if (!updated) return;
    const average = `${Math.floor(published.averageTenths / 10)}.${published.averageTenths % 10}`;
    await deps.publish(
      topic,
      // Signed by whoever marked it done, as the decision was by whoever ran the ballot.
      { userId: new Types.ObjectId(payload.by), role: payload.role },
      {
        title: `实施结果公开：${topic.title}`,
        body: [
          `议题：${topic.title}`,
          `负责人：${topic.implementation?.owner ?? ''}`,
          `实施情况：${topic.implementation?.updates.at(-1)?.note ?? ''}`,
          `居民评价：${published.households}户参与，平均${average}分（满分5分）`,
        ].join('\n'),
      },
    );
  }

  return { start, progress, rate, closeRating };
}
