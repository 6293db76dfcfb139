import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import { InboxPage, SubscribeBody, SubscribeResult, SubscribeTemplates } from '../../../shared/schemas/platform';
import { errorResponses } from '../../http';

const secured = { security: [{ bearer: [] }] };
const Unread = Type.Object({ unread: Type.Integer() });

/** The inbox, and subscribe-message consents. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async function notificationRoutes(app) {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/inbox',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My messages, newest first',
        ...secured,
        querystring: PageQuery,
        response: { 200: InboxPage, ...errorResponses },
      },
    },
    async function inbox(request) {
      return app.notifier.inbox(request.actor.userId, request.query.cursor, request.query.limit ?? 20);
    },
  );

  app.post(
    '/inbox/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark a message read',
        ...secured,
        params: IdParams,
        response: { 200: Unread, ...errorResponses },
      },
    },
    async function read(request) {
      return { unread: await app.notifier.markRead(request.actor.userId, request.params.id) };
    },
  );

  app.post(
    '/inbox/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark every message read',
        ...secured,
        response: { 200: Unread, ...errorResponses },
      },
    },
    async function readAll(request) {
      return { unread: await app.notifier.markRead(request.actor.userId, 'all') };
    },
  );

  app.get(
    '/subscriptions/templates',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Template ids to pass to wx.requestSubscribeMessage, per event kind',
        ...secured,
        response: { 200: SubscribeTemplates, ...errorResponses },
      },
    },
    async function templates() {
      return app.notifier.templateIds();
    },
  );

  app.post(
    '/subscriptions',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Record the consents the user just gave (one message each)',
        ...secured,
        body: SubscribeBody,
        response: { 200: SubscribeResult, ...errorResponses },
      },
    },
    async function subscribe(request) {
      return { remaining: await app.notifier.subscribe(request.actor.userId, request.body.accepted) };
    },
  );
};
