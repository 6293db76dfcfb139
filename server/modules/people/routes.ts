import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode } from '../../../shared/errors';
import { normalisePhone } from '../../../shared/masking';
import { Me, UpdateMeBody } from '../../../shared/schemas/people';
import { BadRequestError } from '../../errors';
import { errorResponses } from '../../http';
import { ContentRiskyError } from '../moderation/service';
import { memoOf } from '../roles/actor-cache';
import { createPeopleService } from './service';

/** GET /me, PATCH /me. */
export const peopleRoutes: FastifyPluginAsyncTypebox = async function peopleRoutes(app) {
  const people = createPeopleService({ models: app.models });

  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['people'],
        summary: 'The caller: profile, roles, households',
        security: [{ bearer: [] }],
        response: { 200: Me, ...errorResponses },
      },
    },
    async function getMe(request) {
      return memoOf(request.actor, 'me', () => people.me(request.actor));
    },
  );

  app.patch(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['people'],
        summary: 'Change display name or phone',
        security: [{ bearer: [] }],
        body: UpdateMeBody,
        response: { 200: Me, ...errorResponses },
      },
    },
    async function updateMe(request) {
      const { displayName, phone } = request.body;
      const normalised = phone === undefined ? undefined : normalisePhone(phone);
      if (phone !== undefined && !normalised) {
        throw new BadRequestError('Not a mainland mobile number', ErrorCode.VALIDATION_FAILED, [
          { path: 'body/phone', message: 'must be a mainland mobile number' },
        ]);
      }
      if (displayName) {
        // A nickname is public in every community: it must pass WeChat's check outright (scene 1, profile).
        const { verdict } = await app.moderation.screenText(request.actor, 1, { nickname: displayName }, null);
        if (verdict !== 'pass') throw new ContentRiskyError();
      }
      await people.update(request.actor, {
        ...(displayName ? { displayName: displayName.trim() } : {}),
        ...(normalised ? { phone: normalised } : {}),
      });
      // The name travels with the cached actor (it signs what the person posts), and with the household members'
      // own GET /me; the phone only with the person's.
      await app.actors.changed([
        request.actor.userId,
        ...(displayName ? await people.householdMates(request.actor.userId) : []),
      ]);
      return people.me(request.actor);
    },
  );
};
