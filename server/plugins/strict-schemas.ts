import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../shared/errors';
import { BadRequestError } from '../errors';

type JsonSchema = Record<string, unknown>;

/** Keywords whose value is one subschema, a list of them, or a map of them. */
const ONE = ['items', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const LIST = ['anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', 'definitions', '$defs'];

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `schema` in which every object schema with declared `properties` and no `additionalProperties` of
 * its own refuses properties it does not declare. A copy, because TypeBox schemas are shared between routes and
 * with response schemas (which must stay as they are). Object spread keeps TypeBox's symbol keys.
 * `allOf` branches are left alone: each branch would refuse the others' properties under draft-07.
 */
export function strictSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const copy: JsonSchema = { ...schema };
  for (const key of ONE) if (isSchema(copy[key])) copy[key] = strictSchema(copy[key]);
  for (const key of LIST)
    if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map((branch) => strictSchema(branch));
  for (const key of MAP)
    if (isSchema(copy[key]))
      copy[key] = Object.fromEntries(Object.entries(copy[key]).map(([name, sub]) => [name, strictSchema(sub)]));
  if (isSchema(copy.properties) && !('additionalProperties' in copy) && !('patternProperties' in copy))
    copy.additionalProperties = false;
  return copy;
}

/** Names of the values of a query or path that are numbers but not finite ones. */
function infinite(values: unknown, context: string): { path: string; message: string }[] {
  if (!values || typeof values !== 'object') return [];
  return Object.entries(values)
    .filter(([, v]) => [v].flat().some((one) => typeof one === 'number' && !Number.isFinite(one)))
    .map(([name]) => ({ path: `${context}/${name}`, message: 'must be a finite number' }));
}

/**
 * Every route's body, query and path parameters refuse properties their schema does not declare (400
 * VALIDATION_FAILED), so a handler can never pass a client's extra field (`communityId`, `_id`, `$where`…) on to
 * the database. Done here once for every route, including routes added later; a schema that must take extras
 * (Open311's form posts, WeChat's pushes) says `additionalProperties: true`. Headers stay open: every request
 * carries headers no route declares. Register before the docs so the OpenAPI document shows the strict schemas.
 * Also: numbers in queries and paths must be finite.
 */
export default fp(
  async function strictSchemas(app: FastifyInstance) {
    // ajv coerces the text `Infinity` or `1e400` of a query to Infinity and then skips `minimum`/`maximum` (they
    // only test finite numbers), so a number schema's bounds would not hold for queries and path parameters.
    app.addHook('preHandler', async function finiteNumbers(request) {
      const problems = [...infinite(request.query, 'querystring'), ...infinite(request.params, 'params')];
      if (problems.length > 0)
        throw new BadRequestError('A number is out of range', ErrorCode.VALIDATION_FAILED, problems);
    });

    app.addHook('onRoute', function strictRoute(route: RouteOptions) {
      if (!route.schema) return;
      const schema: Record<string, unknown> = { ...route.schema };
      // `query` is Fastify's alias of `querystring`.
      for (const part of ['body', 'querystring', 'query', 'params'])
        if (schema[part]) schema[part] = strictSchema(schema[part]);
      route.schema = schema;
    });
  },
  { name: 'strict-schemas' },
);
