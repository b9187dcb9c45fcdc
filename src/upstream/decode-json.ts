/**
 * Upstream bodies as JSON. Apart from the HTTP client so a result worker can use it without loading
 * undici.
 */
import { isAscii } from 'node:buffer';
import { UpstreamUnavailableError } from './errors.js';

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

const utf8 = new TextDecoder(); // drops a leading BOM, as JSON text may carry one

/** The body as text. ASCII (most JSON) is copied as it is, ≈ 10 times faster than decoding UTF-8. */
function textOf(bytes: Uint8Array): string {
  return isAscii(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : utf8.decode(bytes);
}

/** A raw response's body as JSON: undefined when empty, or when not JSON on an error status. */
export function decodeJson({ status, bytes }: { status: number; bytes: Uint8Array }): UpstreamResponse {
  const text = textOf(bytes);
  if (text === '') return { status, body: undefined };
  try {
    return { status, body: JSON.parse(text) as unknown };
  } catch {
    // A non-JSON error page (a proxy's 502) still tells us the status; a non-JSON success does not.
    // No cause: a JSON SyntaxError quotes the body, which may hold personal data.
    if (status >= 400) return { status, body: undefined };
    throw new UpstreamUnavailableError({ status });
  }
}
