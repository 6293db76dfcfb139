import { ErrorCode } from '../shared/errors';

/**
 * The service's error family. Services throw these; the error handler maps them to the one error body.
 * `code` is the stable machine-readable string clients rely on.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, code: string = ErrorCode.BAD_REQUEST, details?: { path: string; message: string }[]) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code: string = ErrorCode.UNAUTHORIZED) {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this here', code: string = ErrorCode.FORBIDDEN) {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', code: string = ErrorCode.NOT_FOUND) {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code: string = ErrorCode.CONFLICT) {
    super(409, code, message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, code: string = ErrorCode.SERVICE_UNAVAILABLE) {
    super(503, code, message);
  }
}
