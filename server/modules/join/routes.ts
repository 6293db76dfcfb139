import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams } from '../../../shared/schemas/ids';
import {
  CreateInviteBody,
  InvitePreview,
  InviteView,
  JoinBody,
  JoinListQuery,
  JoinRequestView,
  RejectBody,
} from '../../../shared/schemas/places';
import { errorResponses } from '../../http';
import { createPlaceNames } from '../places/service';
import type { JoinRequest } from './model';
import { createJoinService } from './service';

const secured = { security: [{ bearer: [] }] };
const CodeParams = Type.Object({ code: Type.String({ minLength: 4, maxLength: 16, pattern: '^[A-Za-z0-9]+$' }) });

/** Invite codes for units, join requests and their review. */
export const joinRoutes: FastifyPluginAsyncTypebox = async function joinRoutes(app) {
  const join = createJoinService({
    connection: app.db.connection,
    models: app.models,
    access: app.access,
    actors: app.actors,
    nodeRefs: createPlaceNames(app.models),
    notifier: app.notifier,
    audit: app.audit,
    wechat: app.wechat,
    moderation: app.moderation,
    now: () => app.clock.now(),
  });
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/nodes/:id/invites',
    {
      schema: {
        tags: ['join'],
        summary: 'Create an invite code for a unit (captains, staff)',
        ...secured,
        params: IdParams,
        body: CreateInviteBody,
        response: { 201: InviteView, ...errorResponses },
      },
    },
    async function createInvite(request, reply) {
      return reply
        .status(201)
        .send(await join.createInvite(request.actor, request.params.id, request.body.ttlHours ?? 168));
    },
  );

  app.get(
    '/nodes/:id/invites',
    {
      schema: {
        tags: ['join'],
        summary: "A unit's recent invite codes",
        ...secured,
        params: IdParams,
        response: { 200: Type.Array(InviteView), ...errorResponses },
      },
    },
    async function listInvites(request) {
      return join.listInvites(request.actor, request.params.id);
    },
  );

  app.get(
    '/invites/:code',
    {
      schema: {
        tags: ['join'],
        summary: 'What an invite code is for: the unit and its rooms',
        ...secured,
        params: CodeParams,
        response: { 200: InvitePreview, ...errorResponses },
      },
    },
    async function previewInvite(request) {
      return join.previewInvite(request.params.code);
    },
  );

  app.get(
    '/invites/:code/wxacode',
    {
      schema: {
        tags: ['join'],
        summary: 'The invite as a WeChat mini-program code (captains, staff), base64',
        ...secured,
        params: CodeParams,
        response: {
          200: Type.Object({ contentType: Type.String(), data: Type.String({ contentEncoding: 'base64' }) }),
          ...errorResponses,
        },
      },
    },
    async function inviteQrCode(request) {
      return join.inviteQrCode(request.actor, request.params.code.toUpperCase());
    },
  );

  app.delete(
    '/invites/:code',
    {
      schema: {
        tags: ['join'],
        summary: 'Revoke an invite code',
        ...secured,
        params: CodeParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function revokeInvite(request, reply) {
      await join.revokeInvite(request.actor, request.params.code.toUpperCase());
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/join-requests',
    {
      schema: {
        tags: ['join'],
        summary: 'Ask to join a household with an invite code (repeating it returns the pending request)',
        ...secured,
        body: JoinBody,
        response: { 200: JoinRequestView, 201: JoinRequestView, ...errorResponses },
      },
    },
    async function requestToJoin(request, reply) {
      const { created, request: view } = await join.requestToJoin(request.actor, request.body);
      return reply.status(created ? 201 : 200).send(view);
    },
  );

  app.get(
    '/join-requests',
    {
      schema: {
        tags: ['join'],
        summary: "The caller's own requests, or those they may review",
        ...secured,
        querystring: JoinListQuery,
        response: { 200: Type.Array(JoinRequestView), ...errorResponses },
      },
    },
    async function listJoinRequests(request) {
      return join.list(
        request.actor,
        request.query.view ?? 'mine',
        request.query.status as JoinRequest['status'] | undefined,
      );
    },
  );

  app.post(
    '/join-requests/:id/approve',
    {
      schema: {
        tags: ['join'],
        summary: 'Approve a join request (unit/building captain, staff)',
        ...secured,
        params: IdParams,
        response: { 200: JoinRequestView, ...errorResponses },
      },
    },
    async function approve(request) {
      return join.approve(request.actor, request.params.id);
    },
  );

  app.post(
    '/join-requests/:id/reject',
    {
      schema: {
        tags: ['join'],
        summary: 'Reject a join request with a reason',
        ...secured,
        params: IdParams,
        body: RejectBody,
        response: { 200: JoinRequestView, ...errorResponses },
      },
    },
    async function reject(request) {
      return join.reject(request.actor, request.params.id, request.body.reason.trim());
    },
  );

  app.post(
    '/join-requests/:id/cancel',
    {
      schema: {
        tags: ['join'],
        summary: 'Withdraw your own pending request',
        ...secured,
        params: IdParams,
        response: { 200: JoinRequestView, ...errorResponses },
      },
    },
    async function cancel(request) {
      return join.cancel(request.actor, request.params.id);
    },
  );
};
