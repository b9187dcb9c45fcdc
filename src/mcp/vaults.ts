/**
 * Each session's PII vault. In one process the vault lives in memory. With a shared store, the
 * values a response tokenized are also appended to the store, sealed with TOKEN_ENCRYPTION_KEY, so
 * another replica can resolve a token this one issued: one sealed item per tool call that learned
 * something, holding all its pairs. Merging keeps the exact tokens: after a clash
 * grew a token, replicas could disagree on which value got the short one, so a token that two
 * replicas gave to different values stops resolving (fail closed) instead of meaning two people.
 */
import { createVault, mergeVaultEntries, vaultPairsSince, type PiiVault } from '../pii/index.js';
import type { Session, TokenCipher } from '../sessions/index.js';
import type { Store } from '../store/index.js';

export interface VaultRegistry {
  vaultFor(session: Session): Promise<PiiVault>;
  /** After a tool call: accounts for the vault's growth and saves what it learned (shared store only). */
  persist(session: Session, vault: PiiVault): Promise<void>;
  /** Merges what other replicas saved; true when the vault learned something. */
  reload(session: Session, vault: PiiVault): Promise<boolean>;
  forget(sessionId: string): void;
  /** Stops the sweep of expired sessions' vaults. */
  close(): void;
}

interface Held {
  vault: PiiVault;
  /** Entries already saved or loaded from the shared store. */
  savedSize: number;
  /** Items of the shared store's list already merged: a merge reads only those appended since. */
  mergedItems: number;
  /** Entries counted in the registry's budget. */
  countedSize: number;
  /** The session's end: its personal data is not held past it. */
  expiresAt: number;
}

/**
 * Memory budget, in vault entries across sessions (PII_VAULT_ENTRIES). An entry is a value and its
 * token, with its place in the index propagation searches: ≈ 0.5 KB (bench/sessions-memory.ts: a
 * vault that redacted one 18-member page, 206 values, holds 101 KB), so 1,000,000 take ≈ 500 MB.
 * Beyond it the least recently used vaults are dropped: their tokens then resolve only after the
 * assistant searches again (or, with a shared store, from the store).
 */
const DEFAULT_ENTRY_BUDGET = 1_000_000;

const listKey = (sessionId: string) => `vault:${sessionId}`;
const purpose = (sessionId: string) => `gatehouse-vault:${sessionId}`;

type Pair = readonly [token: string, value: string];
/**
 * The pairs in one opened item: `[[token, value], …]`, all a tool call learned. Items written before
 * 2026-12-06 hold one pair each, `[token, value]`. Sealing a pair at a time cost an AES-GCM seal
 * and, on every other replica, an open per value: 1.7 ms for a 10 KB page of new people, 138 ms for
 * 1 MB, on the event loop (bench/new-values.ts).
 */
function pairsIn(item: unknown): Pair[] {
  if (!Array.isArray(item)) return [];
  if (typeof item[0] === 'string') return [item as unknown as Pair];
  return item.filter((pair): pair is Pair => Array.isArray(pair));
}

export function createVaultRegistry(
  options: {
    store?: Store;
    cipher?: TokenCipher;
    now?: () => number;
    limit?: number;
    entryBudget?: number;
    /** Told of every vault dropped (session ended or expired, or over the budget), so copies of it can go too. */
    onDrop?: (vault: PiiVault) => void;
    /** How often vaults of expired sessions are dropped (an expiry fires no end event). */
    sweepIntervalMs?: number;
  } = {},
): VaultRegistry {
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 50_000;
  const entryBudget = options.entryBudget ?? DEFAULT_ENTRY_BUDGET;
  /** In least-recently-used order: a vault is moved to the end whenever it is used. */
  const held = new Map<string, Held>();
  let totalEntries = 0;
  const drop = (sessionId: string) => {
    const entry = held.get(sessionId);
    if (entry === undefined) return;
    totalEntries -= entry.countedSize;
    held.delete(sessionId);
    options.onDrop?.(entry.vault);
  };
  const trim = (keep: string) => {
    for (const sessionId of held.keys()) {
      if (held.size <= limit && totalEntries <= entryBudget) return;
      if (sessionId !== keep) drop(sessionId);
    }
  };
  const sweep = setInterval(() => {
    const at = now();
    for (const [sessionId, entry] of held) if (entry.expiresAt <= at) drop(sessionId);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();
  const shared = options.store !== undefined && options.cipher !== undefined ? { store: options.store, cipher: options.cipher } : undefined;

  const merge = async (session: Session, entry: Held): Promise<boolean> => {
    if (!shared) return false;
    // The list only grows while the session lives, and it ends with the session, as this vault does.
    const from = entry.mergedItems;
    const items = await shared.store.list(listKey(session.id), from);
    const pairs = items.flatMap((item) => pairsIn(JSON.parse(shared.cipher.open(item, purpose(session.id)))));
    const allSaved = entry.savedSize >= entry.vault.size;
    const { added } = mergeVaultEntries(entry.vault, pairs);
    // Merged entries are already in the store; entries this replica has not saved yet still must be.
    if (allSaved) entry.savedSize = entry.vault.size;
    // Counted once merged (an item that cannot be opened is read again next time); two merges at once read the same items.
    entry.mergedItems = Math.max(entry.mergedItems, from + items.length);
    return added > 0;
  };

  return {
    async vaultFor(session) {
      let entry = held.get(session.id);
      if (entry === undefined) {
        entry = { vault: createVault(Buffer.from(session.piiSecret, 'base64url')), savedSize: 0, mergedItems: 0, countedSize: 0, expiresAt: session.expiresAt };
        held.set(session.id, entry);
        trim(session.id);
        await merge(session, entry);
      } else {
        held.delete(session.id);
        held.set(session.id, entry);
      }
      return entry.vault;
    },
    async persist(session, vault) {
      const entry = held.get(session.id);
      if (entry === undefined || entry.vault !== vault) return;
      totalEntries += vault.size - entry.countedSize;
      entry.countedSize = vault.size;
      trim(session.id);
      if (!shared || vault.size <= entry.savedSize) return;
      const upTo = vault.size;
      const fresh = vaultPairsSince(vault, entry.savedSize);
      await shared.store.append(listKey(session.id), [shared.cipher.seal(JSON.stringify(fresh), purpose(session.id))], Math.max(1, session.expiresAt - now()));
      // Counted as saved once they are: after a failed append the next call saves them again. Calls
      // that overlap may save a pair twice, which merging takes as known.
      entry.savedSize = Math.max(entry.savedSize, upTo);
    },
    async reload(session, vault) {
      const entry = held.get(session.id);
      return entry !== undefined && entry.vault === vault ? merge(session, entry) : false;
    },
    forget: drop,
    close: () => clearInterval(sweep),
  };
}
