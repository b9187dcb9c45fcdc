/**
 * The OAuth flow as a client and a browser would run it, over real HTTP: register, open
 * /authorize, read the sign-in form, post it with the cookie, follow the redirect, redeem the code.
 */
import { createHash, randomBytes } from 'node:crypto';

export const REDIRECT_URI = 'http://127.0.0.1:8976/callback';

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function newPkce(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(baseUrl: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${baseUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Test client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], ...body }),
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { client_id: string }).client_id;
}

export interface SignInPage {
  status: number;
  html: string;
  cookie: string;
  fields: Record<string, string>;
}

export function authorizeUrl(baseUrl: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${baseUrl}/authorize`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/** Reads the hidden inputs of the sign-in form and the cookie the page set. */
export async function openSignInPage(url: string, cookie = ''): Promise<SignInPage> {
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const html = await response.text();
  const setCookie = response.headers.get('set-cookie');
  return { status: response.status, html, cookie: setCookie ? setCookie.split(';')[0]! : cookie, fields: hiddenFields(html) };
}

export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[match[1]!] = match[2]!;
  return fields;
}

export async function submitSignIn(baseUrl: string, page: SignInPage, form: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookie },
    body: new URLSearchParams({ ...page.fields, ...form }).toString(),
  });
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string | undefined;
  clientId: string;
  scope: string;
  expiresIn: number;
}

export interface SignInOptions {
  email?: string;
  password?: string;
  sharePii?: boolean;
  readOnly?: boolean;
  scope?: string;
  /** Default: `${baseUrl}/mcp`. */
  resource?: string;
}

export async function exchangeCode(baseUrl: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

export interface Authorized {
  /** 303 on success; the re-rendered form's status otherwise. */
  status: number;
  code: string | undefined;
  verifier: string;
  /** The page's HTML when no code came back, for error messages. */
  body?: string;
}

/** What the person does for one authorization: open the page, fill in the form, submit. */
export async function authorizeWithPassword(baseUrl: string, clientId: string, options: SignInOptions = {}): Promise<Authorized> {
  const pkce = newPkce();
  const page = await openSignInPage(
    authorizeUrl(baseUrl, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 'state-1',
      scope: options.scope,
      resource: options.resource ?? `${baseUrl}/mcp`,
    }),
  );
  if (page.status !== 200) return { status: page.status, code: undefined, verifier: pkce.verifier, body: page.html };
  const response = await submitSignIn(baseUrl, page, {
    email: options.email ?? 'admin@example.com',
    password: options.password ?? 'demo-password',
    accept_disclaimer: 'yes',
    action: 'sign_in',
    ...(options.sharePii ? { share_pii: 'yes' } : {}),
    ...(options.readOnly ? { read_only: 'yes' } : {}),
  });
  const location = response.headers.get('location');
  const code = location ? (new URL(location).searchParams.get('code') ?? undefined) : undefined;
  const body = code === undefined ? (await response.text()).slice(0, 2000) : (await response.arrayBuffer(), undefined);
  return { status: response.status, code, verifier: pkce.verifier, body };
}

/** The whole flow for one account; returns the access token. */
export async function signIn(baseUrl: string, options: SignInOptions = {}): Promise<SignedIn> {
  const clientId = await registerClient(baseUrl);
  const { status, code, verifier, body } = await authorizeWithPassword(baseUrl, clientId, options);
  if (code === undefined) throw new Error(`${status === 200 ? 'sign-in' : 'sign-in page'} failed: ${status} ${body ?? ''}`);
  const tokenResponse = await exchangeCode(baseUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: clientId,
    resource: options.resource ?? `${baseUrl}/mcp`,
  });
  if (tokenResponse.status !== 200) throw new Error(`token failed: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const token = (await tokenResponse.json()) as { access_token: string; refresh_token?: string; scope: string; expires_in: number };
  return { accessToken: token.access_token, refreshToken: token.refresh_token, clientId, scope: token.scope, expiresIn: token.expires_in };
}
