/**
 * Local errors of the upstream client: a stable `code`, the HTTP `status` when there was one,
 * and a `cause`. The `message` is a fixed, safe sentence (no upstream body text, no tokens).
 * `upstreamMessage` is what the upstream said for a person; it MAY contain personal data, so it
 * is non-enumerable (loggers and JSON.stringify skip it) and must pass the PII filter before
 * anyone sees it. The boundary maps these to tool failures or OAuth errors.
 */

export type UpstreamErrorCode =
  | 'invalid_credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'unavailable'
  | 'timeout';

export interface UpstreamErrorDetails {
  status?: number;
  /** The person-readable message sent by the upstream. May contain personal data: never log it. */
  upstreamMessage?: string;
  /** The upstream's own error code, e.g. `conflict`. */
  upstreamCode?: string;
  cause?: unknown;
}

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly status?: number;
  readonly upstreamCode?: string;
  declare readonly upstreamMessage?: string;

  constructor(code: UpstreamErrorCode, message: string, details: UpstreamErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'UpstreamError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.upstreamCode !== undefined) this.upstreamCode = details.upstreamCode;
    Object.defineProperty(this, 'upstreamMessage', { value: details.upstreamMessage, enumerable: false, writable: false });
  }
}

export class InvalidCredentialsError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('invalid_credentials', 'The upstream refused the e-mail address or password.', details);
    this.name = 'InvalidCredentialsError';
  }
}

export class UpstreamUnauthorizedError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('unauthorized', 'The upstream no longer accepts the access token.', details);
    this.name = 'UpstreamUnauthorizedError';
  }
}

export class UpstreamForbiddenError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('forbidden', 'The upstream refused the request for this account.', details);
    this.name = 'UpstreamForbiddenError';
  }
}

export class UpstreamNotFoundError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('not_found', 'The upstream has no such record or entity type.', details);
    this.name = 'UpstreamNotFoundError';
  }
}

export class UpstreamInvalidRequestError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('invalid_request', 'The upstream rejected the request as invalid.', details);
    this.name = 'UpstreamInvalidRequestError';
  }
}

export class UpstreamUnavailableError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('unavailable', 'The upstream is unavailable or answered something unexpected.', details);
    this.name = 'UpstreamUnavailableError';
  }
}

export class UpstreamTimeoutError extends UpstreamError {
  constructor(details?: UpstreamErrorDetails) {
    super('timeout', 'The upstream did not answer in time.', details);
    this.name = 'UpstreamTimeoutError';
  }
}
