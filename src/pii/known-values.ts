/**
 * Propagation: values already found (in this response or earlier in the session) are replaced
 * wherever they appear inside other strings: longest first, case-insensitively, on word
 * boundaries. Parts of person names (first/last names, >= 3 letters) are matched too, but only
 * where the occurrence starts with a capital letter (or an uncased script), so "Will Green" does
 * not turn every "will" into a token. Known values are indexed by a hash of their first one to
 * three words, so a scan is one pass over the text with at most three Map lookups per word,
 * whatever the number of values.
 */

import type { PiiCategory } from './categories.js';
import { TOKEN_AT } from './token-format.js';
import { isAscii, matchKey, originalSpan, viewOf, type TextView } from './text-view.js';
import type { PiiVault, VaultInternals } from './vault.js';

interface Candidate {
  key: string;
  lead: number;
  part: boolean;
  category: PiiCategory;
  original: string;
  token: string | null;
}

const MIN_KEY_LENGTH = 3;
const NAME_PARTICLES = new Set([
  'van', 'von', 'der', 'den', 'del', 'della', 'des', 'dos', 'das', 'les', 'los', 'las', 'ter', 'ten', 'bin', 'ibn',
  'mrs', 'miss', 'prof', 'sir', 'dame', 'the', 'and', 'jnr', 'snr',
]);

const wordTable = new Uint8Array(0x10000); // 0 unknown, 1 word, 2 not
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWord(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let w = wordTable[c]!;
  if (w === 0) {
    w = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    wordTable[c] = w;
  }
  return w === 1;
}

/** Should a tokenized value be looked for inside other strings? */
export function shouldPropagate(category: PiiCategory, value: string): boolean {
  if (category === 'BIO' || category === 'DOB') return false;
  if (value.length < MIN_KEY_LENGTH) return false;
  if (/\p{L}/u.test(value)) {
    // A lone city or street word is too common a word to chase through every string.
    return category !== 'ADDRESS' || /[\d\s]/.test(value.trim());
  }
  let digits = 0;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x30 && value.charCodeAt(i) <= 0x39) digits++;
  return digits >= 7;
}

/** First/last names of a person's name worth looking for on their own. */
export function namePartsOf(name: string): string[] {
  if (/[@\d]/.test(name)) return [];
  const words = name.split(/[^\p{L}\p{M}'’]+/u).filter((w) => w.length > 0);
  if (words.length > 5) return [];
  return words.filter((w) => w.length >= MIN_KEY_LENGTH && !NAME_PARTICLES.has(w.toLowerCase()));
}

function isSingleWord(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (!isWord(key.charCodeAt(i))) return false;
  return true;
}

function wordEnd(t: string, i: number): number {
  while (i < t.length && isWord(t.charCodeAt(i))) i++;
  return i;
}

/** Start of the next word if at most 3 separator characters away (and no token starts), else -1. */
function nextWordStart(t: string, i: number): number {
  for (let k = 0; k < 3 && i < t.length; k++, i++) {
    const c = t.charCodeAt(i);
    if (isWord(c)) return k === 0 ? -1 : i;
    if (c === 0xab) return -1;
  }
  return i < t.length && isWord(t.charCodeAt(i)) ? i : -1;
}

/** Hash of t[from, to), ASCII letters folded to lower case (keys are lower case already). */
function hashSpan(t: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) {
    let c = t.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h;
}

/** Does t have `key` (lower case) at `at`, ASCII case-insensitively? */
function hasKeyAt(t: string, key: string, at: number): boolean {
  for (let k = 0; k < key.length; k++) {
    let c = t.charCodeAt(at + k);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== key.charCodeAt(k)) return false;
  }
  return true;
}

export class KnownValues {
  #logCursor = 0;
  #partsCursor = 0;
  readonly #bySingle = new Map<number, Candidate[]>();
  readonly #byPair = new Map<number, Candidate[]>();
  readonly #byTriple = new Map<number, Candidate[]>();
  readonly #byKey = new Map<string, Candidate>();

  get size(): number {
    return this.#byKey.size;
  }

  sync(internals: VaultInternals): void {
    const log = internals.propagateLog;
    while (this.#logCursor < log.length) {
      const e = internals.entries[log[this.#logCursor++]!]!;
      this.#add(e.value, e.category, false, e.token);
    }
    const parts = internals.nameParts;
    while (this.#partsCursor < parts.length) this.#add(parts[this.#partsCursor++]!, 'NAME', true, null);
  }

  #add(original: string, category: PiiCategory, asPart: boolean, token: string | null): void {
    const key = matchKey(original);
    if (key.length < MIN_KEY_LENGTH) return;
    // A one-word name (a firstName or lastName field) is matched like a name part: capitalized only.
    const part = asPart || (category === 'NAME' && isSingleWord(key));
    const existing = this.#byKey.get(key);
    if (existing !== undefined) {
      if (existing.part && !part) Object.assign(existing, { part: false, category, original, token });
      return;
    }
    let lead = 0;
    while (lead < key.length && !isWord(key.charCodeAt(lead))) lead++;
    if (lead === key.length) return;
    const cand: Candidate = { key, lead, part, category, original, token };
    this.#byKey.set(key, cand);
    // Index by up to the first three words: many values share a first word ("alice.smith@…",
    // "Alice Smith") or two ("+44 7700 …"), few share three.
    const end1 = wordEnd(key, lead);
    const start2 = nextWordStart(key, end1);
    const start3 = start2 < 0 ? -1 : nextWordStart(key, wordEnd(key, start2));
    const index = start2 < 0 ? this.#bySingle : start3 < 0 ? this.#byPair : this.#byTriple;
    const h = hashSpan(key, lead, start2 < 0 ? end1 : start3 < 0 ? wordEnd(key, start2) : wordEnd(key, start3));
    const list = index.get(h);
    if (list === undefined) index.set(h, [cand]);
    else {
      let at = 0;
      while (at < list.length && list[at]!.key.length >= key.length) at++;
      list.splice(at, 0, cand);
    }
  }

  #match(t: string, s: string, view: TextView, list: Candidate[], ws: number, floor: number): Candidate | null {
    const n = t.length;
    for (const cand of list) {
      const start = ws - cand.lead;
      const end = start + cand.key.length;
      if (start < floor || end > n || !hasKeyAt(t, cand.key, start)) continue;
      if (start > 0 && isWord(t.charCodeAt(start - 1)) && isWord(cand.key.charCodeAt(0))) continue;
      if (end < n && isWord(t.charCodeAt(end)) && isWord(cand.key.charCodeAt(cand.key.length - 1))) continue;
      if (cand.part) {
        const ch = s[originalSpan(view, start, end)[0]]!;
        if (ch !== ch.toUpperCase()) continue;
      }
      return cand;
    }
    return null;
  }

  /** Whether `s` holds a known value, as replace() would find it; issues no token. */
  has(s: string): boolean {
    return this.#find(s) !== null;
  }

  /** `s` with every known value replaced by its token, or null when nothing matched. */
  replace(s: string, vault: PiiVault): string | null {
    const matches = this.#find(s);
    if (matches === null) return null;
    const { found, view } = matches;
    let out = '';
    let last = 0;
    for (const [a0, b0, cand] of found) {
      const [a, b] = originalSpan(view, a0, b0);
      cand.token ??= vault.tokenize(cand.category, cand.original);
      out += s.slice(last, a) + cand.token;
      last = b;
    }
    return out + s.slice(last);
  }

  /** Where known values are in `s` (spans of the view it was scanned in), or null. */
  #find(s: string): { found: Array<[number, number, Candidate]>; view: TextView } | null {
    if (s.length < MIN_KEY_LENGTH || this.#byKey.size === 0) return null;
    // ASCII text is scanned as is with case folding; anything else through a lowercased NFKC view.
    const view: TextView = isAscii(s) ? { original: s, text: s, map: null } : viewOf(s, true);
    const t = view.text;
    const n = t.length;
    let found: Array<[number, number, Candidate]> | null = null;
    let floor = 0;
    let i = 0;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (!isWord(c)) {
        if (c === 0xab) {
          TOKEN_AT.lastIndex = i;
          if (TOKEN_AT.test(t)) {
            i = floor = TOKEN_AT.lastIndex;
            continue;
          }
        }
        i++;
        continue;
      }
      const ws = i;
      i = wordEnd(t, i);
      let cand: Candidate | null = null;
      const s2 = this.#byPair.size + this.#byTriple.size > 0 ? nextWordStart(t, i) : -1;
      if (s2 >= 0) {
        const e2 = wordEnd(t, s2);
        const s3 = this.#byTriple.size > 0 ? nextWordStart(t, e2) : -1;
        if (s3 >= 0) {
          const list = this.#byTriple.get(hashSpan(t, ws, wordEnd(t, s3)));
          if (list !== undefined) cand = this.#match(t, s, view, list, ws, floor);
        }
        if (cand === null && this.#byPair.size > 0) {
          const list = this.#byPair.get(hashSpan(t, ws, e2));
          if (list !== undefined) cand = this.#match(t, s, view, list, ws, floor);
        }
      }
      if (cand === null) {
        const list = this.#bySingle.get(hashSpan(t, ws, i));
        if (list !== undefined) cand = this.#match(t, s, view, list, ws, floor);
      }
      if (cand !== null) {
        const start = ws - cand.lead;
        const end = start + cand.key.length;
        (found ??= []).push([start, end, cand]);
        i = floor = end;
      }
    }
    return found === null ? null : { found, view };
  }
}

const bySession = new WeakMap<PiiVault, KnownValues>();

export function knownValuesOf(vault: PiiVault): KnownValues {
  let k = bySession.get(vault);
  if (k === undefined) {
    k = new KnownValues();
    bySession.set(vault, k);
  }
  return k;
}
