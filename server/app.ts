import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { DbKind } from '../shared/schemas/common';
import type { Config } from './config';
import { appInfoRoutes, healthRoutes } from './modules/health/routes';
import { systemClock, type Clock } from './clock';
import { authRoutes } from './modules/auth/routes';
import { channelRoutes } from './modules/channels/routes';
import { demoRoutes } from './modules/demo/routes';
import { joinRoutes } from './modules/join/routes';
import { manageRoutes } from './modules/manage/routes';
import { mediaRoutes } from './modules/media/routes';
import { moderatedKinds } from './modules/moderation/kinds';
import { moderationRoutes } from './modules/moderation/routes';
import { notificationRoutes } from './modules/notifications/routes';
import { open311KeyRoutes, open311Routes } from './modules/open311/routes';
import { peopleRoutes } from './modules/people/routes';
import privacy from './modules/privacy/plugin';
import { privacyRoutes } from './modules/privacy/routes';
import { placesRoutes } from './modules/places/routes';
import reports from './modules/reports/plugin';
import deliberation from './modules/deliberation/plugin';
import { deliberationRoutes } from './modules/deliberation/routes';
import { reportRoutes } from './modules/reports/routes';
import { rolesRoutes } from './modules/roles/routes';
import volunteers from './modules/volunteers/plugin';
import { volunteerRoutes } from './modules/volunteers/routes';
import boards from './modules/boards/plugin';
import { boardRoutes } from './modules/boards/routes';
import wishes from './modules/wishes/plugin';
import { wishRoutes } from './modules/wishes/routes';
import { wechatPushRoutes } from './modules/wechat-push/routes';
import auth from './plugins/auth';
import database from './plugins/database';
import docs from './plugins/docs';
import errorHandler from './plugins/error-handler';
import h5, { inlineScriptHashes } from './plugins/h5';
import models from './plugins/models';
import platform from './plugins/platform';
import security from './plugins/security';
import strictSchemas from './plugins/strict-schemas';
import wechat from './plugins/wechat';

export interface AppOptions {
  config: Config;
  /** Where the database is: a real MongoDB or the embedded engine started by the caller. */
  mongo: { uri: string; kind: DbKind; dbName?: string };
  /** WeChat's server API; `standin: true` (the bundled local stand-in) also turns on demo login outside production. */
  wechat: { baseUrl: string; standin: boolean };
  /** Folder of the H5 build; defaults to dist/h5 in the repository. */
  h5Root?: string;
  logger?: FastifyServerOptions['logger'];
  /** The time source (tests pass a manual clock). */
  clock?: Clock;
  /** Poll for due jobs (default true); tests run them by hand with `app.jobs.runDue()`. */
  runJobs?: boolean;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** Builds the service without listening: `server/main.ts` listens, tests call `inject`. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For is believed only from the proxies configured: the rate limit counts by address.
    trustProxy: opts.config.trustProxy,
    // Fastify's default strips undeclared properties where a schema says `additionalProperties: false`; we refuse
    // them instead (plugins/strict-schemas.ts), so a client learns its field was not taken.
    ajv: { customOptions: { removeAdditional: false } },
    // Honour a caller's request id so a trace spans the mini-program, a proxy and us.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async function echoRequestId(request, reply) {
    reply.header('x-request-id', request.id);
  });

  const h5Root = opts.h5Root ?? resolve(__dirname, '../dist/h5');
  // External and cross-cutting plugins first, then the app's own, then routes.
  await app.register(security, {
    rateLimits: {
      perMinute: opts.config.rateLimitPerMinute,
      loginPerMinute: opts.config.rateLimitLoginPerMinute,
      uploadsPerMinute: opts.config.rateLimitUploadsPerMinute,
    },
    inlineScriptHashes: inlineScriptHashes(h5Root),
  });
  await app.register(errorHandler);
  await app.register(strictSchemas);
  await app.register(docs, { serve: opts.config.docsEnabled });
  await app.register(database, opts.mongo);
  await app.register(models);
  await app.register(wechat, {
    baseUrl: opts.wechat.baseUrl,
    appId: opts.config.wechatAppId,
    secret: opts.config.wechatSecret,
    envVersion: opts.config.wechatEnvVersion,
  });
  await app.register(auth, { jwtSecret: opts.config.jwtSecret, accessTokenSeconds: 15 * 60 });
  await app.register(platform, {
    clock: opts.clock ?? systemClock,
    dataDir: opts.config.dataDir,
    s3: opts.config.s3,
    signingSecret: opts.config.jwtSecret,
    publicBaseUrl: opts.config.publicBaseUrl,
    subscribeTemplatesPath: opts.config.subscribeTemplatesPath,
    runJobs: opts.runJobs ?? true,
  });

  await app.register(reports);
  await app.register(deliberation);
  await app.register(volunteers);
  await app.register(wishes);
  await app.register(boards);
  await app.register(privacy, { retentionYears: opts.config.reportRetentionYears });

  await app.register(healthRoutes);
  await app.register(
    async function api(api) {
      await api.register(appInfoRoutes);
      await api.register(authRoutes);
      await api.register(peopleRoutes);
      await api.register(placesRoutes);
      await api.register(rolesRoutes);
      await api.register(joinRoutes);
      await api.register(channelRoutes);
      await api.register(mediaRoutes);
      await api.register(moderationRoutes);
      await api.register(notificationRoutes);
      await api.register(reportRoutes);
      await api.register(deliberationRoutes);
      await api.register(volunteerRoutes);
      await api.register(wishRoutes);
      await api.register(boardRoutes);
      await api.register(privacyRoutes);
      await api.register(open311KeyRoutes);
      await api.register(manageRoutes);
      await api.register(wechatPushRoutes, { token: opts.config.wechatPushToken, kinds: moderatedKinds(app.models) });
      // Demo logins exist only for development and tests, never in production even with the stand-in.
      if (opts.wechat.standin && opts.config.env !== 'production')
        await api.register(demoRoutes, { wechatApiBase: opts.wechat.baseUrl });
    },
    { prefix: '/api' },
  );
  await app.register(open311Routes, {
    prefix: '/open311',
    publicBaseUrl: opts.config.publicBaseUrl,
    production: opts.config.env === 'production',
  });
  await app.register(h5, { root: h5Root });

  return app;
}
