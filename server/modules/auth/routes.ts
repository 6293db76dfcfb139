import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LoginBody, RefreshBody, Session } from '../../../shared/schemas/people';
import { errorResponses } from '../../http';
import { createPeopleService } from '../people/service';
import { createAuthService, type IssuedTokens } from './service';

/** POST /auth/login, /auth/refresh, /auth/logout; DELETE /auth/sessions (logout everywhere). */
export const authRoutes: FastifyPluginAsyncTypebox = async function authRoutes(app) {
  const auth = createAuthService({
    models: app.models,
    wechat: app.wechat,
    signAccessToken: (payload) => app.jwt.sign(payload),
    accessTokenSeconds: app.accessTokenSeconds,
    actors: app.actors,
  });
  const people = createPeopleService({ models: app.models });

  async function session(tokens: IssuedTokens) {
    const user = await app.models.User.findById(tokens.userId, { displayName: 1 }).lean();
    const actor = await app.access.loadActor(user!, tokens.sessionId);
    const { accessToken, expiresIn, refreshToken, refreshExpiresAt } = tokens;
    return { accessToken, expiresIn, refreshToken, refreshExpiresAt, me: await people.me(actor) };
  }

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with a wx.login code',
        body: LoginBody,
        response: { 200: Session, ...errorResponses },
      },
    },
    async function login(request) {
      return session(await auth.login(request.body.code));
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for new tokens (the old one stops working)',
        body: RefreshBody,
        response: { 200: Session, ...errorResponses },
      },
    },
    async function refresh(request) {
      return session(await auth.refresh(request.body.refreshToken));
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of this refresh token',
        body: RefreshBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function logout(request, reply) {
      await auth.logout(request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/auth/sessions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'End every session of the caller (logout everywhere)',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function logoutEverywhere(request, reply) {
      await auth.logoutEverywhere(String(request.actor.userId));
      return reply.status(204).send(null);
    },
  );
};
