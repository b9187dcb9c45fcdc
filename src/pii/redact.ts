/**
 * The PII filter: deep-redacts a JSON value in one walk, then propagates what it found.
 *
 * Layers, in order: (1) catalog field categories and (2) field-name rules tokenize a field's whole
 * value (every leaf under it when it is an object or array); (3) value detectors run on every
 * other string (and on keys that look like data); (4) propagation replaces values known to the
 * session wherever they appear inside other strings (not inside single-word values of fields the
 * catalog types as ids, enums or dates). Returns a new value; never mutates the input.
 * Knows nothing of MCP: callers decide when the filter applies.
 */

import type { PiiCategory } from './categories.js';
import { scanValue, type DetectSink } from './detect-values.js';
import { knownValuesOf, namePartsOf, shouldPropagate, KnownValues } from './known-values.js';
import { compiled, type CompiledPolicy, type RedactionPolicy } from './redaction-policy.js';
import { isToken, mapOutsideTokens } from './token-format.js';
import {
  FLAG_PARTS_DERIVED,
  FLAG_PROPAGATE,
  vaultInternals,
  type PiiVault,
  type VaultEntry,
  type VaultInternals,
} from './vault.js';

const MAX_DEPTH = 512;
/** Own keys only, as Object.keys gives them; V8 optimizes this call inside a for-in. */
const hasOwn = Object.prototype.hasOwnProperty;
const FLAG_CHECKED = 4;

type Container = Record<string, unknown> | unknown[];

/** For vaults not made by createVault: same behaviour, propagation limited to one call. */
class LocalInternals implements VaultInternals {
  readonly entries: VaultEntry[] = [];
  readonly propagateLog: number[] = [];
  readonly nameParts: string[] = [];
  readonly #seen = new Map<string, VaultEntry>();
  constructor(private readonly vault: PiiVault) {}
  entry(category: PiiCategory, value: string): VaultEntry {
    const k = `${category}\u0000${value}`;
    let e = this.#seen.get(k);
    if (e === undefined) {
      e = { token: this.vault.tokenize(category, value), category, value, flags: 0 };
      this.#seen.set(k, e);
      this.entries.push(e);
    }
    return e;
  }
  setPropagate(e: VaultEntry): void {
    if ((e.flags & FLAG_PROPAGATE) !== 0) return;
    e.flags |= FLAG_PROPAGATE;
    this.propagateLog.push(this.entries.indexOf(e));
  }
  addNamePart(part: string): void {
    if (!this.nameParts.includes(part)) this.nameParts.push(part);
  }
}

/** A value of an id, enum or date field that reads as one: no spaces, no e-mail. */
function isAtom(v: string): boolean {
  return !/[\s@]/.test(v);
}

/** Puts `o`'s keys in `order` (first occurrence wins), as if it had been built key by key. */
function keepInputOrder(o: Record<string, unknown>, order: readonly string[]): void {
  const keys = [...new Set(order)];
  const values = keys.map((k) => o[k]);
  for (const k of Object.keys(o)) delete o[k];
  keys.forEach((k, i) => setProp(o, k, values[i]));
}

function setProp(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

class Walk implements DetectSink {
  readonly #containers: Container[] = [];
  readonly #keys: Array<string | number> = [];
  readonly #dataKeyObjects: Array<Record<string, unknown>> = [];
  emailSeen = false;

  constructor(
    readonly policy: CompiledPolicy | null,
    readonly vault: PiiVault,
    readonly internals: VaultInternals,
    readonly known: KnownValues,
  ) {}

  #entry(category: PiiCategory, value: string): VaultEntry {
    const e = this.internals.entry(category, value);
    if ((e.flags & (FLAG_PROPAGATE | FLAG_CHECKED)) === 0) {
      e.flags |= FLAG_CHECKED;
      if (shouldPropagate(category, value)) this.internals.setPropagate(e);
    }
    return e;
  }

  tokenizeDetected(category: PiiCategory, value: string): string {
    if (category === 'EMAIL') this.emailSeen = true;
    return this.#entry(category, value).token;
  }

  /** A field's whole value. */
  field(v: string, category: PiiCategory, explicitName: boolean): string {
    if (v.trim().length === 0) return v;
    if (v.charCodeAt(0) === 0xab && isToken(v)) return v;
    if (v.includes('«PII:')) {
      return mapOutsideTokens(v, (seg) => (seg.trim().length === 0 ? seg : this.field(seg, category, explicitName)));
    }
    const e = this.#entry(category, v);
    if (explicitName && (e.flags & FLAG_PARTS_DERIVED) === 0) {
      e.flags |= FLAG_PARTS_DERIVED;
      for (const part of namePartsOf(v)) this.internals.addNamePart(part);
    }
    return e.token;
  }

  #record(c: Container, k: string | number, r: unknown): void {
    if (typeof r === 'string' && r.length >= 3) {
      this.#containers.push(c);
      this.#keys.push(k);
    }
  }

  value(v: unknown, category: PiiCategory | null, explicitName: boolean, personParent: boolean, depth: number, key: string): unknown {
    switch (typeof v) {
      case 'string':
        return category !== null ? this.field(v, category, explicitName) : scanValue(v, this);
      case 'number':
      case 'bigint':
        return category !== null ? this.field(String(v), category, explicitName) : v;
      case 'object': {
        if (v === null) return v;
        if (depth > MAX_DEPTH) throw new RangeError('value nests too deeply to redact');
        let o: object = v;
        const toJSON = (o as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') {
          const j: unknown = toJSON.call(o, key);
          if (j === null || typeof j !== 'object') return this.value(j, category, explicitName, personParent, depth, key);
          o = j;
        }
        return Array.isArray(o)
          ? this.#array(o, category, explicitName, personParent, depth)
          : this.#object(o as Record<string, unknown>, category, explicitName, personParent, depth);
      }
      default:
        return v;
    }
  }

  #array(a: readonly unknown[], category: PiiCategory | null, explicitName: boolean, personParent: boolean, depth: number): unknown[] {
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) {
      const r = this.value(a[i], category, explicitName, personParent, depth + 1, String(i));
      out[i] = r;
      if (category === null && typeof a[i] === 'string') this.#record(out, i, r);
    }
    return out;
  }

  #object(
    o: Record<string, unknown>,
    inherited: PiiCategory | null,
    inheritedExplicit: boolean,
    personParent: boolean,
    depth: number,
  ): Record<string, unknown> {
    const policy = this.policy;
    // A copy with the same keys in the same order, every value replaced below: overwriting existing
    // properties is much cheaper than adding them one by one (no hidden-class transition per key).
    // JSON values have no symbol keys, and nothing is returned before every key is overwritten.
    const out: Record<string, unknown> = { ...o };
    let deferred: Array<[string, string]> | null = null;
    let personEvidence = personParent;
    let dataKeys = false;
    let renamed: Map<string, string> | null = null;
    // for-in, not Object.keys: V8 reads `o[k]` through the enum cache and makes no keys array
    // (≈ 10–15 % of the filter on a 10 KB page; bench/HISTORY.md, "The filter's walk over own keys with for-in").
    for (const k in o) {
      if (!hasOwn.call(o, k)) continue;
      const child = o[k];
      if (policy === null) {
        out[k] = this.value(child, inherited, inheritedExplicit, false, depth + 1, k);
        continue;
      }
      const info = policy.classify(k);
      let outKey = k;
      if (info.keyIsData) {
        outKey = scanValue(k, this);
        dataKeys = true;
        if (outKey !== k) {
          delete out[k];
          (renamed ??= new Map()).set(k, outKey);
        }
      }
      if (info.category !== null && info.personContext && inherited === null && !personEvidence) {
        (deferred ??= []).push([k, outKey]);
        setProp(out, outKey, undefined);
        continue;
      }
      if (info.marksPerson) personEvidence = true;
      const own = info.category;
      const category = own ?? inherited;
      this.emailSeen = false;
      const r = this.value(child, category, own !== null ? info.explicitName : inheritedExplicit, info.personKey, depth + 1, k);
      setProp(out, outKey, r);
      if (category === null && typeof child === 'string') {
        if (this.emailSeen) personEvidence = true;
        if (!info.atomic || !isAtom(child)) this.#record(out, outKey, r);
      }
    }
    if (deferred !== null) {
      for (const [k, outKey] of deferred) {
        const info = policy!.classify(k);
        const category = personEvidence ? info.category : null;
        const child = o[k];
        const r = this.value(child, category, false, info.personKey, depth + 1, k);
        setProp(out, outKey, r);
        if (category === null && typeof child === 'string' && (!info.atomic || !isAtom(child))) this.#record(out, outKey, r);
      }
    }
    if (renamed !== null) keepInputOrder(out, Object.keys(o).map((k) => renamed.get(k) ?? k));
    if (dataKeys) this.#dataKeyObjects.push(out);
    return out;
  }

  /** Layer 4: replace known values inside every string left as text, then inside data-like keys. */
  propagate(): void {
    this.known.sync(this.internals);
    if (this.known.size === 0) return;
    for (let i = 0; i < this.#containers.length; i++) {
      const c = this.#containers[i]!;
      const k = this.#keys[i]!;
      const s = (c as Record<string | number, unknown>)[k];
      if (typeof s !== 'string') continue;
      const r = this.known.replace(s, this.vault);
      if (r === null) continue;
      if (typeof k === 'number') (c as unknown[])[k] = r;
      else setProp(c as Record<string, unknown>, k, r);
    }
    for (const o of this.#dataKeyObjects) {
      const keys = Object.keys(o);
      const renamed = keys.map((k) => this.known.replace(k, this.vault));
      if (renamed.every((r) => r === null)) continue;
      const values = keys.map((k) => o[k]);
      for (const k of keys) delete o[k];
      keys.forEach((k, i) => setProp(o, renamed[i] ?? k, values[i]));
    }
  }
}

function walkFor(vault: PiiVault, policy: CompiledPolicy | null): Walk {
  const internals = vaultInternals(vault);
  if (internals !== undefined) return new Walk(policy, vault, internals, knownValuesOf(vault));
  return new Walk(policy, vault, new LocalInternals(vault), new KnownValues());
}

/** Deep-redacts any JSON value: returns a new value, the input is not mutated. */
export function redact(value: unknown, vault: PiiVault, policy: RedactionPolicy): unknown {
  const walk = walkFor(vault, compiled(policy));
  const out = walk.value(value, null, false, false, 0, '');
  walk.propagate();
  return out;
}

/** Redacts free text (error messages, upstream messages): value detectors + values already known to the vault. */
export function redactText(text: string, vault: PiiVault): string {
  const s = typeof text === 'string' ? text : String(text);
  const walk = walkFor(vault, null);
  const scanned = scanValue(s, walk);
  walk.known.sync(walk.internals);
  return walk.known.replace(scanned, vault) ?? scanned;
}

/*
 * Whether redactText would change `text`, in two halves: the detectors, and the values known to the
 * session. Neither issues a token or adds to the vault, so asking them about text the assistant chose
 * (an upstream message repeating its arguments) answers at most yes or no, never which hidden value
 * a guess equals (src/mcp/upstream-message.ts asks each about different text).
 */

/** Whether the value detectors find anything in `text` (an e-mail, a phone, a birth date after "born", …); needs no vault. */
export function detectsPersonalData(text: string): boolean {
  let found = false;
  scanValue(text, {
    tokenizeDetected: (_category, value) => {
      found = true;
      return value;
    },
  });
  return found;
}
