import type { Types } from 'mongoose';
import type { Household } from '../places/model';
import type { DeliberationDeps } from './context';
import type { Topic } from './model';

/**
 * 两公开: a decision or an implementation result goes to the node's channel as a notice, in the name of the
 * captain or staff member who ran the ballot, and every household of the node is told. The civility board's
 * frozen month is published the same way.
 */
export function createPublisher(deps: Pick<DeliberationDeps, 'models' | 'notifier' | 'now'>) {
  const { models } = deps;

  return async function publish(
    topic: Pick<Topic, '_id' | 'communityId' | 'nodeId' | 'title'>,
    author: { userId: Types.ObjectId; role: string },
    notice: { title: string; body: string },
    /** The inbox and subscribe message's kind and page: the topic's by default (the civility board uses its own). */
    message: { kind: string; link: string } = {
      kind: 'topic.updated',
      link: `packages/deliberation/detail/index?id=${topic._id}`,
    },
  ): Promise<void> {
    const now = deps.now();
    await models.Notice.create({
      communityId: topic.communityId,
      channelId: topic.nodeId,
      title: [...notice.title].slice(0, 40).join(''),
      body: [...notice.body].slice(0, 2000).join(''),
      authorId: author.userId,
      authorRole: author.role,
      publishedAt: now,
    });
    const households = await models.Household.find(
      { communityId: topic.communityId, ancestors: topic.nodeId, 'members.0': { $exists: true } },
      { 'members.userId': 1 },
    ).lean<Pick<Household, 'members'>[]>();
    const userIds = [
      ...new Map(households.flatMap((h) => h.members.map((m) => [String(m.userId), m.userId]))).values(),
    ];
    await deps.notifier.notify({
      userIds,
      kind: message.kind,
      title: notice.title,
      body: topic.title,
      link: message.link,
      data: {
        title: topic.title,
        status: notice.title.slice(0, 5),
        time: now.toISOString().slice(0, 16).replace('T', ' '),
      },
    });
  };
}
export type Publish = ReturnType<typeof createPublisher>;
