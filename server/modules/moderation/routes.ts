import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, PageQuery } from '../../../shared/schemas/ids';
import {
  BanBody,
  BanView,
  EditTextBody,
  FlagBody,
  FlagResult,
  ModerationCasePage,
  ModerationCaseView,
  RedactPhotoBody,
} from '../../../shared/schemas/platform';
import { errorResponses } from '../../http';

const secured = { security: [{ bearer: [] }] };
const CaseResponse = { 200: ModerationCaseView, ...errorResponses };

/** Residents flag; staff work the moderation queue and ban. */
export const moderationRoutes: FastifyPluginAsyncTypebox = async function moderationRoutes(app) {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/flags',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Flag an item as inappropriate; the third distinct flag hides it until staff decide',
        ...secured,
        body: FlagBody,
        response: { 200: FlagResult, ...errorResponses },
      },
    },
    async function flag(request) {
      return app.moderation.flag(request.actor, request.body.kind, request.body.id, request.body.reason.trim());
    },
  );

  app.get(
    '/moderation/cases',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The moderation queue (staff)',
        ...secured,
        querystring: Type.Composite([
          PageQuery,
          Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])) }),
        ]),
        response: { 200: ModerationCasePage, ...errorResponses },
      },
    },
    async function queue(request) {
      const { status = 'open', cursor, limit = 20 } = request.query;
      return app.moderation.queue(request.actor, { status, cursor, limit });
    },
  );

  app.get(
    '/moderation/cases/:id',
    {
      schema: {
        tags: ['moderation'],
        summary: 'One case (staff)',
        ...secured,
        params: IdParams,
        response: CaseResponse,
      },
    },
    async function moderationCase(request) {
      return app.moderation.getCase(request.actor, request.params.id);
    },
  );

  for (const action of ['approve', 'hide'] as const) {
    app.post(
      `/moderation/cases/:id/${action}`,
      {
        schema: {
          tags: ['moderation'],
          summary: action === 'approve' ? 'Publish the item' : 'Hide the item',
          ...secured,
          params: IdParams,
          response: CaseResponse,
        },
      },
      async function decide(request) {
        return app.moderation.decide(request.actor, request.params.id, { action });
      },
    );
  }

  app.post(
    '/moderation/cases/:id/edit',
    {
      schema: {
        tags: ['moderation'],
        summary: "Replace (redact) the item's text and publish it",
        ...secured,
        params: IdParams,
        body: EditTextBody,
        response: CaseResponse,
      },
    },
    async function edit(request) {
      return app.moderation.decide(request.actor, request.params.id, { action: 'edit', text: request.body.text });
    },
  );

  app.post(
    '/moderation/cases/:id/redact-photo',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Black out rectangles of one of the photos (faces, plates); the case stays open',
        ...secured,
        params: IdParams,
        body: RedactPhotoBody,
        response: CaseResponse,
      },
    },
    async function redactPhoto(request) {
      const { mediaId, rects } = request.body;
      return app.moderation.decide(request.actor, request.params.id, { action: 'redact-photo', mediaId, rects });
    },
  );

  app.post(
    '/moderation/users/:id/ban',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Stop a person posting in your community for some days (only people ranked below you there)',
        ...secured,
        params: IdParams,
        body: BanBody,
        response: { 200: Type.Object({ bannedUntil: Type.String({ format: 'date-time' }) }), ...errorResponses },
      },
    },
    async function ban(request) {
      return app.moderation.ban(request.actor, request.params.id, request.body.days, request.body.reason.trim());
    },
  );

  app.delete(
    '/moderation/users/:id/ban',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Let a banned person post again now, in every community you moderate',
        ...secured,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function liftBan(request, reply) {
      await app.moderation.liftBan(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/moderation/bans',
    {
      schema: {
        tags: ['moderation'],
        summary: "The people banned from posting now in the caller's communities (staff)",
        ...secured,
        response: { 200: Type.Array(BanView), ...errorResponses },
      },
    },
    async function bans(request) {
      return app.moderation.bans(request.actor);
    },
  );
};
