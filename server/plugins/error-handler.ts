import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../shared/errors';
import type { ErrorResponse } from '../../shared/schemas/common';
import { AppError } from '../errors';

/** Fastify's own client-error codes, mapped to ours. */
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.BAD_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.BAD_REQUEST,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.BAD_REQUEST,
};

/** Plugins' own client errors (multipart, static…) by status when their code is not listed above. */
const byStatus: Record<number, string> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  406: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

function toBody(request: FastifyRequest, error: FastifyError | AppError | Error): ErrorResponse {
  if (error instanceof AppError) {
    return {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      reqId: request.id,
      details: error.details,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((issue) => ({
      path: `${fastifyError.validationContext ?? ''}${issue.instancePath}`,
      message: issue.message ?? 'is invalid',
    }));
    return { statusCode: 400, code: ErrorCode.VALIDATION_FAILED, message: error.message, reqId: request.id, details };
  }
  // A unique index refused a write no service check caught first (e.g. two concurrent creates): a conflict.
  if ((error as { code?: unknown }).code === 11000) {
    return { statusCode: 409, code: ErrorCode.CONFLICT, message: 'That already exists', reqId: request.id };
  }
  if (error.name === 'CastError') {
    return {
      statusCode: 400,
      code: ErrorCode.VALIDATION_FAILED,
      message: 'A value has the wrong form',
      reqId: request.id,
    };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) {
    return {
      statusCode: 429,
      code: ErrorCode.RATE_LIMITED,
      message: 'Too many requests, slow down',
      reqId: request.id,
    };
  }
  if (status >= 400 && status < 500) {
    const code = fastifyCodes[fastifyError.code] ?? byStatus[status] ?? ErrorCode.BAD_REQUEST;
    return { statusCode: status, code, message: error.message, reqId: request.id };
  }
  // Anything else is our fault: the body never carries internals, the log does.
  return { statusCode: 500, code: ErrorCode.INTERNAL, message: 'Internal server error', reqId: request.id };
}

/** One error shape `{ statusCode, code, message, reqId }` for every failure, including unknown routes. */
export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler(function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const body = toBody(request, error);
      if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: body.code, err: error.message }, 'request rejected');
      return reply.status(body.statusCode).send(body);
    });

    app.setNotFoundHandler(
      { preHandler: app.rateLimit ? app.rateLimit({ max: 60, timeWindow: '1 minute' }) : undefined },
      function routeNotFound(request: FastifyRequest, reply: FastifyReply) {
        const body: ErrorResponse = {
          statusCode: 404,
          code: ErrorCode.ROUTE_NOT_FOUND,
          message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
          reqId: request.id,
        };
        return reply.status(404).send(body);
      },
    );
  },
  { name: 'error-handler', dependencies: ['security'] },
);
