import { OAuthError } from '../http/oauth-error.js';

export interface InspectedParams<Name extends string> {
  /** Each parameter given once; a repeated one is undefined here and listed in `repeated`. */
  params: Record<Name, string | undefined>;
  repeated: Name[];
}

/**
 * Reads single-valued OAuth parameters and lists the ones given more than once, for an endpoint that
 * decides afterwards where to answer them (/authorize redirects only once the client is known).
 */
export function inspectParams<Name extends string>(source: unknown, names: readonly Name[]): InspectedParams<Name> {
  const input = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const params = {} as Record<Name, string | undefined>;
  const repeated: Name[] = [];
  for (const name of names) {
    const value = input[name];
    if (typeof value === 'string' && value !== '') params[name] = value;
    else {
      params[name] = undefined;
      if (value !== undefined && value !== '') repeated.push(name);
    }
  }
  return { params, repeated };
}

/** Reads single-valued OAuth parameters; a repeated parameter is an error (RFC 6749 §3.1, §3.2). */
export function readParams(source: unknown, names: readonly string[]): Record<string, string | undefined> {
  const { params, repeated } = inspectParams<string>(source, names);
  if (repeated.length > 0) throw repeatedParameter(repeated[0]!);
  return params;
}

export function repeatedParameter(name: string): OAuthError {
  return new OAuthError('invalid_request', `The ${name} parameter must be given once.`);
}

/** RFC 8707: the resource must be this server's MCP endpoint (its origin is accepted too). */
export function isOurResource(resource: string, urls: { issuer: string; resourceUrl: string }): boolean {
  const trimmed = resource.replace(/\/$/, '');
  return trimmed === urls.resourceUrl || trimmed === urls.issuer;
}
