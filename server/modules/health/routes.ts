import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import pkg from '../../../package.json';
import { AppInfoResponse, HealthResponse } from '../../../shared/schemas/common';
import { errorResponses } from '../../http';

/** Liveness and database health for load balancers and `npm start` users. */
export const healthRoutes: FastifyPluginAsyncTypebox = async function healthRoutes(app) {
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['meta'],
        summary: 'Service and database health',
        response: { 200: HealthResponse, 503: HealthResponse, ...errorResponses },
      },
    },
    async function health(_request, reply) {
      const healthy = await app.db.isHealthy();
      return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', db: app.db.kind });
    },
  );
};

/** Public facts about the running service, shown by the mini-program's home page. */
export const appInfoRoutes: FastifyPluginAsyncTypebox = async function appInfoRoutes(app) {
  app.get(
    '/app-info',
    {
      schema: {
        tags: ['meta'],
        summary: 'Service name and version',
        response: { 200: AppInfoResponse, ...errorResponses },
      },
    },
    async function appInfo() {
      return { name: '邻里', version: pkg.version, serverTime: new Date().toISOString() };
    },
  );
};
