/**
 * The per-session vault: value <-> token. Tokens are HMAC-SHA256(secret, category, value) truncated
 * to 8 hex digits, so they are stable within a session and unlinkable across sessions; a clash
 * within a session grows the new token's hex until it is unique. Values are memoized, so a value is
 * hashed once per session. Holds PII in memory; storing `toJSON()` elsewhere stores PII too.
 * Does no I/O.
 */

import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { PII_CATEGORIES, type PiiCategory } from './categories.js';
import { formatToken, parseToken } from './token-format.js';

export interface PiiVault {
  tokenize(category: PiiCategory, value: string): string;
  /** The value of a token this vault issued (canonical form only), else undefined. */
  resolve(token: string): string | undefined;
  readonly size: number;
  toJSON(): SerializedVault;
}

/** Plain JSON. `entries` are [token, value, flags]; flags are internal propagation hints. */
export interface SerializedVault {
  v: 1;
  hexLength: number;
  entries: Array<[token: string, value: string, flags: number]>;
  /** Parts of person names (first/last names) that propagation looks for in other strings. */
  nameParts: string[];
}

export interface VaultOptions {
  /** Hex digits in a new token, 1..64 (default 8). Small values exist to test clash growth. */
  tokenHexLength?: number;
}

export interface RestoreOptions {
  /** Recompute every token from the secret and reject the data if one does not match (costs one HMAC per entry). */
  verifyTokens?: boolean;
}

export const MIN_SECRET_BYTES = 32;
const DEFAULT_HEX_LENGTH = 8;

/** Propagation flags, internal. */
export const FLAG_PROPAGATE = 1;
export const FLAG_PARTS_DERIVED = 2;

export interface VaultEntry {
  readonly token: string;
  readonly category: PiiCategory;
  readonly value: string;
  flags: number;
}

/** An entry of a vault from createVault: knows its place in `entries` (no index Map per vault). */
interface IndexedEntry extends VaultEntry {
  readonly index: number;
}

const CATEGORIES: ReadonlySet<string> = new Set(PII_CATEGORIES);

/** What the redaction module needs beyond the public interface. */
export interface VaultInternals {
  entry(category: PiiCategory, value: string): VaultEntry;
  readonly entries: readonly VaultEntry[];
  /** Indexes of entries that became FLAG_PROPAGATE, in order; consumers keep a cursor. */
  readonly propagateLog: readonly number[];
  setPropagate(e: VaultEntry): void;
  addNamePart(part: string): void;
  readonly nameParts: readonly string[];
}

/** The session vault's class, for vault-mirror.ts only. */
export type VaultImpl = Vault;

export function isVaultImpl(vault: PiiVault): vault is Vault {
  return vault instanceof Vault;
}

/**
 * What a copy of `vault` in a result worker is made from (vault-mirror.ts only): the secret, so the
 * copy issues the same tokens. A function, not a property, so the secret is not on every vault.
 */
export function mirrorSeedOf(vault: Vault): { key: KeyObject; hexLength: number } {
  return { key: keyOf.get(vault)!, hexLength: vault.hexLength };
}

/** Each vault's secret, kept here rather than on the vault so that only this module reads it. */
const keyOf = new WeakMap<Vault, KeyObject>();

/** `key` is the session vault's own (KeyObjects pass to worker threads intact). */
export function createVaultImpl(key: KeyObject, hexLength: number): Vault {
  const vault = new Vault(key, checkHexLength(hexLength));
  internalsOf.set(vault, vault);
  return vault;
}

const internalsOf = new WeakMap<PiiVault, VaultInternals>();

export function vaultInternals(vault: PiiVault): VaultInternals | undefined {
  return internalsOf.get(vault);
}

function checkSecret(secret: Uint8Array): KeyObject {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new RangeError(`PII vault secret must be at least ${MIN_SECRET_BYTES} random bytes`);
  }
  return createSecretKey(Buffer.from(secret));
}

function checkHexLength(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError('tokenHexLength must be an integer in 1..64');
  return n;
}

class Vault implements PiiVault, VaultInternals {
  readonly #hexLength: number;
  // Collections are made on first use: most sessions hold few entries, and a vault per active
  // session must stay small (an empty Map is ~190 bytes; the eager layout was 3.2 KB a vault).
  // One Map by value for the common case of a value seen under one category: one lookup on the hot
  // path, and fewer Maps a vault. A value also seen under another category is found in #byCategoryValue.
  #byValue: Map<string, IndexedEntry> | undefined;
  #byCategoryValue: Map<string, IndexedEntry> | undefined;
  #byToken: Map<string, IndexedEntry> | undefined;
  readonly entries: IndexedEntry[] = [];
  readonly propagateLog: number[] = [];
  readonly nameParts: string[] = [];
  #namePartSet: Set<string> | undefined;
  #ambiguous: Set<string> | undefined;

  constructor(key: KeyObject, hexLength: number) {
    this.#hexLength = hexLength;
    keyOf.set(this, key);
  }

  get size(): number {
    return this.entries.length;
  }

  get hexLength(): number {
    return this.#hexLength;
  }

  tokenize(category: PiiCategory, value: string): string {
    if (!CATEGORIES.has(category)) throw new TypeError('unknown PII category');
    return this.entry(category, value).token;
  }

  entry(category: PiiCategory, value: string): VaultEntry {
    const v = typeof value === 'string' ? value : String(value);
    const hit = this.#find(category, v);
    if (hit !== undefined) return hit;
    return this.#add(this.#newToken(category, v), category, v);
  }

  resolve(token: string): string | undefined {
    if (this.#ambiguous?.has(token)) return undefined;
    return this.#byToken?.get(token)?.value;
  }

  setPropagate(e: VaultEntry): void {
    if ((e.flags & FLAG_PROPAGATE) !== 0) return;
    e.flags |= FLAG_PROPAGATE;
    const i = (e as Partial<IndexedEntry>).index;
    if (i !== undefined && this.entries[i] === e) this.propagateLog.push(i);
  }

  addNamePart(part: string): void {
    this.#namePartSet ??= new Set();
    if (this.#namePartSet.has(part)) return;
    this.#namePartSet.add(part);
    this.nameParts.push(part);
  }

  toJSON(): SerializedVault {
    return {
      v: 1,
      hexLength: this.#hexLength,
      entries: this.entries.map((e) => [e.token, e.value, e.flags]),
      nameParts: [...this.nameParts],
    };
  }

  #find(category: PiiCategory, value: string): IndexedEntry | undefined {
    const e = this.#byValue?.get(value);
    if (e === undefined || e.category === category) return e;
    return this.#byCategoryValue?.get(`${category}\u0000${value}`);
  }

  #add(token: string, category: PiiCategory, value: string): IndexedEntry {
    const e: IndexedEntry = { token, category, value, flags: 0, index: this.entries.length };
    this.#byValue ??= new Map();
    if (this.#byValue.has(value)) (this.#byCategoryValue ??= new Map()).set(`${category}\u0000${value}`, e);
    else this.#byValue.set(value, e);
    (this.#byToken ??= new Map()).set(token, e);
    this.entries.push(e);
    return e;
  }

  #newToken(category: PiiCategory, value: string): string {
    const digest = this.#digest(category, value);
    for (let len = this.#hexLength; ; len++) {
      const token = formatToken(category, digest.slice(0, len));
      if (!this.#byToken?.has(token)) return token;
      if (len >= 64) break;
    }
    // A full 256-bit clash: practically impossible, but never issue a duplicate.
    for (let n = 1; ; n++) {
      const token = formatToken(category, this.#digest(category, value, n).slice(0, this.#hexLength));
      if (!this.#byToken?.has(token)) return token;
    }
  }

  #digest(category: PiiCategory, value: string, round = 0): string {
    const h = createHmac('sha256', keyOf.get(this)!);
    h.update(round === 0 ? `${category}\u0000` : `${category}\u0000${round}\u0000`);
    return h.update(value, 'utf8').digest('hex');
  }

  /** True when `token` is what this vault's secret gives for (category, value) under the growth rule. */
  matchesSecret(e: VaultEntry): boolean {
    const parsed = parseToken(e.token);
    if (!parsed) return false;
    if (parsed.hex.length > 64) return false;
    return this.#digest(e.category, e.value).startsWith(parsed.hex) && parsed.hex.length >= this.#hexLength;
  }

  // Three ways an entry made elsewhere comes in, each with the rule its source needs:
  // - importEntry: another replica's pair, checked against the secret; a token that means another
  //   value here stops resolving (fail closed), since neither replica is the authority.
  // - mirrorEntry: the session vault's pair, into a worker's copy; the vault is the authority, so a
  //   disagreement discards the copy.
  // - adoptIssued: a worker copy's pair, into the session vault; the vault is the authority, so a
  //   disagreement keeps the vault's token and the result is rewritten to it.

  /** Adds an exact pair issued by another replica; see mergeVaultEntries. */
  importEntry(token: string, value: string): 'added' | 'known' | 'conflict' | 'invalid' {
    const parsed = parseToken(token);
    if (!parsed || typeof value !== 'string') return 'invalid';
    const byToken = this.#byToken?.get(token);
    if (byToken !== undefined) {
      if (byToken.value === value) return 'known';
      // The same token stands for different values on two replicas: resolve neither (fail closed).
      (this.#ambiguous ??= new Set()).add(token);
      return 'conflict';
    }
    if (!this.matchesSecret({ token, category: parsed.category, value, flags: 0 })) return 'invalid';
    const byValue = this.#find(parsed.category, value);
    if (byValue !== undefined) {
      // Two replicas grew different tokens for one value: both resolve to it, tokenize keeps ours.
      (this.#byToken ??= new Map()).set(token, byValue);
      return 'added';
    }
    this.#add(token, parsed.category, value);
    return 'added';
  }

  /**
   * Mirror side (a result worker's copy of a session's vault): takes an entry exactly as the
   * session's vault holds it. Undefined when this copy disagrees: it gave the value another token,
   * or gave the token to another value (the vault overruled it after a clash). The copy is then
   * thrown away, not corrected: tokens are copied into caches (propagation candidates), and a
   * token renamed under them would go out meaning another value.
   */
  mirrorEntry(category: PiiCategory, value: string, token: string): IndexedEntry | undefined {
    const known = this.#find(category, value);
    if (known !== undefined) return known.token === token ? known : undefined;
    if (this.#byToken?.has(token)) return undefined;
    return this.#add(token, category, value);
  }

  /**
   * Session side: an entry a result worker issued from its mirror. Same secret and the same growth
   * rule give the same token unless this vault learned something the mirror had not (a value, or a
   * token taken by another value); then this vault's token wins. The token is taken without an HMAC
   * to check it: it comes from this process's own worker. Returns the entry, with the token to use.
   */
  adoptIssued(category: PiiCategory, value: string, token: string): VaultEntry {
    const known = this.#find(category, value);
    if (known !== undefined) return known;
    const parsed = parseToken(token);
    if (parsed === undefined || parsed.category !== category || this.#byToken?.has(token)) return this.entry(category, value);
    return this.#add(token, category, value);
  }

  restoreEntry(token: string, value: string, flags: number): void {
    const parsed = parseToken(token);
    if (!parsed || typeof value !== 'string') throw new TypeError('invalid serialized PII vault entry');
    if (this.#byToken?.has(token) || this.#find(parsed.category, value) !== undefined) {
      throw new TypeError('duplicate serialized PII vault entry');
    }
    const e = this.#add(token, parsed.category, value);
    if ((flags & FLAG_PROPAGATE) !== 0) this.setPropagate(e);
    e.flags |= flags & FLAG_PARTS_DERIVED;
  }
}

/**
 * The [token, value] pairs `vault` learned from its `from`-th entry on, in the order it learned
 * them: what a replica has not saved yet, without copying the whole vault (toJSON) for it.
 */
export function vaultPairsSince(vault: PiiVault, from: number): Array<[token: string, value: string]> {
  const internals = internalsOf.get(vault);
  if (internals === undefined) return vault.toJSON().entries.slice(from).map(([token, value]) => [token, value]);
  const pairs: Array<[string, string]> = [];
  for (let i = Math.max(0, from); i < internals.entries.length; i++) pairs.push([internals.entries[i]!.token, internals.entries[i]!.value]);
  return pairs;
}

export function createVault(secret: Uint8Array, options: VaultOptions = {}): PiiVault {
  const vault = new Vault(checkSecret(secret), checkHexLength(options.tokenHexLength ?? DEFAULT_HEX_LENGTH));
  internalsOf.set(vault, vault);
  return vault;
}

/**
 * Merges [token, value] pairs another replica issued for the same session into `vault`, keeping
 * their exact tokens. Safer than re-tokenizing the values: after a clash grew a token, two replicas
 * can disagree on which value got the short token, and re-tokenizing would then make one token
 * resolve to different values on different replicas. A pair whose token this vault already gives
 * to another value is a conflict: that token stops resolving here (fail closed, the caller reports
 * it as unresolved). A token that does not match the secret is invalid and skipped.
 */
export function mergeVaultEntries(
  vault: PiiVault,
  entries: Iterable<readonly [token: string, value: string, ...rest: unknown[]]>,
): { added: number; conflicts: number; invalid: number } {
  if (!isVaultImpl(vault)) throw new TypeError('mergeVaultEntries needs a vault from createVault or restoreVault');
  const counts = { added: 0, conflicts: 0, invalid: 0 };
  for (const [token, value] of entries) {
    const r = vault.importEntry(token, value);
    if (r === 'added') counts.added++;
    else if (r === 'conflict') counts.conflicts++;
    else if (r === 'invalid') counts.invalid++;
  }
  return counts;
}

export function restoreVault(secret: Uint8Array, data: SerializedVault, options: RestoreOptions = {}): PiiVault {
  if (data === null || typeof data !== 'object' || data.v !== 1 || !Array.isArray(data.entries)) {
    throw new TypeError('unsupported serialized PII vault');
  }
  const vault = new Vault(checkSecret(secret), checkHexLength(data.hexLength));
  for (const item of data.entries) {
    if (!Array.isArray(item)) throw new TypeError('invalid serialized PII vault entry');
    const [token, value, flags] = item;
    vault.restoreEntry(token, value, typeof flags === 'number' ? flags : 0);
  }
  if (options.verifyTokens) {
    for (const e of vault.entries) {
      if (!vault.matchesSecret(e)) throw new TypeError('serialized PII vault does not match this secret');
    }
  }
  for (const part of Array.isArray(data.nameParts) ? data.nameParts : []) {
    if (typeof part === 'string') vault.addNamePart(part);
  }
  internalsOf.set(vault, vault);
  return vault;
}

