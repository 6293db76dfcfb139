import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorCode } from '../../../shared/errors';
import { PRIVACY_POLICY_VERSIONS, privacyPolicy } from '../../../shared/privacy';
import { IdParams } from '../../../shared/schemas/ids';
import {
  ConsentList,
  ConsentView,
  DeletionBody,
  DeletionResult,
  ExportView,
  PrivacyAcceptance,
  PrivacyAcceptanceBody,
  PrivacyPolicyView,
} from '../../../shared/schemas/privacy';
import { AppError } from '../../errors';
import { errorResponses } from '../../http';

const tags = ['privacy'];
const security = [{ bearer: [] }];

/**
 * The resident's rights over their data: the policy and its acceptance, 我的授权 (consents), export, deletion.
 * Every route but the policy itself acts on the caller's own data only (someone else's id is 404).
 */
export const privacyRoutes: FastifyPluginAsyncTypebox = async function privacyRoutes(app) {
  const { consents, exports, deletion } = app.privacy;

  app.get(
    '/privacy-policy',
    {
      schema: {
        tags,
        summary: 'The privacy policy in force, with the configured report retention',
        response: { 200: PrivacyPolicyView, ...errorResponses },
      },
    },
    async function policy() {
      return { ...privacyPolicy(app.privacy.retentionYears), retentionYears: app.privacy.retentionYears };
    },
  );

  app.post(
    '/me/privacy-acceptance',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Record that the caller accepted this version of the privacy policy',
        security,
        body: PrivacyAcceptanceBody,
        response: { 200: PrivacyAcceptance, ...errorResponses },
      },
    },
    async function accept(request) {
      const { version } = request.body;
      if (!PRIVACY_POLICY_VERSIONS.includes(version))
        throw new AppError(422, ErrorCode.POLICY_VERSION_UNKNOWN, 'Not the privacy policy version in force');
      const acceptedAt = app.clock.now();
      await app.models.PolicyAcceptance.create({ userId: request.actor.userId, version, acceptedAt });
      await app.actors.changed([request.actor.userId]); // GET /me shows the acceptance
      return { version, acceptedAt: acceptedAt.toISOString() };
    },
  );

  app.get(
    '/me/consents',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The separate consents the caller gave (我的授权), newest first',
        security,
        response: { 200: ConsentList, ...errorResponses },
      },
    },
    async function listConsents(request) {
      return consents.list(request.actor);
    },
  );

  app.post(
    '/me/consents/:id/revoke',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Revoke one consent: the item stops showing the name in every later view (idempotent)',
        security,
        params: IdParams,
        response: { 200: ConsentView, ...errorResponses },
      },
    },
    async function revokeConsent(request) {
      return consents.revoke(request.actor, request.params.id);
    },
  );

  app.post(
    '/me/exports',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Ask for an archive of one’s data (PIPL Art. 45); built within minutes',
        security,
        response: { 200: ExportView, ...errorResponses },
      },
    },
    async function requestExport(request) {
      return exports.request(request.actor);
    },
  );

  app.get(
    '/me/exports/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The state of one of the caller’s exports',
        security,
        params: IdParams,
        response: { 200: ExportView, ...errorResponses },
      },
    },
    async function getExport(request) {
      return exports.get(request.actor, request.params.id);
    },
  );

  app.get(
    '/me/exports/:id/download',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The archive (application/zip) while it is ready and not expired (24 h)',
        security,
        params: IdParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async function downloadExport(request, reply) {
      const { body, filename } = await exports.download(request.actor, request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .type('application/zip')
        .send(body);
    },
  );

  app.post(
    '/me/deletion',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Close the account (PIPL Art. 47) after typing 注销账号; the session ends at once',
        security,
        body: DeletionBody,
        response: { 200: DeletionResult, ...errorResponses },
      },
    },
    async function deleteAccount(request) {
      await deletion.deleteAccount(request.actor.userId);
      return { deleted: true as const };
    },
  );
};
