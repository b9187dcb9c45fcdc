/**
 * Refresh tokens, issued when access tokens are shorter than the session (ACCESS_TOKEN_TTL <
 * SESSION_TTL). Opaque, stored under their hash, rotated on every use. A client that retries a
 * refresh within the grace window (lost response, two tabs) gets the same new pair back; a use after
 * the window is reuse of a stolen token (RFC 9700 §4.14.2) and ends the whole session. Nothing here
 * extends the session: every token expires at the session's end at the latest.
 *
 * The pair handed out on rotation is kept for the grace window encrypted under a key derived from
 * the old refresh token, so the store alone never holds a usable token.
 *
 * A refresh that asks for fewer scopes narrows only the access token it returns: the rotated refresh
 * token keeps the grant's scopes (RFC 6749 §6), so a later refresh may ask for them again.
 */
import { hkdfSync } from 'node:crypto';
import { OAuthError } from '../http/oauth-error.js';
import { audit, type Logger } from '../log.js';
import { createTokenCipher, type AccessTokens, type Session, type SessionService } from '../sessions/index.js';
import { safeEqual, Secret } from '../secret.js';
import type { Store } from '../store/index.js';
import { hashSecret, newSecret } from './hash.js';

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

interface RefreshRecord {
  sessionId: string;
  clientId: string;
  scopes: string[];
  /** Epoch ms when it was used; undefined while it is the current token. */
  rotatedAt?: number;
  /** The pair issued on rotation, encrypted under a key derived from this token (the token cipher's sealed form). */
  next?: string;
}

export interface RefreshDeps {
  store: Store;
  tokens: AccessTokens;
  sessions: SessionService;
  graceMs: number;
  log: Logger;
  now?: () => number;
}

const key = (token: string) => `refresh:${hashSecret(token)}`;
const claimKey = (token: string) => `refresh-claim:${hashSecret(token)}`;
const CLAIM_WAIT_MS = 2_000;
const GRACE_PURPOSE = 'gatehouse-refresh-grace-pair';

export function createRefreshTokens(deps: RefreshDeps) {
  const now = deps.now ?? Date.now;

  /** `grantScopes` go with the refresh token; the access token gets `accessScopes`, a subset of them. */
  const issuePair = async (session: Session, grantScopes: string[], accessScopes = grantScopes): Promise<TokenPair> => {
    const access = await deps.tokens.issue(session, { scopes: accessScopes });
    const refreshToken = newSecret(32);
    const record: RefreshRecord = { sessionId: session.id, clientId: session.clientId, scopes: grantScopes };
    await deps.store.set(key(refreshToken), record, Math.max(1, session.expiresAt - now()));
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: accessScopes.join(' '), refresh_token: refreshToken };
  };

  /**
   * Issues the next pair and marks the old token rotated. A failure releases the claim: nothing was
   * handed out, so a retry must be able to rotate rather than be taken for a replay.
   */
  const rotate = async (refreshToken: string, record: RefreshRecord, session: Session, accessScopes: string[]): Promise<TokenPair> => {
    try {
      const pair = await issuePair(session, record.scopes, accessScopes);
      const rotated: RefreshRecord = { ...record, rotatedAt: now(), next: seal(refreshToken, pair) };
      await deps.store.set(key(refreshToken), rotated, Math.max(1, session.expiresAt - now()));
      audit(deps.log, 'refresh_token.rotated', { sessionId: session.id, clientId: record.clientId });
      return pair;
    } catch (error) {
      await deps.store.delete(claimKey(refreshToken)).catch((releaseError: unknown) => deps.log.warn({ err: releaseError }, 'refresh claim not released; it expires on its own'));
      throw error;
    }
  };

  const fail = () => new OAuthError('invalid_grant', 'The refresh token is invalid, expired or was already used. Sign in again.');

  return {
    issuePair,

    /**
     * RFC 7009 for a refresh token: ends its session when `clientId` is the client it was issued to.
     * `unknown` when the token is not one of ours, `other_client` (nothing ended) when it is another's.
     */
    async revoke(refreshToken: string, clientId: string): Promise<'revoked' | 'unknown' | 'other_client'> {
      const record = await deps.store.get<RefreshRecord>(key(refreshToken));
      if (record === undefined) return 'unknown';
      if (!safeEqual(clientId, record.clientId)) return 'other_client';
      await deps.sessions.end(record.sessionId, 'revoked');
      return 'revoked';
    },

    async refresh(refreshToken: string, clientId: string, requestedScope: string | undefined): Promise<TokenPair> {
      const record = await deps.store.get<RefreshRecord>(key(refreshToken));
      if (record === undefined || record.clientId !== clientId) throw fail();
      const session = await deps.sessions.load(record.sessionId);
      if (session === undefined) throw fail();
      // RFC 6749 §6: a refresh may narrow the scope, never widen it.
      const accessScopes = requestedScope === undefined ? record.scopes : requestedScope.split(' ').filter(Boolean);
      if (accessScopes.some((scope) => !record.scopes.includes(scope)) || accessScopes.length === 0) {
        throw new OAuthError('invalid_scope', 'A refresh cannot add scopes that the sign-in did not grant.');
      }

      // The claim makes one request the rotator; the others wait for its pair. A rotator that failed
      // released the claim, so a waiter takes it over instead of timing out into reuse detection.
      const deadline = now() + CLAIM_WAIT_MS;
      let current = record;
      for (;;) {
        if (current.rotatedAt === undefined && (await deps.store.setIfAbsent(claimKey(refreshToken), true, CLAIM_WAIT_MS * 2))) {
          return rotate(refreshToken, current, session, accessScopes);
        }
        if (current.rotatedAt !== undefined || now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
        current = (await deps.store.get<RefreshRecord>(key(refreshToken))) ?? current;
      }
      if (current.rotatedAt !== undefined && current.next !== undefined && now() - current.rotatedAt <= deps.graceMs) {
        audit(deps.log, 'refresh_token.retried', { sessionId: session.id, clientId });
        return open(refreshToken, current.next);
      }
      audit(deps.log, 'refresh_token.reuse_detected', { sessionId: session.id, clientId });
      await deps.sessions.end(session.id, 'revoked');
      throw fail();
    },
  };
}

/** A cipher whose key only the holder of the old refresh token can derive. */
function cipherFor(refreshToken: string) {
  return createTokenCipher([new Secret(Buffer.from(hkdfSync('sha256', refreshToken, 'gatehouse-refresh-grace', 'next-pair', 32)))]);
}

function seal(refreshToken: string, pair: TokenPair): string {
  return cipherFor(refreshToken).seal(JSON.stringify(pair), GRACE_PURPOSE);
}

function open(refreshToken: string, sealed: string): TokenPair {
  return JSON.parse(cipherFor(refreshToken).open(sealed, GRACE_PURPOSE)) as TokenPair;
}

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
