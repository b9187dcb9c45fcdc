/**
 * Phone numbers, international and local, without eating ordinary numbers.
 *
 * A candidate is a run of digits joined by at most three separator characters (space, `-`, `.`,
 * `/`, parentheses), not glued to a word, id (`bkg_004512`, `INV-2024-…`) or decimal, unless the
 * word is a phone's label (`Tel020 …`, `Mob+44…`); an abbreviation's dot (`Tel.020 …`) is no
 * glue, nor a colon (`phone2:+44…`; the minutes of a time before a phone go into its token, the
 * safe side). The run is taken whole or not at all, never
 * backed off to a shorter match (that left a phone's last group in plain): a comma and a digit
 * after it end it (CSV), a last group glued to a word, an hour or a decimal is left out, a glued
 * extension (`x123`) stays outside. The 10 or 13 digits after "ISBN" are none.
 * Windows of its digit groups are then checked:
 * - `+CC…` or `00CC…`: 8–15 digits after the prefix (E.164), country code not starting with 0;
 *   `+1`/`+7` need exactly 10 national digits;
 * - trunk `0` + non-zero (UK, most of Europe): 9–12 digits; without separators only 10–11;
 * - North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, 1-NXX-…, always with separators (a bare
 *   10-digit run is more often an id or a Unix timestamp).
 * Dates (four-digit year, or a standalone dd/mm/yy), IPv4 addresses and decimals below one split a
 * candidate: their groups belong to no phone (two dates side by side are not one, and a phone
 * beside a date is found whole). Of the valid windows, those covering the most digits are taken.
 * Seven-digit local numbers without an area code ("555-0143") are not detected.
 */

import { digitGroups, digitsOf, piecesBetweenDates, runEnd, stretchesInto, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-\/+#@&%]|(?<!\p{L})\.)\+?\(?\d(?:[ \-.\/()]{1,3}\d|\d)+\)?/gu;
/**
 * A word that says a phone follows, written glued to it (`Tel020 7946 0958`, `Mob+44…`): no id
 * starts so. Its own pass, since a lookbehind for it in CANDIDATE made every scan 2.7 × slower.
 */
const GLUED_LABEL = /(?<!\p{L})(?:[Tt]el|TEL|[Pp]hone|PHONE|[Mm]ob(?:ile)?|MOB(?:ILE)?|[Cc]ell|CELL|[Ff]ax|FAX)(?=\+?\(?\d)/gu;
const CANDIDATE_HERE = /\+?\(?\d(?:[ \-.\/()]{1,3}\d|\d)+\)?/y;
const MAX_DIGITS = 17; // 00 + 15 digits of E.164, or a trunk (0) inside
const DATE_INSIDE = /(?:19|20)\d\d[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./](?:19|20)\d\d(?!\d)/;

function groupLengths(window: string): number[] {
  return (window.match(/\d+/g) ?? []).map((g) => g.length);
}

function isNanp(digits: string, window: string): boolean {
  let d = digits;
  let groups = groupLengths(window);
  if (d.length === 11 && d[0] === '1') {
    d = d.slice(1);
    if (groups[0] === 1) groups = groups.slice(1);
  }
  if (d.length !== 10 || d[0] === '0' || d[0] === '1' || d[3] === '0' || d[3] === '1') return false;
  return groups.length === 3 && groups[0] === 3 && groups[1] === 3 && groups[2] === 4;
}

export function isPhoneNumber(window: string): boolean {
  const compact = window.replace(/\(0\)/, '');
  const digits = digitsOf(compact, 0, compact.length);
  if (window.startsWith('+')) {
    if (digits[0] === '0') return false;
    if (digits[0] === '1' || digits[0] === '7') return digits.length === 11;
    return digits.length >= 8 && digits.length <= 15;
  }
  if (DATE_INSIDE.test(window)) return false;
  if (digits.startsWith('00')) {
    const rest = digits.slice(2);
    if (rest[0] === '0') return false;
    if (rest[0] === '1' || rest[0] === '7') return rest.length === 11;
    return rest.length >= 8 && rest.length <= 15;
  }
  if (digits[0] === '0') {
    if (digits[1] === '0' || digits[1] === undefined) return false;
    const separated = /\D/.test(window.replace(/^\(|\)$/g, ''));
    return separated ? digits.length >= 9 && digits.length <= 12 : digits.length >= 10 && digits.length <= 11;
  }
  return isNanp(digits, window);
}

/** Cheap gate before isPhoneNumber: digit count and group count a phone of this kind can have. */
function plausibleLength(lead: string, digits: number, groups: number): boolean {
  switch (lead) {
    case '+':
      return digits >= 8 && digits <= 16;
    case '00':
      return digits >= 10 && digits <= 17;
    case '0':
      return digits >= 9 && digits <= 12;
    default:
      return (digits === 10 || digits === 11) && groups >= 3 && groups <= 4;
  }
}

const SEPARATOR = /[ \-./]/;
/** A book number is no phone, though ISBN-10 has a phone's shape (0-306-40615-2). */
const ISBN = /isbn(?:-?1[03])?:?\s*$/i;

/** Where the book number at `from` ends (its groups hold 10 or 13 digits), so what follows it is scanned; -1 if none does. */
function afterIsbn(text: string, from: number, to: number): number {
  const g = digitGroups(text, from, to);
  let digits = 0;
  for (let i = 0; i < g.starts.length; i++) {
    digits += g.ends[i]! - g.starts[i]!;
    if (digits === 10 || digits === 13) {
      if (digits === 10 && /^97[89]/.test(digitsOf(text, from, g.ends[i]!))) continue; // the first ten of an ISBN-13
      return g.ends[i]!;
    }
    if (digits > 13) break;
  }
  return -1;
}

export function detectPhones(text: string, spans: Span[]): void {
  GLUED_LABEL.lastIndex = 0;
  for (let label = GLUED_LABEL.exec(text); label !== null; label = GLUED_LABEL.exec(text)) {
    CANDIDATE_HERE.lastIndex = label.index + label[0].length;
    const m = CANDIDATE_HERE.exec(text);
    if (m !== null) detectInCandidate(text, m.index, m.index + m[0].length, spans);
  }
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) detectInCandidate(text, m.index, m.index + m[0].length, spans);
}

function detectInCandidate(text: string, start: number, end: number, spans: Span[]): void {
  let from = start;
  const to = runEnd(text, from, end, true);
  if (ISBN.test(text.slice(Math.max(0, from - 12), from))) {
    from = afterIsbn(text, from, to);
    if (from < 0) return;
  }
  // Dates split a candidate: "2024-01-15 2024-02-15" holds no phone, and in "2024-01-15 020 7946
  // 0958" the phone is the three groups after the date, not a window across both.
  piecesBetweenDates(text, from, to, (a, b) => detectInPiece(text, a, b, spans));
}

/**
 * The phones among the digit groups of `text` from `from` to `to`, a candidate or a piece of one
 * between dates: every window that reads as a phone, and where valid windows overlap, the stretch
 * they cover together. Taking one of two overlapping windows left the other's groups in plain,
 * whichever it took: greedy from the left, "Ref 0123 020 7946 0958" kept 0958; by the window that
 * ends last, "Tel 0412 345 678 2024" kept 0412. The union errs on the safe side (the ref, or a
 * neighbouring phone, goes into the token too).
 */
function detectInPiece(text: string, from: number, to: number, spans: Span[]): void {
  while (from < to && SEPARATOR.test(text[from]!)) from++;
  if (from >= to) return;
  const g = digitGroups(text, from, to);
  const n = g.starts.length;
  // Windows of at most MAX_DIGITS digits, so a long run of numbers is scanned in linear time.
  const stretches = stretchesInto(spans, 'PHONE');
  for (let k = 1; k <= n; k++) {
    let count = 0;
    let first = -1;
    let last = 0;
    for (let i = k - 1; i >= 0; i--) {
      count += g.ends[i]! - g.starts[i]!;
      if (count > MAX_DIGITS) break;
      let start = i === 0 ? from : g.starts[i]!;
      if (i > 0 && text[start - 1] === '(') start--;
      const lead = text[start] === '+' ? '+' : text[g.starts[i]!] === '0' ? (text[g.starts[i]! + 1] === '0' ? '00' : '0') : '';
      if (!plausibleLength(lead, count, k - i)) continue;
      let end = g.ends[k - 1]!;
      const window0 = text.slice(start, end);
      if (text[end] === ')' && window0.split('(').length > window0.split(')').length) end++;
      if (isPhoneNumber(text.slice(start, end))) {
        first = start; // the earliest start among this group's windows
        last = end;
      }
    }
    if (first >= 0) stretches.add(first, last);
  }
  stretches.done();
}
