/**
 * Opaque bearer tokens of the demo upstream: 32 random bytes, base64url, kept only as a
 * SHA-256 digest with the account and expiry. Revocable one at a time or per account.
 */
import { createHash, randomBytes } from 'node:crypto';

interface TokenEntry {
  accountId: string;
  expiresAt: number;
}

export interface TokenStore {
  issue(accountId: string): { token: string; expiresInSeconds: number };
  /** The account id of a live token; undefined when unknown, expired or revoked. */
  resolve(token: string): string | undefined;
  revoke(token: string): void;
  revokeAccount(accountId: string): void;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export function createTokenStore(ttlSeconds: number, now: () => number): TokenStore {
  const entries = new Map<string, TokenEntry>();
  const sweep = (): void => {
    const time = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key);
  };
  return {
    issue(accountId) {
      if (entries.size >= 10_000) sweep();
      const token = randomBytes(32).toString('base64url');
      entries.set(digest(token), { accountId, expiresAt: now() + ttlSeconds * 1000 });
      return { token, expiresInSeconds: ttlSeconds };
    },
    resolve(token) {
      const key = digest(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.accountId;
    },
    revoke: (token) => void entries.delete(digest(token)),
    revokeAccount(accountId) {
      for (const [key, entry] of entries) if (entry.accountId === accountId) entries.delete(key);
    },
  };
}
