/**
 * `gatehouse token`: gets an access token for an MCP endpoint through the browser, as a native app
 * does (RFC 8252): discovery, dynamic registration of a public client with a loopback redirect,
 * PKCE S256, the sign-in page in the browser, the code exchanged at the token endpoint. Only the
 * access token goes to stdout; everything the person reads goes to stderr. Nothing is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CliError, discover, type Discovered } from './discover.js';
import { startLoopbackCallback } from './loopback-callback.js';

export interface TokenOptions {
  url: string;
  scope?: string;
  clientId?: string;
  /** Fixed callback port; 0 (default) lets the system pick one. */
  port?: number;
  timeoutMs?: number;
  /** Opens the authorization URL; false when it could not. */
  openBrowser: ((url: string) => Promise<boolean>) | undefined;
  /** Lines for the person (stderr). */
  say: (line: string) => void;
}

export interface TokenResult {
  accessToken: string;
  expiresIn: number | undefined;
  scope: string | undefined;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

async function registerClient(discovered: Discovered, redirectUri: string): Promise<string> {
  if (!discovered.registrationEndpoint) throw new CliError('The server does not offer dynamic client registration; pass --client-id with a registered public client.');
  const response = await fetch(discovered.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: 'gatehouse token (command line)',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { client_id?: string; error_description?: string };
  if (response.status !== 201 || !body.client_id) throw new CliError(`Client registration failed (HTTP ${response.status}${body.error_description ? `: ${body.error_description}` : ''}).`);
  return body.client_id;
}

async function exchangeCode(discovered: Discovered, params: Record<string, string>): Promise<TokenResult> {
  const response = await fetch(discovered.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; scope?: string; error?: string; error_description?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new CliError(`The token request failed (HTTP ${response.status}${body.error ? `: ${body.error}` : ''}${body.error_description ? ` – ${body.error_description}` : ''}).`);
  }
  return { accessToken: body.access_token, expiresIn: body.expires_in, scope: body.scope };
}

export async function getToken(options: TokenOptions): Promise<TokenResult> {
  const discovered = await discover(options.url);
  const callback = await startLoopbackCallback(options.port ?? 0);
  try {
    const clientId = options.clientId ?? (await registerClient(discovered, callback.redirectUri));
    const verifier = base64url(randomBytes(32));
    const state = base64url(randomBytes(16));
    const authorizationUrl = new URL(discovered.authorizationEndpoint);
    const scope = options.scope ?? discovered.scope;
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback.redirectUri,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      state,
      resource: discovered.resource,
      scope,
    })) {
      if (value !== undefined) authorizationUrl.searchParams.set(name, value);
    }

    const waiting = callback.wait(state, options.timeoutMs ?? 5 * 60_000);
    const opened = options.openBrowser ? await options.openBrowser(authorizationUrl.href) : false;
    options.say(opened ? 'Sign in in the browser window that just opened. If none did, open this URL:' : 'Open this URL in a browser and sign in:');
    options.say(authorizationUrl.href);
    const result = await waiting;

    // RFC 9207 §2.4: the response must come from the server we asked; from a server that promises
    // `iss`, an answer without one may have come from another (a mix-up).
    if (result.iss === undefined && discovered.issInAuthorizationResponse) throw new CliError(`The answer carried no issuer although ${discovered.issuer} always sends one; refusing it.`);
    if (result.iss !== undefined && result.iss !== discovered.issuer) throw new CliError(`The answer came from issuer ${result.iss}, not ${discovered.issuer}; refusing it.`);
    if (result.error !== undefined) throw new CliError(`Not signed in: ${result.error}${result.errorDescription ? ` (${result.errorDescription})` : ''}.`);
    if (result.code === undefined) throw new CliError('The answer carried no authorization code.');
    return await exchangeCode(discovered, {
      grant_type: 'authorization_code',
      code: result.code,
      redirect_uri: callback.redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: discovered.resource,
    });
  } finally {
    await callback.close();
  }
}
