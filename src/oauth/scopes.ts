/** The scopes of Gatehouse: mcp:read lists tools and calls read-only ones; mcp:write allows every tool. */
export const READ_SCOPE = 'mcp:read';
export const WRITE_SCOPE = 'mcp:write';
export const SUPPORTED_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;
export const DEFAULT_SCOPE = SUPPORTED_SCOPES.join(' ');

/**
 * Requested scopes ∩ supported. Unknown scopes are ignored rather than refused (RFC 6749 §3.3 lets
 * the server narrow a request) because several clients ask for scopes of their own; a request that
 * names none of ours gets the default. The token response states what was granted.
 */
export function parseRequestedScopes(scope: string | undefined): string[] {
  const requested = new Set((scope ?? '').split(' ').filter(Boolean));
  const granted = SUPPORTED_SCOPES.filter((known) => requested.has(known));
  if (granted.length === 0) return [...SUPPORTED_SCOPES];
  // Write implies read: a write-only token could call tools it cannot list.
  if (granted.includes(WRITE_SCOPE) && !granted.includes(READ_SCOPE)) granted.unshift(READ_SCOPE);
  return granted;
}
