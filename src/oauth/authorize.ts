/**
 * The authorization endpoint's protocol half. It validates the request in the order that decides
 * where errors may go (client, then redirect URI: until both are known good nothing is redirected,
 * RFC 6749 §4.1.2.1), records a pending authorization, and later finishes it with a code or a denial.
 * It never renders anything: the sign-in page (interaction/) does.
 */
import { OAuthError } from '../http/oauth-error.js';
import type { Store } from '../store/index.js';
import type { ClientRepository, RegisteredClient } from './client-repository.js';
import { hashSecret, newSecret } from './hash.js';
import { isValidCodeChallenge } from './pkce.js';
import { redirectHost, redirectUriMatches } from './redirect-uri.js';
import { inspectParams, isOurResource, repeatedParameter } from './request-params.js';
import { parseRequestedScopes } from './scopes.js';

export interface PendingAuthorization {
  id: string;
  clientId: string;
  clientName: string | undefined;
  clientUri: string | undefined;
  logoUri: string | undefined;
  redirectUri: string;
  /** The request named its redirect URI, so the token request must name it too (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  redirectHost: string;
  state: string | undefined;
  codeChallenge: string;
  scopes: string[];
  resource: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface AuthorizationCode {
  sessionId: string;
  clientId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  codeChallenge: string;
  scopes: string[];
  resource: string;
}

/** A failed request: redirected to the client when `redirectTo` is set, shown on our error page otherwise. */
export class AuthorizationFailure extends Error {
  constructor(
    readonly error: OAuthError,
    readonly redirectTo?: string,
  ) {
    super(error.description);
    this.name = 'AuthorizationFailure';
  }
}

export interface AuthorizeDeps {
  store: Store;
  clients: ClientRepository;
  issuer: string;
  resourceUrl: string;
  pendingTtlMs?: number;
  codeTtlMs?: number;
  now?: () => number;
}

const PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'resource'] as const;
const PENDING_TTL_MS = 10 * 60_000;
/**
 * `state` is the one free-text value a pending record keeps (the rest is fixed-length, a subset of
 * ours, or bounded at registration), and anyone may send it: capped so a record stays small, with
 * room for the signed JWT some clients carry in it.
 */
const MAX_STATE_LENGTH = 2048;
const CODE_TTL_MS = 60_000;

export const pendingKey = (id: string) => `pending:${id}`;
export const codeKey = (code: string) => `code:${hashSecret(code)}`;

export function createAuthorizationEndpoint(deps: AuthorizeDeps) {
  const now = deps.now ?? Date.now;

  /** Builds the client redirect with RFC 9207 `iss` on every response, errors included. */
  const redirectWith = (redirectUri: string, params: Record<string, string | undefined>): string => {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    url.searchParams.set('iss', deps.issuer);
    return url.toString();
  };

  const errorRedirect = (redirectUri: string, state: string | undefined, error: OAuthError) =>
    new AuthorizationFailure(error, redirectWith(redirectUri, { error: error.code, error_description: error.description, state }));

  async function loadClient(clientId: string | undefined): Promise<RegisteredClient> {
    if (clientId === undefined) throw new AuthorizationFailure(new OAuthError('invalid_request', 'The client_id parameter is missing.'));
    const client = await deps.clients.load(clientId);
    if (client === undefined) {
      throw new AuthorizationFailure(
        new OAuthError('invalid_client', 'This application is not registered with this server (unknown client_id). Remove and add the connector again in your app.', { status: 400 }),
      );
    }
    return client;
  }

  function resolveRedirectUri(client: RegisteredClient, requested: string | undefined): string {
    if (requested === undefined) {
      if (client.redirectUris.length === 1) return client.redirectUris[0]!;
      throw new AuthorizationFailure(new OAuthError('invalid_request', 'The redirect_uri parameter is missing.'));
    }
    if (!client.redirectUris.some((registered) => redirectUriMatches(registered, requested))) {
      throw new AuthorizationFailure(new OAuthError('invalid_request', 'The redirect_uri does not match any redirect URI registered for this application.'));
    }
    return requested;
  }

  return {
    /** Validates an authorization request and records it; throws AuthorizationFailure. */
    async start(query: unknown): Promise<PendingAuthorization> {
      const { params, repeated } = inspectParams(query, PARAMS);
      // Until the client and its redirect URI are known good, nothing goes back to the client.
      const unverifiable = repeated.find((name) => name === 'client_id' || name === 'redirect_uri');
      if (unverifiable !== undefined) throw new AuthorizationFailure(repeatedParameter(unverifiable));
      const client = await loadClient(params.client_id);
      const redirectUri = resolveRedirectUri(client, params.redirect_uri);
      // A repeated or over-long state is not echoed back: it is the value being refused.
      const stateTooLong = params.state !== undefined && params.state.length > MAX_STATE_LENGTH;
      const fail = (error: OAuthError) => errorRedirect(redirectUri, stateTooLong ? undefined : params.state, error);

      // RFC 6749 §4.1.2.1: a parameter given more than once is invalid_request. Several resources
      // are a valid RFC 8707 request for a token at each, which this server of one resource refuses
      // as invalid_target (§2).
      const repeatedOther = repeated.find((name) => name !== 'resource');
      if (repeatedOther !== undefined) throw fail(repeatedParameter(repeatedOther));
      if (repeated.includes('resource')) {
        throw fail(new OAuthError('invalid_target', 'This server serves one resource: name it once.'));
      }
      if (stateTooLong) {
        throw fail(new OAuthError('invalid_request', `The state parameter must be at most ${MAX_STATE_LENGTH} characters.`));
      }
      if (params.response_type === undefined) {
        throw fail(new OAuthError('invalid_request', 'The response_type parameter is missing.'));
      }
      if (params.response_type !== 'code') {
        throw fail(new OAuthError('unsupported_response_type', 'Only response_type=code is supported.'));
      }
      if (params.code_challenge === undefined) {
        throw fail(new OAuthError('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.'));
      }
      if (params.code_challenge_method !== 'S256') {
        throw fail(new OAuthError('invalid_request', 'Only the S256 code_challenge_method is supported.'));
      }
      if (!isValidCodeChallenge(params.code_challenge)) {
        throw fail(new OAuthError('invalid_request', 'The code_challenge must be 43 base64url characters (S256).'));
      }
      if (params.resource !== undefined && !isOurResource(params.resource, deps)) {
        throw fail(new OAuthError('invalid_target', 'The requested resource is not served by this authorization server.'));
      }

      const pending: PendingAuthorization = {
        id: newSecret(16),
        clientId: client.clientId,
        clientName: client.clientName,
        clientUri: client.clientUri,
        logoUri: client.logoUri,
        redirectUri,
        redirectUriGiven: params.redirect_uri !== undefined,
        redirectHost: redirectHost(redirectUri),
        state: params.state,
        codeChallenge: params.code_challenge,
        scopes: parseRequestedScopes(params.scope),
        resource: deps.resourceUrl,
        expiresAt: now() + (deps.pendingTtlMs ?? PENDING_TTL_MS),
      };
      await deps.store.set(pendingKey(pending.id), pending, deps.pendingTtlMs ?? PENDING_TTL_MS);
      return pending;
    },

    async load(id: string): Promise<PendingAuthorization | undefined> {
      if (!/^[A-Za-z0-9_-]{10,64}$/.test(id)) return undefined;
      return deps.store.get<PendingAuthorization>(pendingKey(id));
    },

    /** Ends a pending authorization with a code for the session; returns where to send the browser. */
    async finish(id: string, grant: { sessionId: string; scopes: string[] }): Promise<string | undefined> {
      const pending = await deps.store.take<PendingAuthorization>(pendingKey(id));
      if (pending === undefined) return undefined;
      const code = newSecret(32);
      const record: AuthorizationCode = {
        sessionId: grant.sessionId,
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        redirectUriGiven: pending.redirectUriGiven,
        codeChallenge: pending.codeChallenge,
        scopes: grant.scopes,
        resource: pending.resource,
      };
      await deps.store.set(codeKey(code), record, deps.codeTtlMs ?? CODE_TTL_MS);
      return redirectWith(pending.redirectUri, { code, state: pending.state });
    },

    /** The person cancelled: `access_denied` goes back to the client. */
    async deny(id: string): Promise<string | undefined> {
      const pending = await deps.store.take<PendingAuthorization>(pendingKey(id));
      if (pending === undefined) return undefined;
      return redirectWith(pending.redirectUri, {
        error: 'access_denied',
        error_description: 'The person cancelled the sign-in.',
        state: pending.state,
      });
    },
  };
}

export type AuthorizationEndpoint = ReturnType<typeof createAuthorizationEndpoint>;
