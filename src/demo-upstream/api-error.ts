/**
 * The one error type of the demo upstream's entity API. Its message is written for a person
 * and goes on the wire as `{error:{code, message}}`; anything else thrown becomes a generic 500.
 */

export type ApiErrorCode = 'unauthorized' | 'forbidden' | 'not_found' | 'invalid_request' | 'conflict';

const STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status ?? STATUS[code];
  }
}

export const invalidRequest = (message: string): ApiError => new ApiError('invalid_request', message);
export const notFound = (message: string): ApiError => new ApiError('not_found', message);
export const forbidden = (message: string): ApiError => new ApiError('forbidden', message);
export const conflict = (message: string): ApiError => new ApiError('conflict', message);
