/**
 * A detection view of a string: NFKC-normalized per code point (full-width digits and `＠` become
 * ASCII), other Unicode decimal digits mapped to ASCII, default-ignorable characters (zero-width
 * spaces, soft hyphens) dropped, optionally lowercased (final sigma folded to σ, so a word matches
 * alike wherever it stands), with a map back to the original indexes so a match in the view
 * replaces the whole original span. ASCII strings are their own view.
 * The detectors read a further view (detectionView): text quoted from JSON keeps its escapes
 * (`\n07700 900123`), and the letter of `\n` would glue to the value; typographic dashes between
 * digits (`202‑555‑0143`) separate them as `-` does; and text from URLs is percent-encoded,
 * at times more than once (`alice%40example.com`, `%2B442079460958`, `alice%2540example.com`).
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

/**
 * Lowercase with final sigma folded: JS lowercases a whole string's word-final Σ to ς but a lone
 * Σ to σ, and viewOf lowercases whole strings or code points depending on unrelated characters.
 */
function lowerCase(s: string): string {
  const l = s.toLowerCase();
  return l.includes('ς') ? l.replaceAll('ς', 'σ') : l;
}

export function viewOf(s: string, lower: boolean): TextView {
  if (!NON_ASCII.test(s)) return { original: s, text: lower ? s.toLowerCase() : s, map: null };
  if (!NEEDS_REWRITE.test(s) && s.normalize('NFKC') === s) {
    const text = lower ? lowerCase(s) : s;
    if (text.length === s.length) return { original: s, text, map: null };
  }
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = s.slice(i, i + width);
    let n = cp < 0x80 ? ch : normalizeCodePoint(ch);
    if (lower) n = lowerCase(n);
    text += n;
    for (let k = 0; k < n.length; k++) map.push(i);
    i += width;
  }
  map.push(s.length);
  return { original: s, text, map: Int32Array.from(map) };
}

const ESCAPE = /\\[ntr]/g;
const isDigit = (s: string, at: number): boolean => s.charCodeAt(at) >= 0x30 && s.charCodeAt(at) <= 0x39;
// Dash punctuation other than the ASCII hyphen-minus, which is already what the detectors read.
const DASH = /(?!-)[\p{Pd}\u2212]/gu;

/**
 * The view the value detectors read: viewOf(s, false) with `\n`, `\t`, `\r` written out as text
 * blanked to two spaces, dash punctuation read as `-` between digits and as a space elsewhere, and
 * percent escapes of printable ASCII decoded (`%40` is `@`). Only for finding spans: the original
 * is what gets replaced, escapes and all.
 */
export function detectionView(s: string): TextView {
  const v = viewOf(s, false);
  let text = v.text;
  if (text.includes('\\')) text = text.replace(ESCAPE, '  ');
  // Between digits a dash separates a number's groups as `-` does; elsewhere (`Anna—07700 900123—`)
  // it is punctuation, read as a space, or the value beside it would look glued to a `-`. A dash
  // outside the basic plane is two code units: two characters keep the length.
  if (NON_ASCII.test(text))
    text = text.replace(DASH, (dash, at: number, all: string) => (isDigit(all, at - 1) && isDigit(all, at + dash.length) ? '-' : ' ').repeat(dash.length));
  let view = text === v.text ? v : { original: s, text, map: v.map };
  // A value encoded twice (`alice%2540example.com`, a URL inside a URL's query) needs a second pass.
  for (let pass = 0; pass < PERCENT_PASSES && view.text.includes('%'); pass++) {
    const decoded = percentDecoded(view);
    if (decoded === view) break;
    view = decoded;
  }
  return view;
}

/** Encoded once, twice (a link in a link's query) or three times; deeper nesting is not text anyone reads. */
const PERCENT_PASSES = 3;

/** Whether `s` holds a percent escape the detection view decodes. */
export const hasPercentEscape = (s: string): boolean => s.includes('%') && PERCENT_ESCAPE.test(s);

const PERCENT_ESCAPE = /%(?:[2-6][0-9a-f]|7[0-9a-e])/i;
const PERCENT_ESCAPES = new RegExp(PERCENT_ESCAPE.source, 'gi');

/**
 * `v` with each percent escape of printable ASCII read as its character, the map pointing the
 * character at its `%`: a value found across escapes replaces them all. Other bytes stay escaped.
 * One pass (`%2540` becomes `%40`); detectionView makes more. A `+` written as itself between digits
 * reads as a space.
 */
function percentDecoded(v: TextView): TextView {
  const { text, map } = v;
  let out = '';
  const m: number[] = [];
  let last = 0;
  const keep = (to: number) => {
    out += text.slice(last, to);
    for (let i = last; i < to; i++) m.push(map === null ? i : map[i]!);
  };
  for (const match of text.matchAll(PERCENT_ESCAPES)) {
    keep(match.index);
    out += String.fromCharCode(parseInt(match[0].slice(1), 16));
    m.push(map === null ? match.index : map[match.index]!);
    last = match.index + 3;
  }
  if (last === 0) return v;
  keep(text.length);
  m.push(map === null ? text.length : map[text.length]!);
  // Text that was percent-encoded is likely form-encoded, where `+` is a space (`%2B44+20+7946+0958`).
  return { original: v.original, text: out.replace(PLUS_BETWEEN_DIGITS, ' '), map: Int32Array.from(m) };
}

const PLUS_BETWEEN_DIGITS = /(?<=[0-9])\+(?=[0-9])/g;

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
