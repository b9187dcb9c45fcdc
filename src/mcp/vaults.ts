/**
 * Each session's PII vault. In one process the vault lives in memory. With a shared store, the
 * values a response tokenized are also appended to the store, sealed with TOKEN_ENCRYPTION_KEY, so
 * another replica can resolve a token this one issued: it merges them back by tokenizing the same
 * values again, which yields the same tokens (they are keyed hashes of the session's secret).
 */
import { createVault, type PiiCategory, type PiiVault } from '../pii/index.js';
import type { Session, TokenCipher } from '../sessions/index.js';
import type { Store } from '../store/index.js';

export interface VaultRegistry {
  vaultFor(session: Session): Promise<PiiVault>;
  /** Saves what the vault learned since the last save (shared store only). */
  persist(session: Session, vault: PiiVault): Promise<void>;
  /** Merges what other replicas saved; true when the vault learned something. */
  reload(session: Session, vault: PiiVault): Promise<boolean>;
  forget(sessionId: string): void;
}

interface Held {
  vault: PiiVault;
  /** Entries already saved or loaded from the shared store. */
  savedSize: number;
}

const TOKEN_CATEGORY = /^«PII:([A-Z_]+):/;
const listKey = (sessionId: string) => `vault:${sessionId}`;
const purpose = (sessionId: string) => `gatehouse-vault:${sessionId}`;

export function createVaultRegistry(options: { store?: Store; cipher?: TokenCipher; now?: () => number; limit?: number } = {}): VaultRegistry {
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 50_000;
  const held = new Map<string, Held>();
  const shared = options.store !== undefined && options.cipher !== undefined ? { store: options.store, cipher: options.cipher } : undefined;

  const merge = async (session: Session, entry: Held): Promise<boolean> => {
    if (!shared) return false;
    const items = await shared.store.list(listKey(session.id));
    const before = entry.vault.size;
    for (const item of items) {
      const [token, value] = JSON.parse(shared.cipher.open(item, purpose(session.id))) as [string, string];
      const category = TOKEN_CATEGORY.exec(token)?.[1];
      if (category !== undefined && entry.vault.resolve(token) === undefined) entry.vault.tokenize(category as PiiCategory, value);
    }
    entry.savedSize = Math.max(entry.savedSize, entry.vault.size);
    return entry.vault.size > before;
  };

  return {
    async vaultFor(session) {
      let entry = held.get(session.id);
      if (entry === undefined) {
        entry = { vault: createVault(Buffer.from(session.piiSecret, 'base64url')), savedSize: 0 };
        if (held.size >= limit) held.delete(held.keys().next().value!);
        held.set(session.id, entry);
        await merge(session, entry);
      }
      return entry.vault;
    },
    async persist(session, vault) {
      const entry = held.get(session.id);
      if (!shared || entry === undefined || entry.vault !== vault || vault.size <= entry.savedSize) return;
      const fresh = vault.toJSON().entries.slice(entry.savedSize);
      entry.savedSize = vault.size;
      const sealed = fresh.map(([token, value]) => shared.cipher.seal(JSON.stringify([token, value]), purpose(session.id)));
      await shared.store.append(listKey(session.id), sealed, Math.max(1, session.expiresAt - now()));
    },
    async reload(session, vault) {
      const entry = held.get(session.id);
      return entry !== undefined && entry.vault === vault ? merge(session, entry) : false;
    },
    forget(sessionId) {
      held.delete(sessionId);
    },
  };
}
