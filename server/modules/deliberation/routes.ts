import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import {
  CommentBody,
  CommentPage,
  CommentView,
  ImplementationBody,
  NonVoter,
  NoteBody,
  OpenBallotBody,
  ProgressBody,
  ProposeTopicBody,
  ProxyBody,
  RatingBody,
  ReasonBody,
  ReceiptParams,
  ReceiptView,
  SettingsBody,
  SettingsView,
  StageBody,
  TopicListQuery,
  TopicPage,
  TopicView,
  VoteBody,
} from '../../../shared/schemas/deliberation';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';

const secured = { security: [{ bearer: [] }] };
const tags = ['deliberation'];
const CastView = Type.Object({
  householdId: Type.String(),
  choice: Type.String(),
  receipt: Type.String(),
  proxy: Type.Boolean(),
});
const reply = (schema: TSchema) => ({ 200: schema, ...errorResponses });

/** 议事协商: topics, co-signs, the 四议两公开 stages, discussion, ballots, results, implementation and rating. */
export const deliberationRoutes: FastifyPluginAsyncTypebox = async function deliberationRoutes(app) {
  const { topics, comments, ballots, implementation, access } = app.deliberation;
  app.addHook('onRequest', app.authenticate);
  timelineRoutes(app, { base: '/topics', kind: 'topic', tag: 'deliberation', find: access.load });

  app.get(
    '/communities/:id/deliberation-settings',
    {
      schema: {
        tags,
        summary: "The community's 四议两公开 stages and co-sign thresholds",
        ...secured,
        params: IdParams,
        response: reply(SettingsView),
      },
    },
    async function getSettings(request) {
      return topics.settings(request.actor, request.params.id);
    },
  );

  app.put(
    '/communities/:id/deliberation-settings',
    {
      schema: {
        tags,
        summary: 'Configure the stages and co-sign thresholds (staff)',
        ...secured,
        params: IdParams,
        body: SettingsBody,
        response: reply(SettingsView),
      },
    },
    async function putSettings(request) {
      return topics.saveSettings(request.actor, request.params.id, request.body);
    },
  );

  app.get(
    '/topics',
    {
      schema: {
        tags,
        summary: "Topics of a node's channel, or of every place on my paths",
        ...secured,
        querystring: TopicListQuery,
        response: reply(TopicPage),
      },
    },
    async function listTopics(request) {
      const { nodeId, status, cursor, limit = 20 } = request.query;
      return topics.list(request.actor, { nodeId, status, cursor, limit });
    },
  );

  app.post(
    '/topics',
    {
      schema: {
        tags,
        summary: 'Raise a topic on a place one belongs to (民提)',
        ...secured,
        body: ProposeTopicBody,
        response: { 201: TopicView, ...errorResponses },
      },
    },
    async function propose(request, res) {
      return res.status(201).send(await topics.propose(request.actor, request.body));
    },
  );

  app.get(
    '/topics/:id',
    {
      schema: {
        tags,
        summary: 'A topic with its stages, ballot (turnout only until close) and my moves',
        ...secured,
        params: IdParams,
        response: reply(TopicView),
      },
    },
    async function getTopic(request) {
      return topics.get(request.actor, request.params.id);
    },
  );

  app.post(
    '/topics/:id/cosign',
    {
      schema: {
        tags,
        summary: 'Co-sign (附议) for my household',
        ...secured,
        params: IdParams,
        response: reply(TopicView),
      },
    },
    async function cosign(request) {
      return topics.cosign(request.actor, request.params.id);
    },
  );

  app.post(
    '/topics/:id/adopt',
    {
      schema: {
        tags,
        summary: 'Make a proposal an agenda item (captains, staff)',
        ...secured,
        params: IdParams,
        response: reply(TopicView),
      },
    },
    async function adopt(request) {
      return topics.adopt(request.actor, request.params.id);
    },
  );

  app.post(
    '/topics/:id/stages',
    {
      schema: {
        tags,
        summary: 'Record the next 四议两公开 stage (staff); none may be skipped',
        ...secured,
        params: IdParams,
        body: StageBody,
        response: reply(TopicView),
      },
    },
    async function stage(request) {
      return topics.recordStage(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/topics/:id/summary',
    {
      schema: {
        tags,
        summary: "Post the discussion's summary (captains, staff)",
        ...secured,
        params: IdParams,
        body: NoteBody,
        response: reply(TopicView),
      },
    },
    async function summary(request) {
      return topics.summarise(request.actor, request.params.id, request.body.note, false);
    },
  );

  app.post(
    '/topics/:id/close-discussion',
    {
      schema: {
        tags,
        summary: 'Close the discussion (captains, staff)',
        ...secured,
        params: IdParams,
        response: reply(TopicView),
      },
    },
    async function closeDiscussion(request) {
      return topics.summarise(request.actor, request.params.id, '', true);
    },
  );

  app.get(
    '/topics/:id/comments',
    {
      schema: {
        tags,
        summary: 'The discussion: pinned first, then oldest first',
        ...secured,
        params: IdParams,
        querystring: PageQuery,
        response: reply(CommentPage),
      },
    },
    async function listComments(request) {
      return comments.list(request.actor, request.params.id, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? 20,
      });
    },
  );

  app.post(
    '/topics/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment, or reply to a comment',
        ...secured,
        params: IdParams,
        body: CommentBody,
        response: { 201: CommentView, ...errorResponses },
      },
    },
    async function comment(request, res) {
      return res.status(201).send(await comments.post(request.actor, request.params.id, request.body));
    },
  );

  for (const on of [true, false]) {
    app[on ? 'post' : 'delete'](
      '/topic-comments/:id/like',
      {
        schema: {
          tags,
          summary: on ? 'Like a comment' : 'Take a like back',
          ...secured,
          params: IdParams,
          response: reply(CommentView),
        },
      },
      async function like(request) {
        return comments.like(request.actor, request.params.id, on);
      },
    );
  }

  app.post(
    '/topic-comments/:id/pin',
    {
      schema: {
        tags,
        summary: 'Pin or unpin a comment (captains, staff)',
        ...secured,
        params: IdParams,
        body: Type.Object({ pinned: Type.Boolean() }),
        response: reply(CommentView),
      },
    },
    async function pin(request) {
      return comments.moderate(request.actor, request.params.id, { pinned: request.body.pinned });
    },
  );

  app.post(
    '/topic-comments/:id/fold',
    {
      schema: {
        tags,
        summary: 'Fold an off-topic comment with a reason (captains, staff)',
        ...secured,
        params: IdParams,
        body: ReasonBody,
        response: reply(CommentView),
      },
    },
    async function fold(request) {
      return comments.moderate(request.actor, request.params.id, { fold: request.body.reason });
    },
  );

  app.post(
    '/topics/:id/ballot',
    {
      schema: {
        tags,
        summary: 'Open a ballot on an agenda item (captains, staff)',
        ...secured,
        params: IdParams,
        body: OpenBallotBody,
        response: reply(TopicView),
      },
    },
    async function openBallot(request) {
      return ballots.open(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/topics/:id/ballot/vote',
    {
      schema: {
        tags,
        summary: "Cast or change my household's ballot; answers its receipt code",
        ...secured,
        params: IdParams,
        body: VoteBody,
        response: reply(CastView),
      },
    },
    async function vote(request) {
      return ballots.cast(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/topics/:id/ballot/proxy',
    {
      schema: {
        tags,
        summary: 'Record a proxy ballot for a household without a phone, with a note (captains)',
        ...secured,
        params: IdParams,
        body: ProxyBody,
        response: reply(CastView),
      },
    },
    async function proxy(request) {
      return ballots.proxy(request.actor, request.params.id, request.body);
    },
  );

  app.get(
    '/topics/:id/ballot/non-voters',
    {
      schema: {
        tags,
        summary: 'Households I look after that have not voted (captains, staff)',
        ...secured,
        params: IdParams,
        response: reply(Type.Array(NonVoter)),
      },
    },
    async function nonVoters(request) {
      return ballots.nonVoters(request.actor, request.params.id);
    },
  );

  app.post(
    '/topics/:id/ballot/remind',
    {
      schema: {
        tags,
        summary: 'Remind the households I look after that have not voted (captains, staff)',
        ...secured,
        params: IdParams,
        response: reply(Type.Object({ households: Type.Integer() })),
      },
    },
    async function remind(request) {
      return ballots.remind(request.actor, request.params.id);
    },
  );

  app.get(
    '/topics/:id/ballot/receipts/:code',
    {
      schema: {
        tags,
        summary: 'After close: the choice recorded under a receipt code',
        ...secured,
        params: ReceiptParams,
        response: reply(ReceiptView),
      },
    },
    async function receipt(request) {
      return ballots.receipt(request.actor, request.params.id, request.params.code);
    },
  );

  app.post(
    '/topics/:id/implementation',
    {
      schema: {
        tags,
        summary: 'Give a decided topic its owner and plan (民办; captains, staff)',
        ...secured,
        params: IdParams,
        body: ImplementationBody,
        response: reply(TopicView),
      },
    },
    async function implement(request) {
      return implementation.start(request.actor, request.params.id, request.body);
    },
  );

  for (const done of [false, true]) {
    app.post(
      `/topics/:id/${done ? 'done' : 'progress'}`,
      {
        schema: {
          tags,
          summary: done ? 'Mark it done: households rate it for 14 days (民评)' : 'A progress update with photos',
          ...secured,
          params: IdParams,
          body: ProgressBody,
          response: reply(TopicView),
        },
      },
      async function progress(request) {
        return implementation.progress(request.actor, request.params.id, request.body, done);
      },
    );
  }

  app.post(
    '/topics/:id/rating',
    {
      schema: {
        tags,
        summary: 'Rate the outcome 1–5 for my household',
        ...secured,
        params: IdParams,
        body: RatingBody,
        response: reply(TopicView),
      },
    },
    async function rate(request) {
      return implementation.rate(request.actor, request.params.id, request.body.score);
    },
  );
};
