/**
 * Gives back an upstream token Gatehouse will not use again, off the response path. A failure only
 * costs a token that expires on its own, so it is logged (never the token) and left.
 */
import type { Logger } from '../log.js';
import type { Upstream } from './types.js';

export function revokeInBackground(upstream: Upstream, token: string, log: Logger, context: Record<string, string>): void {
  upstream.revoke(token).catch((error: unknown) => log.warn({ err: error, ...context }, 'upstream token not revoked; it expires on its own'));
}
