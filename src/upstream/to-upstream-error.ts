/** Maps an upstream HTTP error answer to the client's error types (status first, body second). */
import {
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
  type UpstreamErrorDetails,
} from './errors.js';

const MAX_MESSAGE = 500;

/** Reads `{error:{code,message}}` (entity API) or `{error, error_description}` (OAuth). */
export function readErrorBody(body: unknown): { upstreamCode?: string; upstreamMessage?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, error_description: description, message } = body as Record<string, unknown>;
  const nested = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined;
  const code = nested ? nested.code : error;
  const text = nested ? nested.message : (description ?? message);
  return {
    ...(typeof code === 'string' ? { upstreamCode: code.slice(0, 100) } : {}),
    ...(typeof text === 'string' ? { upstreamMessage: text.slice(0, MAX_MESSAGE) } : {}),
  };
}

export function toUpstreamError(status: number, body: unknown): UpstreamError {
  const details: UpstreamErrorDetails = { status, ...readErrorBody(body) };
  if (status === 401) return new UpstreamUnauthorizedError(details);
  if (status === 403) return new UpstreamForbiddenError(details);
  if (status === 404) return new UpstreamNotFoundError(details);
  if (status === 408) return new UpstreamTimeoutError(details);
  if (status === 429 || status >= 500 || status < 400) return new UpstreamUnavailableError(details);
  return new UpstreamInvalidRequestError(details);
}
