import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdParams } from '../../../shared/schemas/ids';
import { AppError } from '../../errors';
import { errorResponses } from '../../http';
import { createPlaceNames } from '../places/service';
import { createApiClients } from './clients';
import { formatOfUrl, formFields, sendDocument } from './format';
import {
  ApiKeyView,
  CreatedRequest,
  Discovery,
  FormatParams,
  georeport,
  IdempotencyHeaders,
  IssuedKey,
  IssueKeyBody,
  JurisdictionQuery,
  KeysQuery,
  open311ErrorResponses,
  PostRequestBody,
  RequestParams,
  RequestsQuery,
  Service,
  ServiceDefinition,
  ServiceParams,
  ServiceRequest,
  TokenAnswer,
  TokenParams,
} from './schemas';
import { createOpen311Service } from './service';

const tags = ['open311'];

/** The API clients on this app's connection; the Open311 API and the staff key routes each need them. */
function apiClients(app: FastifyInstance) {
  return createApiClients({
    connection: app.db.connection,
    model: app.models.Open311Client,
    models: app.models,
    access: app.access,
    audit: app.audit,
    now: () => app.clock.now(),
  });
}

export interface Open311Options {
  publicBaseUrl: string;
  /** Service Discovery tells clients whether filings are acted upon ("production") or not ("test"). */
  production: boolean;
}

/**
 * A failure as GeoReport v2 "Errors" has it: 403 for the api_key, 404 for what does not exist, 400 for the
 * rest. `fault` marks our own failures, the spec's "general service error" the client reports to us.
 */
function describe(error: FastifyError | AppError): { status: number; description: string; fault?: true } {
  if (error instanceof AppError) {
    const status = error.statusCode === 401 || error.statusCode === 403 ? 403 : error.statusCode === 404 ? 404 : 400;
    return { status, description: error.message };
  }
  const status = error.statusCode ?? 500;
  // Rate limiting keeps its own status: clients must slow down, not fix their request.
  if (status === 429) return { status, description: 'Too many requests, slow down' };
  if (status < 500) return { status: 400, description: error.message };
  return { status: 400, description: 'General service error', fault: true };
}

/**
 * Open311 GeoReport v2 under `/open311`: Service Discovery, and the API at `/v2`. Reading is public;
 * filing needs an API key. Failures answer in the spec's error format, not Linli's usual one.
 */
export const open311Routes: FastifyPluginAsyncTypebox<Open311Options> = async function open311Routes(app, opts) {
  const nodeRefs = createPlaceNames(app.models);
  const service = createOpen311Service({
    models: app.models,
    categories: app.reports.categories,
    reports: app.reports.service,
    clients: apiClients(app),
    media: app.media,
    nodeRefs,
    now: () => app.clock.now(),
    publicBaseUrl: opts.publicBaseUrl,
    endpointUrl: `${opts.publicBaseUrl}${app.prefix}/v2`,
    production: opts.production,
  });

  // "POST Service Request: Content-Type: application/x-www-form-urlencoded; charset=utf-8".
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    function parseForm(_request, body, done) {
      done(null, formFields(body as string));
    },
  );

  app.setErrorHandler(function open311Error(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const { status, description, fault } = describe(error);
    if (fault) request.log.error({ err: error }, 'open311 request failed');
    else request.log.info({ status, err: error.message }, 'open311 request rejected');
    // The request id lets a client that reports a failure to us point at it in our log.
    const text = fault ? `${description}; please report request ${request.id}` : description;
    return sendDocument(reply.status(status), formatOfUrl(request.url), 'errors', [
      { code: status, description: text },
    ]);
  });

  // Unknown paths answer as GeoReport errors too. A route rather than a not-found handler: the H5 hosting's
  // wildcard route would otherwise answer every GET under /open311 with Linli's own 404.
  app.all('/*', { schema: { hide: true } }, async function open311NotFound(request, reply) {
    const description = `No GeoReport v2 resource at ${request.method} ${request.url.split('?')[0]}`;
    return sendDocument(reply.status(404), formatOfUrl(request.url), 'errors', [{ code: 404, description }]);
  });

  app.get(
    '/discovery.:format',
    {
      schema: {
        tags,
        summary: 'Open311 Service Discovery: the GeoReport v2 endpoint, its formats, how to get a key',
        params: FormatParams,
        response: { 200: georeport(Discovery), ...open311ErrorResponses },
      },
    },
    async function discovery(request, reply) {
      return sendDocument(reply, request.params.format, 'discovery', await service.discovery());
    },
  );

  app.get(
    '/v2/services.:format',
    {
      schema: {
        tags,
        summary: "GET Service List: the community's report categories",
        params: FormatParams,
        querystring: JurisdictionQuery,
        response: { 200: georeport(Type.Array(Service)), ...open311ErrorResponses },
      },
    },
    async function listServices(request, reply) {
      return sendDocument(reply, request.params.format, 'services', await service.services(request.query));
    },
  );

  app.get(
    '/v2/services/:service_code.:format',
    {
      schema: {
        tags,
        summary: 'GET Service Definition: none of our services has attributes, so the list is empty',
        params: ServiceParams,
        querystring: JurisdictionQuery,
        response: { 200: georeport(ServiceDefinition), ...open311ErrorResponses },
      },
    },
    async function serviceDefinition(request, reply) {
      const definition = await service.definition(request.query, request.params.service_code);
      return sendDocument(reply, request.params.format, 'service_definition', definition);
    },
  );

  app.get(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary: 'GET Service Requests: public reports, newest first, at most 90 days and 1000 at a time',
        params: FormatParams,
        querystring: RequestsQuery,
        response: { 200: georeport(Type.Array(ServiceRequest)), ...open311ErrorResponses },
      },
    },
    async function listRequests(request, reply) {
      return sendDocument(reply, request.params.format, 'service_requests', await service.requests(request.query));
    },
  );

  app.post(
    '/v2/requests.:format',
    {
      schema: {
        tags,
        summary: 'POST Service Request: file a report for an external system (needs its api_key)',
        consumes: ['application/x-www-form-urlencoded'],
        params: FormatParams,
        headers: IdempotencyHeaders,
        body: PostRequestBody,
        response: { 200: georeport(Type.Array(CreatedRequest)), ...open311ErrorResponses },
      },
    },
    async function createRequest(request, reply) {
      const created = await service.submit(request.body, request.headers['idempotency-key']);
      return sendDocument(reply, request.params.format, 'service_requests', created);
    },
  );

  app.get(
    '/v2/requests/:service_request_id.:format',
    {
      schema: {
        tags,
        summary: 'GET Service Request: one public report',
        params: RequestParams,
        querystring: JurisdictionQuery,
        response: { 200: georeport(Type.Array(ServiceRequest)), ...open311ErrorResponses },
      },
    },
    async function getRequest(request, reply) {
      const found = await service.request(request.query, request.params.service_request_id);
      return sendDocument(reply, request.params.format, 'service_requests', found);
    },
  );

  app.get(
    '/v2/tokens/:token.:format',
    {
      schema: {
        tags,
        summary: 'GET service_request_id from a token: our POST answers the id at once, which is also its token',
        params: TokenParams,
        querystring: JurisdictionQuery,
        response: { 200: georeport(Type.Array(TokenAnswer)), ...open311ErrorResponses },
      },
    },
    async function fromToken(request, reply) {
      const answer = await service.token(request.query, request.params.token);
      return sendDocument(reply, request.params.format, 'service_requests', answer);
    },
  );
};

const secured = { security: [{ bearer: [] }] };

/** Staff issue, list and revoke the API keys external systems file Open311 requests with. */
export const open311KeyRoutes: FastifyPluginAsyncTypebox = async function open311KeyRoutes(app) {
  const clients = apiClients(app);
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/open311/keys',
    {
      schema: {
        tags,
        summary: 'Issue an Open311 API key to an external system (community staff); the key is shown once',
        ...secured,
        body: IssueKeyBody,
        response: { 201: IssuedKey, ...errorResponses },
      },
    },
    async function issueKey(request, reply) {
      return reply.status(201).send(await clients.issue(request.actor, request.body.communityId, request.body.name));
    },
  );

  app.get(
    '/open311/keys',
    {
      schema: {
        tags,
        summary: "A community's Open311 API keys, newest first, without their secrets (community staff)",
        ...secured,
        querystring: KeysQuery,
        response: { 200: Type.Array(ApiKeyView), ...errorResponses },
      },
    },
    async function listKeys(request) {
      return clients.list(request.actor, request.query.communityId);
    },
  );

  app.delete(
    '/open311/keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an Open311 API key at once (community staff)',
        ...secured,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async function revokeKey(request, reply) {
      await clients.revoke(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
