import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { itemModuleDeps } from '../item-deps';
import type { ModeratedItem } from '../moderation/kinds';
import { createPlaceNames } from '../places/service';
import { createBallots } from './ballots';
import { createComments } from './comments';
import { CLOSE_BALLOT_JOB, CLOSE_RATING_JOB, createTopicAccess, LAPSE_JOB, type DeliberationDeps } from './context';
import { createImplementation } from './implementation';
import type { Topic, TopicComment } from './model';
import { createPublisher } from './publish';
import { createTally } from './tally';
import { createTopics } from './topics';

function createDeliberation(deps: DeliberationDeps) {
  const topics = createTopicAccess(deps);
  const tally = createTally(deps.models);
  const publish = createPublisher(deps);
  const topicService = createTopics({ ...deps, topics, tally });
  const shared = { ...deps, topics, topicService, tally, publish };
  return {
    access: topics,
    topics: topicService,
    comments: createComments({ ...deps, topics }),
    ballots: createBallots(shared),
    implementation: createImplementation(shared),
  };
}
export type Deliberation = ReturnType<typeof createDeliberation>;

declare module 'fastify' {
  interface FastifyInstance {
    deliberation: Deliberation;
  }
}

/** 议事协商: the services, their item kinds' visibility and their exact-time jobs. */
export default fp(
  async function deliberation(app: FastifyInstance) {
    const services = createDeliberation({
      ...itemModuleDeps(app),
      nodeRefs: createPlaceNames(app.models),
    });
    const moderates = (actor: Parameters<typeof services.access.may>[0], item: { ancestors: Topic['ancestors'] }) =>
      services.access.may(actor, 'topic.moderate', item);
    app.items.define<Topic & ModeratedItem>('topic', { find: services.access.load, handles: moderates });
    app.items.define<TopicComment & ModeratedItem>('topic_comment', {
      find: services.comments.load,
      handles: async (actor, comment) => moderates(actor, await services.access.load(actor, String(comment.topicId))),
    });
    app.jobs.define(LAPSE_JOB, async ({ payload }) => services.topics.onLapse(payload as { topicId: string }));
    app.jobs.define(CLOSE_BALLOT_JOB, async ({ payload }) => services.ballots.close(String(payload.topicId)));
    app.jobs.define(CLOSE_RATING_JOB, async ({ payload }) =>
      services.implementation.closeRating(payload as { topicId: string; by: string; role: string }),
    );
    app.decorate('deliberation', services);
  },
  { name: 'deliberation', dependencies: ['platform'] },
);
