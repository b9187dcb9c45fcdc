/**
 * Phone numbers, international and local, without eating ordinary numbers.
 *
 * A candidate is a run of digits joined by at most three separator characters (space, `-`, `.`,
 * `/`, parentheses), not glued to a word, id (`bkg_004512`, `INV-2024-…`), decimal or time
 * (`10:05 020 …`); an abbreviation's dot (`Tel.020 …`) is no glue. The run is taken whole or
 * not at all, never backed off to a shorter match (that left a phone's last group in plain): a
 * comma and a digit after it end it (CSV), a last group glued to a word, time or decimal is left
 * out, a glued extension (`x123`) stays outside. A number after "ISBN" is none.
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

import { addSpan, digitGroups, digitsOf, piecesBetweenDates, runEnd, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-\/+#@&%]|\d:|(?<!\p{L})\.)\+?\(?\d(?:[ \-.\/()]{1,3}\d|\d)+\)?/gu;
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

export function detectPhones(text: string, spans: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const from = m.index;
    const to = runEnd(text, from, m.index + m[0].length, true);
    if (ISBN.test(text.slice(Math.max(0, from - 12), from))) continue;
    // Dates split a candidate: "2024-01-15 2024-02-15" holds no phone, and in "2024-01-15 020 7946
    // 0958" the phone is the three groups after the date, not a window across both.
    piecesBetweenDates(text, from, to, (a, b) => detectInPiece(text, a, b, spans));
  }
}

/**
 * The phones among the digit groups of `text` from `from` to `to`, a candidate or a piece of one
 * between dates: the windows that together cover the most digits, a tie going to the window that
 * ends last. Greedy from the left, a window began in a neighbour's group ("Ref 0123 020 7946 0958",
 * "01 23 45 67 89 / 06 12 34 56 78") and left the phone's last groups in plain.
 */
function detectInPiece(text: string, from: number, to: number, spans: Span[]): void {
  while (from < to && SEPARATOR.test(text[from]!)) from++;
  if (from >= to) return;
  const g = digitGroups(text, from, to);
  const n = g.starts.length;
  // best[k]: most digits covered by phones among groups [0, k); pick[k]: first group of the phone
  // that ends with group k - 1 in that cover, or -1 (group k - 1 in no phone). Windows hold at most
  // MAX_DIGITS digits, so a long run of numbers is scanned in linear time.
  const best = new Int32Array(n + 1);
  const pick = new Int32Array(n + 1).fill(-1);
  const startAt = new Int32Array(n + 1);
  const endAt = new Int32Array(n + 1);
  for (let k = 1; k <= n; k++) {
    best[k] = best[k - 1]!;
    let count = 0;
    for (let i = k - 1; i >= 0; i--) {
      count += g.ends[i]! - g.starts[i]!;
      if (count > MAX_DIGITS) break;
      if (best[i]! + count < best[k]!) continue;
      let start = i === 0 ? from : g.starts[i]!;
      if (i > 0 && text[start - 1] === '(') start--;
      const lead = text[start] === '+' ? '+' : text[g.starts[i]!] === '0' ? (text[g.starts[i]! + 1] === '0' ? '00' : '0') : '';
      if (!plausibleLength(lead, count, k - i)) continue;
      let end = g.ends[k - 1]!;
      const window0 = text.slice(start, end);
      if (text[end] === ')' && window0.split('(').length > window0.split(')').length) end++;
      if (isPhoneNumber(text.slice(start, end))) {
        best[k] = best[i]! + count;
        pick[k] = i;
        startAt[k] = start;
        endAt[k] = end;
      }
    }
  }
  const found: Span[] = [];
  for (let k = n; k > 0; ) {
    if (pick[k]! < 0) k--;
    else {
      found.push({ start: startAt[k]!, end: endAt[k]!, category: 'PHONE' });
      k = pick[k]!;
    }
  }
  for (let f = found.length - 1; f >= 0; f--) addSpan(spans, found[f]!);
}
