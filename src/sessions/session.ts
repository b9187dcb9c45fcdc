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

export interface SessionService {
  create(input: NewSession): Promise<Session>;
  /** The live session, or undefined when it ended or never existed. */
  load(id: string): Promise<Session | undefined>;
  end(id: string, reason: SessionEndReason): Promise<void>;
  onEnd(listener: (sessionId: string) => void): void;
}

/** What is written to the store: with a cipher, the upstream token and PII secret only sealed. */
type StoredSession = Omit<Session, 'upstreamToken' | 'piiSecret'> & ({ upstreamToken: string; piiSecret: string } | { sealed: string });

const key = (id: string) => `session:${id}`;
const SEAL_PURPOSE = 'gatehouse-session-secrets';

export function createSessionService(options: { store: Store; sessionTtlMs: number; log: Logger; now?: () => number; cipher?: TokenCipher }): SessionService {
  const now = options.now ?? Date.now;
  const listeners: Array<(sessionId: string) => void> = [];
  const { cipher } = options;

  const toStored = (session: Session): StoredSession => {
    if (cipher === undefined) return session;
    const { upstreamToken, piiSecret, ...rest } = session;
    return { ...rest, sealed: cipher.seal(JSON.stringify([upstreamToken, piiSecret]), `${SEAL_PURPOSE}:${session.id}`) };
  };
  const fromStored = (stored: StoredSession): Session => {
    if (!('sealed' in stored)) return stored;
    if (cipher === undefined) throw new Error('a sealed session needs TOKEN_ENCRYPTION_KEY');
    const { sealed, ...rest } = stored;
    const [upstreamToken, piiSecret] = JSON.parse(cipher.open(sealed, `${SEAL_PURPOSE}:${stored.id}`)) as [string, string];
    return { ...rest, upstreamToken, piiSecret };
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
      await options.store.set(key(session.id), toStored(session), session.expiresAt - createdAt);
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
    async load(id) {
      const stored = await options.store.get<StoredSession>(key(id));
      if (stored === undefined || stored.expiresAt <= now()) return undefined;
      return fromStored(stored);
    },
    async end(id, reason) {
      await options.store.delete(key(id));
      audit(options.log, 'session.ended', { sessionId: id, reason });
      for (const listener of listeners) listener(id);
    },
    onEnd(listener) {
      listeners.push(listener);
    },
  };
}
