/**
 * A copy of a session's vault in another thread, so a large result can be redacted off the event
 * loop. The session's vault stays the authority. The copy is fed what the vault learned since it
 * was last fed (a delta, by cursors over the vault's append-only lists); it redacts with the same
 * secret, so a value it has not seen gets the token the vault would give it, and it reports what
 * it learned (findings). The vault adopts the findings; where it had learned something the copy
 * had not and so gives a value another token, the result's text is rewritten to the vault's
 * tokens before it leaves. Plain data both ways, for postMessage, with the entries packed
 * (PackedEntries): a page of new people is thousands of entries.
 */

import type { KeyObject } from 'node:crypto';
import { PII_CATEGORIES, type PiiCategory } from './categories.js';
import { TOKEN_PATTERN } from './token-format.js';
import { createVaultImpl, isVaultImpl, mirrorSeedOf, vaultInternals, type PiiVault, type VaultEntry, type VaultImpl } from './vault.js';

/** Where a copy stands in the vault's lists: entries, propagation log, name parts. */
export interface MirrorCursor {
  entries: number;
  log: number;
  parts: number;
}

export const START: MirrorCursor = { entries: 0, log: 0, parts: 0 };

/**
 * Vault entries packed for postMessage. The 14,465 entries of a 1 MB page of new people, as an array
 * per entry, cost the event loop 7 ms to clone and more to collect; as two strings and a typed array
 * they clone in 1 ms (bench/HISTORY.md).
 */
export interface PackedEntries {
  /** Three numbers an entry: its category's index in PII_CATEGORIES, its value's length, its token's length. */
  sizes: Uint32Array;
  /** The values, one after the other. */
  values: string;
  tokens: string;
}

/**
 * Entries flagged to be looked for inside other strings, in the order flagged: `order[i]` ≥ 0 is an
 * index into the entries they come with, -1 - k is `others[k]`, an entry the receiver holds already.
 */
export interface PackedPropagation {
  order: Int32Array;
  others: Array<[category: PiiCategory, value: string]>;
}

/** What the vault learned since a cursor. */
export interface VaultDelta {
  entries: PackedEntries;
  propagated: PackedPropagation;
  nameParts: string[];
}

/** What a copy learned while redacting one result (and before, not yet confirmed by a delta). */
export interface MirrorFindings {
  issued: PackedEntries;
  propagated: PackedPropagation;
  nameParts: string[];
}

const CATEGORY_INDEX: ReadonlyMap<PiiCategory, number> = new Map(PII_CATEGORIES.map((category, i) => [category, i]));

function pack(entries: ReadonlyArray<Pick<VaultEntry, 'category' | 'value' | 'token'>>): PackedEntries {
  const sizes = new Uint32Array(entries.length * 3);
  const values = new Array<string>(entries.length);
  const tokens = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const { category, value, token } = entries[i]!;
    sizes[3 * i] = CATEGORY_INDEX.get(category)!;
    sizes[3 * i + 1] = value.length;
    sizes[3 * i + 2] = token.length;
    values[i] = value;
    tokens[i] = token;
  }
  return { sizes, values: values.join(''), tokens: tokens.join('') };
}

/**
 * Calls `each` with every packed entry in order, until it returns false; false then. Throws when the
 * sizes do not add up to the strings (a bug between the threads, never data to half-apply).
 */
function eachPacked(packed: PackedEntries, each: (category: PiiCategory, value: string, token: string) => boolean | void): boolean {
  const { sizes, values, tokens } = packed;
  let v = 0;
  let t = 0;
  for (let i = 0; i + 2 < sizes.length; i += 3) {
    v += sizes[i + 1]!;
    t += sizes[i + 2]!;
  }
  if (sizes.length % 3 !== 0 || v !== values.length || t !== tokens.length) throw new TypeError('packed vault entries whose sizes do not match their text');
  v = 0;
  t = 0;
  for (let i = 0; i < sizes.length; i += 3) {
    const category = PII_CATEGORIES[sizes[i]!];
    if (category === undefined) throw new TypeError('packed vault entry of no known category');
    const value = values.slice(v, (v += sizes[i + 1]!));
    const token = tokens.slice(t, (t += sizes[i + 2]!));
    if (each(category, value, token) === false) return false;
  }
  return true;
}

/** Entries as [category, value, token], to pack (tests, and deltas made by hand). */
export const packEntries = (entries: ReadonlyArray<readonly [category: PiiCategory, value: string, token: string]>): PackedEntries =>
  pack(entries.map(([category, value, token]) => ({ category, value, token })));

/** The packed entries as [category, value, token]. */
export function unpackEntries(packed: PackedEntries): Array<[category: PiiCategory, value: string, token: string]> {
  const entries: Array<[PiiCategory, string, string]> = [];
  eachPacked(packed, (category, value, token) => void entries.push([category, value, token]));
  return entries;
}

/** Nothing to propagate (deltas made by hand). */
export const NO_PROPAGATION: PackedPropagation = Object.freeze({ order: new Int32Array(0), others: Object.freeze([]) as unknown as PackedPropagation['others'] });

/**
 * `log` (indexes into `entries`, in the order flagged) packed: `positionOf` gives an entry's index
 * among the packed entries it travels with, or -1.
 */
function packPropagation(log: readonly number[], entries: readonly VaultEntry[], positionOf: (index: number) => number): PackedPropagation {
  const order = new Int32Array(log.length);
  const others: Array<[PiiCategory, string]> = [];
  for (let i = 0; i < log.length; i++) {
    const at = positionOf(log[i]!);
    if (at >= 0) order[i] = at;
    else {
      const e = entries[log[i]!]!;
      order[i] = -1 - others.length;
      others.push([e.category, e.value]);
    }
  }
  return { order, others };
}

/** Flags each entry of `propagated`: `arrived` are the entries it came with, as the receiver holds them. */
function flagPropagated(propagated: PackedPropagation, arrived: readonly VaultEntry[], internals: { entry(category: PiiCategory, value: string): VaultEntry; setPropagate(e: VaultEntry): void }): void {
  for (const at of propagated.order) {
    let e: VaultEntry | undefined;
    if (at >= 0) e = arrived[at];
    else {
      const other = propagated.others[-1 - at];
      if (other !== undefined) e = internals.entry(other[0], other[1]);
    }
    if (e === undefined) throw new TypeError('packed propagation refers to no entry');
    internals.setPropagate(e);
  }
}

/** What a copy is made from: the vault's secret key and token length; undefined when `vault` cannot be mirrored (not from createVault or restoreVault). */
export function mirrorSeed(vault: PiiVault): { key: KeyObject; hexLength: number } | undefined {
  return isVaultImpl(vault) ? mirrorSeedOf(vault) : undefined;
}

export function deltaSince(vault: PiiVault, from: MirrorCursor): { delta: VaultDelta; next: MirrorCursor } {
  if (!isVaultImpl(vault)) throw new TypeError('only a vault from createVault or restoreVault can be mirrored');
  const { entries, propagateLog, nameParts } = vault;
  const delta: VaultDelta = {
    entries: pack(entries.slice(from.entries)),
    propagated: packPropagation(propagateLog.slice(from.log), entries, (index) => (index >= from.entries ? index - from.entries : -1)),
    nameParts: nameParts.slice(from.parts),
  };
  return { delta, next: { entries: entries.length, log: propagateLog.length, parts: nameParts.length } };
}

export class VaultMirror {
  readonly #vault: VaultImpl;
  /**
   * Entries this copy issued that no delta has carried back yet. Every result reports all of them,
   * not only the ones it issued: a result computed before the vault adopted an earlier result's
   * findings may use such a token, and the vault must get the chance to overrule it there too.
   */
  readonly #unconfirmed = new Set<VaultEntry>();

  constructor(seed: { key: KeyObject; hexLength: number }) {
    this.#vault = createVaultImpl(seed.key, seed.hexLength);
  }

  get size(): number {
    return this.#vault.size;
  }

  /**
   * False when the vault holds a pair this copy contradicts (it overruled a token the copy issued):
   * the copy is then unusable, and its owner starts a new one from the whole vault.
   */
  apply(delta: VaultDelta): boolean {
    const v = this.#vault;
    const arrived: VaultEntry[] = [];
    const agrees = eachPacked(delta.entries, (category, value, token) => {
      const e = v.mirrorEntry(category, value, token);
      if (e === undefined) return false;
      this.#unconfirmed.delete(e);
      arrived.push(e);
    });
    if (!agrees) return false;
    flagPropagated(delta.propagated, arrived, v);
    for (const part of delta.nameParts) v.addNamePart(part);
    return true;
  }

  /** Runs `redact` and returns what the copy learned meanwhile. */
  learn<T>(redact: (vault: PiiVault) => T): { value: T; findings: MirrorFindings } {
    const v = this.#vault;
    const mark = { entries: v.entries.length, log: v.propagateLog.length, parts: v.nameParts.length };
    const value = redact(v);
    for (let i = mark.entries; i < v.entries.length; i++) this.#unconfirmed.add(v.entries[i]!);
    // In the set's order: those earlier results issued, then this one's, in the order made.
    const issued = [...this.#unconfirmed];
    const earlier = issued.length - (v.entries.length - mark.entries);
    let earlierAt: Map<VaultEntry, number> | undefined;
    const positionOf = (index: number) => {
      if (index >= mark.entries) return earlier + index - mark.entries;
      earlierAt ??= new Map(issued.slice(0, earlier).map((e, i) => [e, i]));
      return earlierAt.get(v.entries[index]!) ?? -1;
    };
    const findings: MirrorFindings = {
      issued: pack(issued),
      propagated: packPropagation(v.propagateLog.slice(mark.log), v.entries, positionOf),
      nameParts: v.nameParts.slice(mark.parts),
    };
    return { value, findings };
  }
}

/**
 * The session's vault takes what a copy learned. Returns the copy's tokens the vault replaced
 * (copy token -> vault token), or null when it kept every one (the usual case).
 */
export function adoptFindings(vault: PiiVault, findings: MirrorFindings): Map<string, string> | null {
  if (!isVaultImpl(vault)) throw new TypeError('only a vault from createVault or restoreVault can be mirrored');
  let remap: Map<string, string> | null = null;
  const arrived: VaultEntry[] = [];
  eachPacked(findings.issued, (category, value, token) => {
    const e = vault.adoptIssued(category, value, token);
    if (e.token !== token) (remap ??= new Map()).set(token, e.token);
    arrived.push(e);
  });
  const internals = vaultInternals(vault)!;
  flagPropagated(findings.propagated, arrived, internals);
  for (const part of findings.nameParts) internals.addNamePart(part);
  return remap;
}

/** `text` with each copy token of `remap` replaced by the vault's (one pass, so no chains). */
export function rewriteTokens(text: string, remap: ReadonlyMap<string, string>): string {
  return text.replace(TOKEN_PATTERN, (token) => remap.get(token) ?? token);
}
