/**
 * Token revocation (RFC 7009). Revoking an access token ends its session: that is what a client's
 * "disconnect" means, and it takes effect on the very next request.
 *
 * The client must say who it is (§2.1), as at the token endpoint; a token issued to another client is
 * refused with `unauthorized_client` and stays valid. A token that is unknown, expired or malformed
 * gets 200 (§2.2): there is nothing left to revoke, and the answer says nothing about it.
 */
import { OAuthError } from '../http/oauth-error.js';
import { safeEqual } from '../secret.js';
import type { AccessTokens, SessionService } from '../sessions/index.js';
import type { RegisteredClient } from './client-repository.js';
import type { RefreshTokens } from './refresh-tokens.js';
import { readParams } from './request-params.js';

const notYours = () => new OAuthError('unauthorized_client', 'This token was not issued to this client.');

export function createRevocationEndpoint(deps: { tokens: AccessTokens; sessions: SessionService; refresh: RefreshTokens | undefined }) {
  return {
    /** `client` is the requesting client, already identified (loadRequestingClient). */
    async revoke(body: unknown, client: RegisteredClient): Promise<void> {
      // token_type_hint is ignored (§2.1 allows it): a token of another type than the hint must be
      // found all the same, and trying both kinds is cheap.
      const params = readParams(body, ['token']);
      if (params.token === undefined) throw new OAuthError('invalid_request', 'The token parameter is missing.');
      const refreshed = await deps.refresh?.revoke(params.token, client.clientId);
      if (refreshed === 'other_client') throw notYours();
      if (refreshed === 'revoked') return;
      let claims;
      try {
        claims = await deps.tokens.verify(params.token);
      } catch {
        return;
      }
      if (!safeEqual(claims.clientId, client.clientId)) throw notYours();
      await deps.sessions.end(claims.sid, 'revoked');
    },
  };
}
