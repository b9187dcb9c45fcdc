/**
 * Redirect URIs: what may be registered and how a requested URI matches a registered one.
 * Exact string matching (RFC 9700 §4.1.3), except that a loopback http URI matches on any port
 * (RFC 8252 §7.3), because native clients listen on an ephemeral port.
 */
import { isLoopbackHost } from '../loopback.js';

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'ws:', 'wss:', 'ftp:', 'mailto:', 'tel:']);
const SCHEME = /^[a-z][a-z0-9+.-]*:$/;

/** Returns a reason when the URI may not be registered, undefined when it may. */
export function checkRedirectUri(text: string): string | undefined {
  if (text.length > 2000) return 'is too long';
  if (!URL.canParse(text)) return 'is not an absolute URI';
  if (text.includes('#')) return 'must not contain a fragment';
  const url = new URL(text);
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : 'must use https unless it is a loopback address';
  if (FORBIDDEN_SCHEMES.has(url.protocol) || !SCHEME.test(url.protocol)) return `uses a scheme that cannot be a redirect (${url.protocol})`;
  // Private-use schemes of native apps (RFC 8252 §7.1), e.g. cursor:// or vscode://.
  return undefined;
}

export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  if (!URL.canParse(registered) || !URL.canParse(requested) || requested.includes('#')) return false;
  const a = new URL(registered);
  const b = new URL(requested);
  return (
    a.protocol === 'http:' &&
    b.protocol === 'http:' &&
    isLoopbackHost(a.hostname) &&
    a.hostname === b.hostname &&
    a.pathname === b.pathname &&
    a.search === b.search &&
    !b.username &&
    !b.password
  );
}

/** What the sign-in page shows as "you will be sent back to". */
export function redirectHost(uri: string): string {
  const url = new URL(uri);
  return url.host || `${url.protocol}//`;
}
