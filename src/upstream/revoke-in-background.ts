/**
 * Gives back an upstream token Gatehouse will not use again, off the response path. A failure only
 * costs a token that expires on its own, so it is logged (never the token) and left.
 */
import type { Upstream } from './types.js';

/** The logger's one method used here: this module stays free of logging (test/unit/upstream/boundaries). */
interface Warns {
  warn(fields: object, message: string): void;
}

export function revokeInBackground(upstream: Upstream, token: string, log: Warns, context: Record<string, string>): void {
  upstream.revoke(token).catch((error: unknown) => log.warn({ err: error, ...context }, 'upstream token not revoked; it expires on its own'));
}
