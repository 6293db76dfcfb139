import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface DocsOptions {
  /** Serve the UI at /docs and the JSON at /docs/json; the document itself (`app.swagger()`) is always built. */
  serve: boolean;
}

/** OpenAPI document built from the routes' schemas: UI at /docs, JSON at /docs/json when served. */
export default fp<DocsOptions>(
  async function docs(app: FastifyInstance, opts: DocsOptions) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'Linli 邻里 API', version: '1.0.0', description: 'Community participation service' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      },
    });
    if (opts.serve) await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'docs' },
);
