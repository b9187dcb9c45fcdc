/**
 * The token endpoint (RFC 6749 §4.1.3 with OAuth 2.1's PKCE rule). Codes are single use: the code is
 * taken atomically, and a second presentation ends the session its first use created (RFC 6749
 * §4.1.2, RFC 9700 §4.5.3.1) so a stolen code cannot keep a token alive. The replay marker is written
 * before the take, so a presentation racing the first one is a replay too, never a plain miss.
 */
import { OAuthError } from '../http/oauth-error.js';
import type { AccessTokens, SessionService } from '../sessions/index.js';
import type { Store } from '../store/index.js';
import type { AuthorizationCode } from './authorize.js';
import { codeKey } from './authorize.js';
import { loadRequestingClient } from './client-auth.js';
import type { ClientRepository } from './client-repository.js';
import { safeEqual } from '../secret.js';
import { hashSecret } from './hash.js';
import { checkPkce } from './pkce.js';
import type { RefreshTokens, TokenPair } from './refresh-tokens.js';
import { isOurResource, readParams } from './request-params.js';

export interface TokenDeps {
  store: Store;
  clients: ClientRepository;
  tokens: AccessTokens;
  sessions: SessionService;
  issuer: string;
  resourceUrl: string;
  /** Present when access tokens are shorter than sessions. */
  refresh: RefreshTokens | undefined;
}

export type TokenResponse = TokenPair;

const PARAMS = ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'client_id', 'resource', 'refresh_token', 'scope'] as const;
const USED_CODE_TTL_MS = 10 * 60_000;
const usedCodeKey = (code: string) => `used-code:${hashSecret(code)}`;

export function createTokenEndpoint(deps: TokenDeps) {
  return {
    async exchange(body: unknown, basicClientId?: string): Promise<TokenResponse> {
      const params = readParams(body, PARAMS);
      if (params.grant_type === undefined) throw new OAuthError('invalid_request', 'The grant_type parameter is missing.');
      const refreshing = params.grant_type === 'refresh_token' && deps.refresh !== undefined;
      if (params.grant_type !== 'authorization_code' && !refreshing) {
        throw new OAuthError('unsupported_grant_type', deps.refresh ? 'Only the authorization_code and refresh_token grants are supported.' : 'Only the authorization_code grant is supported.');
      }

      const client = await loadRequestingClient(body, basicClientId, deps.clients);
      const clientId = client.clientId;
      // RFC 8707 §2.2, checked before the code is taken: naming another resource is a mistake the
      // client can correct with the same code, not a sign that the code was stolen.
      if (params.resource !== undefined && !isOurResource(params.resource, deps)) throw new OAuthError('invalid_target', 'The requested resource is not served by this server.');
      if (refreshing) {
        if (params.refresh_token === undefined) throw new OAuthError('invalid_request', 'The refresh_token parameter is missing.');
        return deps.refresh!.refresh(params.refresh_token, clientId, params.scope);
      }
      if (params.code === undefined) throw new OAuthError('invalid_request', 'The code parameter is missing.');
      if (params.code_verifier === undefined) throw new OAuthError('invalid_request', 'The code_verifier parameter is missing (PKCE is required).');

      const pending = await deps.store.get<AuthorizationCode>(codeKey(params.code));
      if (pending !== undefined) await deps.store.set(usedCodeKey(params.code), pending.sessionId, USED_CODE_TTL_MS);
      const grant = pending === undefined ? undefined : await deps.store.take<AuthorizationCode>(codeKey(params.code));
      if (grant === undefined) {
        const replayedSession = await deps.store.get<string>(usedCodeKey(params.code));
        if (replayedSession !== undefined) await deps.sessions.end(replayedSession, 'code_replayed');
        throw new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used.');
      }

      const problems = [
        grant.clientId !== clientId,
        params.redirect_uri === undefined ? grant.redirectUriGiven : !safeEqual(params.redirect_uri, grant.redirectUri),
        !checkPkce(params.code_verifier, grant.codeChallenge),
      ];
      if (problems.some(Boolean)) {
        await deps.sessions.end(grant.sessionId, 'revoked');
        throw new OAuthError('invalid_grant', 'The authorization code does not match this client, redirect URI or code verifier.');
      }

      const session = await deps.sessions.load(grant.sessionId);
      if (session === undefined) throw new OAuthError('invalid_grant', 'The sign-in behind this code has ended. Sign in again.');
      if (deps.refresh !== undefined && client.grantTypes.includes('refresh_token')) return deps.refresh.issuePair(session, grant.scopes);
      const issued = await deps.tokens.issue(session, { scopes: grant.scopes });
      return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope: grant.scopes.join(' ') };
    },
  };
}

export type TokenEndpoint = ReturnType<typeof createTokenEndpoint>;
