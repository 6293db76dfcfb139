import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ChannelView,
  EditNoticeBody,
  NoticePage,
  NoticeVersion,
  NoticeView,
  PostNoticeBody,
  ReadReceipt,
} from '../../../shared/schemas/channels';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import { errorResponses } from '../../http';
import { timelineRoutes } from '../audit/routes';
import type { ModeratedItem } from '../moderation/kinds';
import { createPlaceNames } from '../places/service';
import type { Notice } from './model';
import { createChannelService } from './service';

const secured = { security: [{ bearer: [] }] };

/** The caller's channels and the notices in them. */
export const channelRoutes: FastifyPluginAsyncTypebox = async function channelRoutes(app) {
  const service = createChannelService({
    models: app.models,
    access: app.access,
    nodeRefs: createPlaceNames(app.models),
    moderation: app.moderation,
    media: app.media,
    audit: app.audit,
    now: () => app.clock.now(),
  });
  app.addHook('onRequest', app.authenticate);
  app.items.define<Notice & ModeratedItem>('notice', { find: service.visibleNotice, handles: service.moderates });
  timelineRoutes(app, { base: '/notices', kind: 'notice', tag: 'channels', find: service.visibleNotice });

  app.get(
    '/channels',
    {
      schema: {
        tags: ['channels'],
        summary: "The caller's channels, unit first, with unread counts",
        ...secured,
        response: { 200: Type.Array(ChannelView), ...errorResponses },
      },
    },
    async function myChannels(request) {
      return service.channels(request.actor);
    },
  );

  app.get(
    '/channels/:id/notices',
    {
      schema: {
        tags: ['channels'],
        summary: "A channel's notices, pinned first, newest first",
        ...secured,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: NoticePage, ...errorResponses },
      },
    },
    async function listNotices(request) {
      return service.notices(request.actor, request.params.id, request.query.cursor, request.query.limit ?? 20);
    },
  );

  app.post(
    '/channels/:id/notices',
    {
      schema: {
        tags: ['channels'],
        summary: 'Post a notice (captains, grid workers, property, staff)',
        ...secured,
        params: IdParams,
        body: PostNoticeBody,
        response: { 201: NoticeView, ...errorResponses },
      },
    },
    async function postNotice(request, reply) {
      return reply.status(201).send(await service.post(request.actor, request.params.id, request.body));
    },
  );

  app.put(
    '/notices/:id',
    {
      schema: {
        tags: ['channels'],
        summary: 'Edit a notice (its author, staff); the text is checked again and the old one kept',
        ...secured,
        params: IdParams,
        body: EditNoticeBody,
        response: { 200: NoticeView, ...errorResponses },
      },
    },
    async function editNotice(request) {
      return service.edit(request.actor, request.params.id, request.body);
    },
  );

  app.post(
    '/notices/:id/withdraw',
    {
      schema: {
        tags: ['channels'],
        summary: 'Withdraw a notice (its author, staff): gone from the lists, kept for the audit',
        ...secured,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function withdrawNotice(request, reply) {
      await service.withdraw(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/notices/:id/versions',
    {
      schema: {
        tags: ['channels'],
        summary: 'What an edited notice said before, newest first',
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(NoticeVersion), ...errorResponses },
      },
    },
    async function noticeVersions(request) {
      return service.versions(request.actor, request.params.id);
    },
  );

  app.post(
    '/notices/:id/read',
    {
      schema: {
        tags: ['channels'],
        summary: 'Mark a notice read; answers the read receipt counts',
        ...secured,
        params: IdParams,
        response: { 200: ReadReceipt, ...errorResponses },
      },
    },
    async function readNotice(request) {
      return service.markRead(request.actor, request.params.id);
    },
  );
};
