import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { DbKind } from '../shared/schemas/common';
import type { Config } from './config';
import { appInfoRoutes, healthRoutes } from './modules/health/routes';
import database from './plugins/database';
import docs from './plugins/docs';
import errorHandler from './plugins/error-handler';
import h5, { inlineScriptHashes } from './plugins/h5';
import security from './plugins/security';

export interface AppOptions {
  config: Config;
  /** Where the database is: a real MongoDB or the embedded engine started by the caller. */
  mongo: { uri: string; kind: DbKind; dbName?: string };
  /** Folder of the H5 build; defaults to dist/h5 in the repository. */
  h5Root?: string;
  logger?: FastifyServerOptions['logger'];
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** Builds the service without listening: `server/main.ts` listens, tests call `inject`. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    requestIdLogLabel: 'reqId',
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
    rateLimitPerMinute: opts.config.rateLimitPerMinute,
    inlineScriptHashes: inlineScriptHashes(h5Root),
  });
  await app.register(errorHandler);
  await app.register(docs);
  await app.register(database, opts.mongo);

  await app.register(healthRoutes);
  await app.register(
    async function api(api) {
      await api.register(appInfoRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(h5, { root: h5Root });

  return app;
}
