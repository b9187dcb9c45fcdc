/**
 * Upstream bodies as JSON. Apart from the HTTP client so a result worker can use it without loading
 * undici.
 */
import { UpstreamUnavailableError } from './errors.js';
import { parseJsonBytes } from './parse-json-bytes.js';

export interface UpstreamResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** A response as received: the body's bytes, not decoded. */
export interface RawUpstreamResponse {
  status: number;
  bytes: Buffer;
}

/** A raw response's body as JSON: undefined when empty, or when not JSON on an error status. */
export function decodeJson({ status, bytes }: { status: number; bytes: Uint8Array }): UpstreamResponse {
  try {
    return { status, body: parseJsonBytes(bytes) };
  } catch {
    // A non-JSON error page (a proxy's 502) still tells us the status; a non-JSON success does not.
    // No cause: a JSON SyntaxError quotes the body, which may hold personal data.
    if (status >= 400) return { status, body: undefined };
    throw new UpstreamUnavailableError({ status });
  }
}
