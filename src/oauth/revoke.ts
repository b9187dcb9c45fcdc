/**
 * Token revocation (RFC 7009). Revoking an access token ends its session: that is what a client's
 * "disconnect" means, and it takes effect on the very next request. The answer is 200 whatever the
 * token was (§2.2), so the endpoint reveals nothing.
 */
import { OAuthError } from '../http/oauth-error.js';
import type { AccessTokens, SessionService } from '../sessions/index.js';
import type { RefreshTokens } from './refresh-tokens.js';
import { readParams } from './request-params.js';

export function createRevocationEndpoint(deps: { tokens: AccessTokens; sessions: SessionService; refresh: RefreshTokens | undefined }) {
  return {
    async revoke(body: unknown, basicClientId?: string): Promise<void> {
      // token_type_hint is ignored (§2.1 allows it): a token of another type than the hint must be
      // found all the same, and trying both kinds is cheap.
      const params = readParams(body, ['token', 'client_id']);
      if (params.token === undefined) throw new OAuthError('invalid_request', 'The token parameter is missing.');
      const clientId = params.client_id ?? basicClientId;
      if (await deps.refresh?.revoke(params.token, clientId)) return;
      let claims;
      try {
        claims = await deps.tokens.verify(params.token);
      } catch {
        return;
      }
      // A client may revoke only its own tokens (§2.1).
      if (clientId !== undefined && clientId !== claims.clientId) return;
      await deps.sessions.end(claims.sid, 'revoked');
    },
  };
}
