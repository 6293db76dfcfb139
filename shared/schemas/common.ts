import { Type, type Static } from '@sinclair/typebox';

/** The one error body every route answers with on 4xx and 5xx. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  code: Type.String({ description: 'Stable machine-readable code, see shared/errors.ts' }),
  message: Type.String(),
  reqId: Type.String(),
  details: Type.Optional(
    Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
      description: 'Per-field problems, for validation errors',
    }),
  ),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const DbKind = Type.Union([Type.Literal('embedded'), Type.Literal('mongodb')]);
export type DbKind = Static<typeof DbKind>;

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  db: DbKind,
});
export type HealthResponse = Static<typeof HealthResponse>;

export const AppInfoResponse = Type.Object({
  name: Type.String(),
  version: Type.String(),
  serverTime: Type.String({ format: 'date-time' }),
});
export type AppInfoResponse = Static<typeof AppInfoResponse>;
