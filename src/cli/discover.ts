/**
 * Finds the authorization server of an MCP endpoint the way MCP clients do: the 401's
 * WWW-Authenticate names the protected resource metadata (RFC 9728 §5.1), which names the
 * authorization server, whose metadata (RFC 8414 §3) names the endpoints. It does not register,
 * authorize or cache anything.
 */
import { isLoopbackHost } from '../loopback.js';

export interface Discovered {
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string | undefined;
  scope: string | undefined;
  /** The server promises `iss` in every authorization response (RFC 9207 §3). */
  issInAuthorizationResponse: boolean;
}

export class CliError extends Error {
  override name = 'CliError';
}

/** Tokens and codes travel to these URLs: https only, except on the loopback interface. */
export function assertSafeUrl(text: string, what: string): URL {
  if (!URL.canParse(text)) throw new CliError(`${what} is not an absolute URL: ${text}`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new CliError(`${what} must use https (plain http only on localhost): ${text}`);
  }
  return url;
}

/** Reads one auth-param of a Bearer challenge, quoted or not. */
export function challengeParam(header: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s,])${name}="((?:[^"\\\\]|\\\\.)*)"|(?:^|[\\s,])${name}=([^\\s,"]+)`, 'i').exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** RFC 8414 §3.1 / RFC 9728 §3.1: the well-known segment goes between the origin and the path. */
export function wellKnownUrl(base: string, suffix: string): string {
  const url = new URL(base);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}`;
}

async function getJson(url: string, what: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new CliError(`${what} at ${url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

export async function discover(mcpUrl: string): Promise<Discovered> {
  const resourceUrl = assertSafeUrl(mcpUrl, 'The MCP URL');
  const probe = await fetch(resourceUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }),
  });
  await probe.body?.cancel();
  if (probe.status !== 401) throw new CliError(`${mcpUrl} did not ask for a token (HTTP ${probe.status}); is this the /mcp URL of a Gatehouse server?`);
  const challenge = probe.headers.get('www-authenticate') ?? '';
  const metadataUrl = challengeParam(challenge, 'resource_metadata') ?? wellKnownUrl(resourceUrl.href, 'oauth-protected-resource');

  const resourceMetadata = await getJson(assertSafeUrl(metadataUrl, 'The resource metadata URL').href, 'The protected resource metadata');
  const servers = resourceMetadata.authorization_servers;
  const issuer = Array.isArray(servers) ? text(servers[0]) : undefined;
  if (issuer === undefined) throw new CliError('The protected resource metadata names no authorization server.');
  assertSafeUrl(issuer, 'The authorization server');

  let metadata: Record<string, unknown>;
  try {
    metadata = await getJson(wellKnownUrl(issuer, 'oauth-authorization-server'), 'The authorization server metadata');
  } catch {
    metadata = await getJson(wellKnownUrl(issuer, 'openid-configuration'), 'The authorization server metadata');
  }
  if (metadata.issuer !== issuer) throw new CliError(`The authorization server metadata names issuer ${String(metadata.issuer)}, not ${issuer} (RFC 8414 §3.3).`);
  const methods = metadata.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) throw new CliError('The authorization server does not offer PKCE with S256.');

  const authorizationEndpoint = text(metadata.authorization_endpoint);
  const tokenEndpoint = text(metadata.token_endpoint);
  if (!authorizationEndpoint || !tokenEndpoint) throw new CliError('The authorization server metadata lacks an authorization or token endpoint.');
  const registrationEndpoint = text(metadata.registration_endpoint);
  const scopes = resourceMetadata.scopes_supported;
  return {
    resource: text(resourceMetadata.resource) ?? resourceUrl.href,
    issuer,
    authorizationEndpoint: assertSafeUrl(authorizationEndpoint, 'The authorization endpoint').href,
    tokenEndpoint: assertSafeUrl(tokenEndpoint, 'The token endpoint').href,
    registrationEndpoint: registrationEndpoint ? assertSafeUrl(registrationEndpoint, 'The registration endpoint').href : undefined,
    scope: challengeParam(challenge, 'scope') ?? (Array.isArray(scopes) ? scopes.filter((s) => typeof s === 'string').join(' ') || undefined : undefined),
    issInAuthorizationResponse: metadata.authorization_response_iss_parameter_supported === true,
  };
}
