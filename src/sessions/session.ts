/**
 * A session is what an access token stands for: one person signed in through one client, holding
 * the upstream token. It ends at its absolute end (SESSION_TTL from sign-in, or earlier when the
 * upstream token expires), on revocation, or when the upstream rejects its token. Nothing extends it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { audit } from '../log.js';
import type { Store } from '../store/index.js';
import type { TokenCipher } from './token-cipher.js';

export interface SessionAccount {
  id: string;
  name: string;
  email: string;
  roles: string[];
  readOnly: boolean;
}

export interface Session {
  id: string;
  account: SessionAccount;
  clientId: string;
  scopes: string[];
  sharePii: boolean;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; the absolute end. */
  expiresAt: number;
  upstreamToken: string;
  /** Base64url key of this session's PII vault: tokens are unlinkable across sessions. */
  piiSecret: string;
}

export interface NewSession {
  account: SessionAccount;
  clientId: string;
  scopes: string[];
  sharePii: boolean;
  upstreamToken: string;
  upstreamExpiresAt: number;
}

export type SessionEndReason = 'revoked' | 'upstream_rejected' | 'reauthenticate' | 'code_replayed' | 'administrator';

/** What operators see of a session: never its tokens. */
export interface SessionSummary {
  id: string;
  account: { id: string; name: string; email: string };
  clientId: string;
  scopes: string[];
  piiMode: 'redacted' | 'shared';
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | undefined;
}

export interface SessionService {
  create(input: NewSession): Promise<Session>;
  /** Live sessions, newest first; of one account when accountId is given. */
  list(accountId?: string): Promise<SessionSummary[]>;
  /** Records use, at most once a minute per session per process. */
  touch(session: Session): Promise<void>;
  /** The live session, or undefined when it ended or never existed. */
  load(id: string): Promise<Session | undefined>;
  end(id: string, reason: SessionEndReason): Promise<void>;
  /** Called after a session ends on purpose, with the session as it was (undefined when it had already ended). */
  onEnd(listener: (sessionId: string, reason: SessionEndReason, ended: Session | undefined) => void): void;
}

/** What is written to the store: with a cipher, the upstream token, PII secret and the account's name and e-mail only sealed. */
type StoredSession = Omit<Session, 'upstreamToken' | 'piiSecret'> & ({ upstreamToken: string; piiSecret: string } | { sealed: string });

const key = (id: string) => `session:${id}`;
const usedKey = (id: string) => `session-used:${id}`;
/**
 * Indexes of sessions by when they started, for operators' listings. One list whose TTL every
 * append refreshed grew for as long as people kept signing in; a list per time span gets its last
 * append when its span ends, so it expires one session lifetime later, with every session in it.
 */
// Prefixes of their own: no account id can make one of these spell an earlier version's key.
const indexKey = (accountId: string | undefined, span: number) => (accountId === undefined ? `sessions-started:${span}` : `sessions-started-of:${accountId}:${span}`);
/** The single lists of earlier versions: no longer appended, read until they expire (one SESSION_TTL after an upgrade). */
const legacyIndexKey = (accountId: string | undefined) => (accountId === undefined ? 'sessions' : `sessions-of:${accountId}`);
/** A listing reads ≈ 10 lists whatever SESSION_TTL is. */
const indexSpanMs = (sessionTtlMs: number) => Math.max(3_600_000, Math.ceil(sessionTtlMs / 8));
const TOUCH_EVERY_MS = 60_000;
const SEAL_PURPOSE = 'gatehouse-session-secrets';

export function createSessionService(options: { store: Store; sessionTtlMs: number; log: Logger; now?: () => number; cipher?: TokenCipher }): SessionService {
  const now = options.now ?? Date.now;
  const listeners: Array<(sessionId: string, reason: SessionEndReason, ended: Session | undefined) => void> = [];
  const { cipher } = options;
  const lastTouched = new Map<string, number>();
  const spanMs = indexSpanMs(options.sessionTtlMs);
  /** Every list that can hold a live session; one span more on each side for replicas' clocks. */
  const indexKeys = (accountId: string | undefined): string[] => {
    const last = Math.floor(now() / spanMs) + 1;
    const keys = [legacyIndexKey(accountId)];
    for (let span = Math.floor((now() - options.sessionTtlMs) / spanMs) - 1; span <= last; span++) keys.push(indexKey(accountId, span));
    return keys;
  };

  const load = async (id: string): Promise<Session | undefined> => {
    const stored = await options.store.get<StoredSession>(key(id));
    if (stored === undefined || stored.expiresAt <= now()) return undefined;
    return fromStored(stored);
  };

  const toStored = (session: Session): StoredSession => {
    if (cipher === undefined) return session;
    const { upstreamToken, piiSecret, account, ...rest } = session;
    const secrets = [upstreamToken, piiSecret, account.name, account.email];
    return { ...rest, account: { ...account, name: '', email: '' }, sealed: cipher.seal(JSON.stringify(secrets), `${SEAL_PURPOSE}:${session.id}`) };
  };
  const fromStored = (stored: StoredSession): Session => {
    if (!('sealed' in stored)) return stored;
    if (cipher === undefined) throw new Error('a sealed session needs TOKEN_ENCRYPTION_KEY');
    const { sealed, ...rest } = stored;
    const [upstreamToken, piiSecret, name, email] = JSON.parse(cipher.open(sealed, `${SEAL_PURPOSE}:${stored.id}`)) as string[];
    return { ...rest, account: { ...rest.account, name: name!, email: email! }, upstreamToken: upstreamToken!, piiSecret: piiSecret! };
  };

  return {
    async create(input) {
      const createdAt = now();
      const session: Session = {
        id: randomBytes(16).toString('base64url'),
        account: input.account,
        clientId: input.clientId,
        scopes: input.scopes,
        sharePii: input.sharePii,
        createdAt,
        expiresAt: Math.min(createdAt + options.sessionTtlMs, input.upstreamExpiresAt),
        upstreamToken: input.upstreamToken,
        piiSecret: randomBytes(32).toString('base64url'),
      };
      const ttl = session.expiresAt - createdAt;
      await options.store.set(key(session.id), toStored(session), ttl);
      const span = Math.floor(createdAt / spanMs);
      await options.store.append(indexKey(undefined, span), [session.id], options.sessionTtlMs);
      await options.store.append(indexKey(session.account.id, span), [session.id], options.sessionTtlMs);
      audit(options.log, 'session.created', {
        sessionId: session.id,
        accountId: session.account.id,
        clientId: session.clientId,
        scopes: session.scopes.join(' '),
        sharePii: session.sharePii,
        expiresAt: new Date(session.expiresAt).toISOString(),
      });
      return session;
    },
    load,
    async list(accountId) {
      const ids = [...new Set((await Promise.all(indexKeys(accountId).map((key) => options.store.list(key)))).flat())];
      const sessions = await Promise.all(ids.map(async (id) => [await load(id), await options.store.get<number>(usedKey(id))] as const));
      return sessions
        // An index only says where to look: a listing of one account shows that account's sessions.
        .filter((pair): pair is readonly [Session, number | undefined] => pair[0] !== undefined && (accountId === undefined || pair[0].account.id === accountId))
        .sort(([a], [b]) => b.createdAt - a.createdAt)
        .map(([session, lastUsed]) => ({
          id: session.id,
          account: { id: session.account.id, name: session.account.name, email: session.account.email },
          clientId: session.clientId,
          scopes: session.scopes,
          piiMode: session.sharePii ? 'shared' : 'redacted',
          createdAt: new Date(session.createdAt).toISOString(),
          expiresAt: new Date(session.expiresAt).toISOString(),
          lastUsedAt: lastUsed === undefined ? undefined : new Date(lastUsed).toISOString(),
        }));
    },
    async touch(session) {
      const at = now();
      if (at - (lastTouched.get(session.id) ?? 0) < TOUCH_EVERY_MS) return;
      if (lastTouched.size > 100_000) lastTouched.clear();
      lastTouched.set(session.id, at);
      await options.store.set(usedKey(session.id), at, Math.max(1, session.expiresAt - at));
    },
    async end(id, reason) {
      lastTouched.delete(id);
      // Only for the listeners (its upstream token): a session that cannot be read must still end.
      const ended = reason === 'upstream_rejected' ? undefined : await load(id).catch(() => undefined);
      await options.store.delete(key(id));
      audit(options.log, 'session.ended', { sessionId: id, reason });
      for (const listener of listeners) listener(id, reason, ended);
    },
    onEnd(listener) {
      listeners.push(listener);
    },
  };
}
