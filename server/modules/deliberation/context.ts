import { Types, type Connection } from 'mongoose';
import { isAllowed, type Action } from '../../../shared/roles';
import { inScope } from '../../data/tenant-scope';
import { NotFoundError } from '../../errors';
import type { Models } from '../../plugins/models';
import type { Audit } from '../audit/service';
import type { JobRunner } from '../jobs/runner';
import type { MediaService } from '../media/service';
import type { Moderation } from '../moderation/service';
import type { Notifier } from '../notifications/service';
import type { Household, PlaceNode } from '../places/model';
import type { NodeRefs } from '../places/service';
import { ancestryOf, type Access, type Actor } from '../roles/access';
import type { Topic } from './model';

export const LAPSE_JOB = 'deliberation.lapse';
export const CLOSE_BALLOT_JOB = 'deliberation.close-ballot';
export const CLOSE_RATING_JOB = 'deliberation.close-rating';

/** What the deliberation services use of the platform: narrow, so each is testable and its reach visible. */
export interface DeliberationDeps {
  connection: Connection;
  models: Pick<
    Models,
    | 'Topic'
    | 'TopicComment'
    | 'TopicVote'
    | 'TopicRating'
    | 'DeliberationSettings'
    | 'Node'
    | 'Household'
    | 'User'
    | 'Notice'
  >;
  access: Access;
  nodeRefs: NodeRefs;
  moderation: Pick<Moderation, 'screenText' | 'afterCreate'>;
  media: Pick<MediaService, 'views' | 'attach' | 'attachFor'>;
  audit: Pick<Audit, 'record'>;
  notifier: Pick<Notifier, 'notify'>;
  jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  now: () => Date;
}

/**
 * Who stands where relative to a topic: its node's members (households under it), the captains and staff who
 * moderate it (a role on the node or an ancestor), and who may see it at all.
 */
export function createTopicAccess(deps: Pick<DeliberationDeps, 'models' | 'access'>) {
  const { models } = deps;

  /** Does the actor hold `action` on the topic's node (a role there or above)? */
  function may(actor: Actor, action: Action, topic: Pick<Topic, 'ancestors'>): boolean {
    return isAllowed(action, actor.effective, topic.ancestors.map(String));
  }

  /** The nodes on the actor's paths: every node at or above a place they hold a role on (their channels). */
  async function pathNodes(actor: Actor): Promise<Types.ObjectId[]> {
    const nodes = await models.Node.find(
      { _id: { $in: actor.effective.map((g) => new Types.ObjectId(g.nodeId)) }, ...inScope(actor.scope) },
      { ancestors: 1 },
    ).lean<PlaceNode[]>();
    return [...new Set(nodes.flatMap((n) => ancestryOf(n)))].map((id) => new Types.ObjectId(id));
  }

  /** The actor's households under the topic's node; owners' matters count owner members only. */
  async function householdsOf(
    actor: Actor,
    topic: Pick<Topic, 'communityId' | 'nodeId'>,
    ownersOnly = false,
  ): Promise<Household[]> {
    // By the member index alone: a person's households are few, a node's may be thousands (an estate).
    const mine = await models.Household.find({
      communityId: topic.communityId,
      'members.userId': actor.userId,
    }).lean<Household[]>();
    return mine.filter(
      (h) =>
        h.ancestors.some((a) => a.equals(topic.nodeId)) &&
        h.members.some((m) => m.userId.equals(actor.userId) && (!ownersOnly || m.relation === 'owner')),
    );
  }

  /** On the actor's path, or under a place they moderate; what moderation holds back only for author and staff. */
  async function canSee(actor: Actor, topic: Topic): Promise<boolean> {
    const staff = may(actor, 'moderation.review', topic);
    if (topic.moderation.state === 'hidden' && !staff) return false;
    if (topic.moderation.state === 'review' && !staff && !topic.authorId.equals(actor.userId)) return false;
    if (may(actor, 'topic.moderate', topic)) return true;
    return (await pathNodes(actor)).some((id) => id.equals(topic.nodeId));
  }

  async function load(actor: Actor, id: string): Promise<Topic> {
    const topic = Types.ObjectId.isValid(id)
      ? await models.Topic.findOne({ _id: id, ...inScope(actor.scope) }).lean<Topic>()
      : null;
    if (!topic || !(await canSee(actor, topic))) throw new NotFoundError('No such topic');
    return topic;
  }

  return { may, pathNodes, householdsOf, canSee, load };
}
export type TopicAccess = ReturnType<typeof createTopicAccess>;
