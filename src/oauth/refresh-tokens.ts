/**
 * Refresh tokens, issued when access tokens are shorter than the session (ACCESS_TOKEN_TTL <
 * SESSION_TTL). Opaque, stored under their hash, rotated on every use. A client that retries a
 * refresh within the grace window (lost response, two tabs) gets the same new pair back; a use after
 * the window is reuse of a stolen token (RFC 9700 §4.14.2) and ends the whole session. Nothing here
 * extends the session: every token expires at the session's end at the latest.
 *
 * The pair handed out on rotation is kept for the grace window encrypted under a key derived from
 * the old refresh token, so the store alone never holds a usable token.
 */
import { hkdfSync } from 'node:crypto';
import { OAuthError } from '../http/oauth-error.js';
import { audit, type Logger } from '../log.js';
import { createTokenCipher, type AccessTokens, type Session, type SessionService } from '../sessions/index.js';
import { Secret } from '../secret.js';
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

  const issuePair = async (session: Session, scopes: string[]): Promise<TokenPair> => {
    const access = await deps.tokens.issue(session, { scopes });
    const refreshToken = newSecret(32);
    const record: RefreshRecord = { sessionId: session.id, clientId: session.clientId, scopes };
    await deps.store.set(key(refreshToken), record, Math.max(1, session.expiresAt - now()));
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scopes.join(' '), refresh_token: refreshToken };
  };

  const fail = () => new OAuthError('invalid_grant', 'The refresh token is invalid, expired or was already used. Sign in again.');

  return {
    issuePair,

    /** RFC 7009 for a refresh token: ends its session. False when the token is not one of ours. */
    async revoke(refreshToken: string, clientId: string | undefined): Promise<boolean> {
      const record = await deps.store.get<RefreshRecord>(key(refreshToken));
      if (record === undefined) return false;
      if (clientId === undefined || clientId === record.clientId) await deps.sessions.end(record.sessionId, 'revoked');
      return true;
    },

    async refresh(refreshToken: string, clientId: string, requestedScope: string | undefined): Promise<TokenPair> {
      const record = await deps.store.get<RefreshRecord>(key(refreshToken));
      if (record === undefined || record.clientId !== clientId) throw fail();
      const session = await deps.sessions.load(record.sessionId);
      if (session === undefined) throw fail();
      // RFC 6749 §6: a refresh may narrow the scope, never widen it.
      const scopes = requestedScope === undefined ? record.scopes : requestedScope.split(' ').filter(Boolean);
      if (scopes.some((scope) => !record.scopes.includes(scope)) || scopes.length === 0) {
        throw new OAuthError('invalid_scope', 'A refresh cannot add scopes that the sign-in did not grant.');
      }

      if (record.rotatedAt === undefined && (await deps.store.setIfAbsent(claimKey(refreshToken), true, CLAIM_WAIT_MS * 2))) {
        const pair = await issuePair(session, scopes);
        const rotated: RefreshRecord = { ...record, rotatedAt: now(), next: seal(refreshToken, pair) };
        await deps.store.set(key(refreshToken), rotated, Math.max(1, session.expiresAt - now()));
        audit(deps.log, 'refresh_token.rotated', { sessionId: session.id, clientId });
        return pair;
      }

      // Already rotated, or being rotated by a concurrent request right now.
      const deadline = now() + CLAIM_WAIT_MS;
      let current = record;
      while (current.rotatedAt === undefined && now() < deadline) {
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
