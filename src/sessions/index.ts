export { createAccessTokens, type AccessTokens, type AccessTokenClaims, type IssuedAccessToken } from './access-token.js';
export { bearerChallenge } from './bearer-challenge.js';
export { createBearerAuthenticator, createBearerGuard, type Authenticated, type GuardOptions, type AuthenticatedLocals } from './bearer-guard.js';
export {
  createSessionService,
  type Session,
  type SessionAccount,
  type NewSession,
  type SessionService,
  type SessionEndReason,
  type SessionSummary,
} from './session.js';
export { loadSigningKeys, parsePrivateKey, type SigningKeys, type SigningKey } from './signing-keys.js';
export { createTokenCipher, type TokenCipher } from './token-cipher.js';
