/**
 * A detection view of a string: NFKC-normalized per code point (full-width digits and `＠` become
 * ASCII), other Unicode decimal digits mapped to ASCII, default-ignorable characters (zero-width
 * spaces, soft hyphens) dropped, optionally lowercased, with a map back to the original indexes so
 * a match in the view replaces the whole original span. ASCII strings are their own view.
 */

export interface TextView {
  readonly original: string;
  readonly text: string;
  /** map[i] = index in `original` of the code point that produced text[i]; length text.length + 1. Null: identity. */
  readonly map: Int32Array | null;
}

const NON_ASCII = /[^\x00-\x7f]/;
const NEEDS_REWRITE = /[\p{Default_Ignorable_Code_Point}]|(?![0-9])\p{Nd}/u;
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

const digitCache = new Map<number, string>();

/** ASCII digit for a non-ASCII decimal digit: its position in its run of ten. */
function asciiDigit(cp: number): string {
  let d = digitCache.get(cp);
  if (d === undefined) {
    let start = cp;
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1)) && cp - start < 64) start--;
    d = String((cp - start) % 10);
    digitCache.set(cp, d);
  }
  return d;
}

function normalizeCodePoint(ch: string): string {
  let n = ch.normalize('NFKC');
  if (n.length === 1 && n.charCodeAt(0) < 0x80) return n;
  let out = '';
  for (const c of n) {
    if (IGNORABLE.test(c)) continue;
    const cp = c.codePointAt(0)!;
    out += cp > 0x7f && DECIMAL_DIGIT.test(c) ? asciiDigit(cp) : c;
  }
  return out;
}

export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

export function viewOf(s: string, lower: boolean): TextView {
  if (!NON_ASCII.test(s)) return { original: s, text: lower ? s.toLowerCase() : s, map: null };
  if (!NEEDS_REWRITE.test(s) && s.normalize('NFKC') === s) {
    const text = lower ? s.toLowerCase() : s;
    if (text.length === s.length) return { original: s, text, map: null };
  }
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = s.slice(i, i + width);
    let n = cp < 0x80 ? ch : normalizeCodePoint(ch);
    if (lower) n = n.toLowerCase();
    text += n;
    for (let k = 0; k < n.length; k++) map.push(i);
    i += width;
  }
  map.push(s.length);
  return { original: s, text, map: Int32Array.from(map) };
}

/** Normalized, lowercased form used to compare known values with text. */
export function matchKey(s: string): string {
  return viewOf(s, true).text;
}

/** Original span [start, end) for view span [a, b), widened to whole original code points. */
export function originalSpan(view: TextView, a: number, b: number): [number, number] {
  const m = view.map;
  if (m === null) return [a, b];
  const start = m[a]!;
  let j = b;
  const lastSrc = m[b - 1]!;
  while (j < m.length - 1 && m[j] === lastSrc) j++;
  return [start, m[j]!];
}
