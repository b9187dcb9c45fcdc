/**
 * A copy of a session's vault in another thread, so a large result can be redacted off the event
 * loop. The session's vault stays the authority. The copy is fed what the vault learned since it
 * was last fed (a delta, by cursors over the vault's append-only lists); it redacts with the same
 * secret, so a value it has not seen gets the token the vault would give it, and it reports what
 * it learned (findings). The vault adopts the findings; where it had learned something the copy
 * had not and so gives a value another token, the result's text is rewritten to the vault's
 * tokens before it leaves. Plain data both ways, for postMessage.
 */

import type { KeyObject } from 'node:crypto';
import type { PiiCategory } from './categories.js';
import { TOKEN_PATTERN } from './token-format.js';
import { createVaultImpl, isVaultImpl, mirrorSeedOf, vaultInternals, type PiiVault, type VaultEntry, type VaultImpl } from './vault.js';

/** Where a copy stands in the vault's lists: entries, propagation log, name parts. */
export interface MirrorCursor {
  entries: number;
  log: number;
  parts: number;
}

export const START: MirrorCursor = { entries: 0, log: 0, parts: 0 };

/** What the vault learned since a cursor. */
export interface VaultDelta {
  entries: Array<[category: PiiCategory, value: string, token: string]>;
  /** Values to look for inside other strings. */
  propagated: Array<[category: PiiCategory, value: string]>;
  nameParts: string[];
}

/** What a copy learned while redacting one result (and before, not yet confirmed by a delta). */
export interface MirrorFindings {
  issued: Array<[category: PiiCategory, value: string, token: string]>;
  propagated: Array<[category: PiiCategory, value: string]>;
  nameParts: string[];
}

/** What a copy is made from: the vault's secret key and token length; undefined when `vault` cannot be mirrored (not from createVault or restoreVault). */
export function mirrorSeed(vault: PiiVault): { key: KeyObject; hexLength: number } | undefined {
  return isVaultImpl(vault) ? mirrorSeedOf(vault) : undefined;
}

export function deltaSince(vault: PiiVault, from: MirrorCursor): { delta: VaultDelta; next: MirrorCursor } {
  if (!isVaultImpl(vault)) throw new TypeError('only a vault from createVault or restoreVault can be mirrored');
  const { entries, propagateLog, nameParts } = vault;
  const delta: VaultDelta = { entries: [], propagated: [], nameParts: nameParts.slice(from.parts) };
  for (let i = from.entries; i < entries.length; i++) delta.entries.push([entries[i]!.category, entries[i]!.value, entries[i]!.token]);
  for (let i = from.log; i < propagateLog.length; i++) {
    const e = entries[propagateLog[i]!]!;
    delta.propagated.push([e.category, e.value]);
  }
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
    for (const [category, value, token] of delta.entries) {
      const e = v.mirrorEntry(category, value, token);
      if (e === undefined) return false;
      this.#unconfirmed.delete(e);
    }
    for (const [category, value] of delta.propagated) v.setPropagate(v.entry(category, value));
    for (const part of delta.nameParts) v.addNamePart(part);
    return true;
  }

  /** Runs `redact` and returns what the copy learned meanwhile. */
  learn<T>(redact: (vault: PiiVault) => T): { value: T; findings: MirrorFindings } {
    const v = this.#vault;
    const mark = { entries: v.entries.length, log: v.propagateLog.length, parts: v.nameParts.length };
    const value = redact(v);
    for (let i = mark.entries; i < v.entries.length; i++) this.#unconfirmed.add(v.entries[i]!);
    const findings: MirrorFindings = { issued: [], propagated: [], nameParts: v.nameParts.slice(mark.parts) };
    for (const e of this.#unconfirmed) findings.issued.push([e.category, e.value, e.token]);
    for (let i = mark.log; i < v.propagateLog.length; i++) {
      const e = v.entries[v.propagateLog[i]!]!;
      findings.propagated.push([e.category, e.value]);
    }
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
  for (const [category, value, token] of findings.issued) {
    const e = vault.adoptIssued(category, value, token);
    if (e.token !== token) (remap ??= new Map()).set(token, e.token);
  }
  const internals = vaultInternals(vault)!;
  for (const [category, value] of findings.propagated) internals.setPropagate(internals.entry(category, value));
  for (const part of findings.nameParts) internals.addNamePart(part);
  return remap;
}

/** `text` with each copy token of `remap` replaced by the vault's (one pass, so no chains). */
export function rewriteTokens(text: string, remap: ReadonlyMap<string, string>): string {
  return text.replace(TOKEN_PATTERN, (token) => remap.get(token) ?? token);
}
