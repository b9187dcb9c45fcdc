/**
 * Access tokens: JWT `typ: at+jwt` (RFC 9068) signed with our asymmetric key. They name the session
 * (`sid`) and never carry the upstream token. Verification pins algorithm, type, issuer and audience;
 * verified tokens are remembered until they expire so the hot path pays one map lookup.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTHeaderParameters, type FlattenedJWSInput } from 'jose';
import { OAuthError } from '../http/oauth-error.js';
import type { Session } from './session.js';
import type { SigningKeys } from './signing-keys.js';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  clientId: string;
  scopes: string[];
  sharePii: boolean;
  exp: number;
  jti: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  expiresAt: number;
}

export interface AccessTokens {
  issue(session: Session, options: { scopes: string[] }): Promise<IssuedAccessToken>;
  /** Throws OAuthError invalid_token with a safe description. */
  verify(token: string): Promise<AccessTokenClaims>;
}

const CACHE_LIMIT = 10_000;

export function createAccessTokens(options: {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  ttlMs: number;
  now?: () => number;
}): AccessTokens {
  const now = options.now ?? Date.now;
  const verified = new Map<string, AccessTokenClaims>();
  const algorithms = [...new Set([...options.keys.byKid.values()].map((key) => key.alg))];

  const keyFor = (header: JWTHeaderParameters, _token: FlattenedJWSInput) => {
    const key = header.kid === undefined ? undefined : options.keys.byKid.get(header.kid);
    if (key === undefined || key.alg !== header.alg) throw new OAuthError('invalid_token', 'The access token was not signed by this server.');
    return key.publicKey;
  };

  return {
    async issue(session, { scopes }) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = Math.min(issuedAt + Math.floor(options.ttlMs / 1000), Math.floor(session.expiresAt / 1000));
      const { current } = options.keys;
      const token = await new SignJWT({
        client_id: session.clientId,
        scope: scopes.join(' '),
        sid: session.id,
        share_pii: session.sharePii,
      })
        .setProtectedHeader({ alg: current.alg, typ: 'at+jwt', kid: current.kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(session.account.id)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(randomBytes(12).toString('base64url'))
        .sign(current.privateKey);
      return { token, expiresIn: expiresAt - issuedAt, expiresAt: expiresAt * 1000 };
    },

    async verify(token) {
      const seconds = Math.floor(now() / 1000);
      const cached = verified.get(token);
      if (cached !== undefined) {
        if (cached.exp > seconds) return cached;
        verified.delete(token);
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keyFor, {
          algorithms,
          typ: 'at+jwt',
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['sub', 'sid', 'client_id', 'scope', 'exp', 'iat', 'jti'],
          currentDate: new Date(now()),
        }));
      } catch (error) {
        throw new OAuthError('invalid_token', describeFailure(error), { cause: error });
      }
      if (typeof payload.sid !== 'string' || typeof payload.client_id !== 'string' || typeof payload.scope !== 'string') {
        throw new OAuthError('invalid_token', 'The access token is malformed.');
      }
      const claims: AccessTokenClaims = {
        sub: payload.sub!,
        sid: payload.sid,
        clientId: payload.client_id,
        scopes: payload.scope.split(' ').filter(Boolean),
        sharePii: payload.share_pii === true,
        exp: payload.exp!,
        jti: payload.jti!,
      };
      if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value!);
      verified.set(token, claims);
      return claims;
    },
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof OAuthError) return error.description;
  if (error instanceof joseErrors.JWTExpired) return 'The access token expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The access token is not meant for this resource.';
    if (error.claim === 'iss') return 'The access token was not issued by this server.';
    if (error.claim === 'typ') return 'The token is not an access token (typ must be at+jwt).';
    return 'The access token is missing a required claim.';
  }
  return 'The access token is invalid.';
}
