import { ErrorResponse } from '../shared/schemas/common';

/** Every route declares these next to its success schemas, so the error body is documented and serialised alike. */
export const errorResponses = { '4xx': ErrorResponse, '5xx': ErrorResponse } as const;
