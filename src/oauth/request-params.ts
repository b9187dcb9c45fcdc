import { OAuthError } from '../http/oauth-error.js';

/** Reads single-valued OAuth parameters; a repeated parameter is an error (RFC 6749 §3.1, §3.2). */
export function readParams(source: unknown, names: readonly string[]): Record<string, string | undefined> {
  const input = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const params: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = input[name];
    if (value === undefined || value === '') params[name] = undefined;
    else if (typeof value === 'string') params[name] = value;
    else throw new OAuthError('invalid_request', `The ${name} parameter must be given once.`);
  }
  return params;
}

/** RFC 8707: the resource must be this server's MCP endpoint (its origin is accepted too). */
export function isOurResource(resource: string, urls: { issuer: string; resourceUrl: string }): boolean {
  const trimmed = resource.replace(/\/$/, '');
  return trimmed === urls.resourceUrl || trimmed === urls.issuer;
}
