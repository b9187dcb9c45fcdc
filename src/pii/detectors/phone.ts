/**
 * Phone numbers, international and local, without eating ordinary numbers.
 *
 * A candidate is a run of digits joined by at most three separator characters (space, `-`, `.`,
 * `/`, parentheses), not glued to a word, id (`bkg_004512`, `INV-2024-…`), decimal or time.
 * Each sub-window of its digit groups is then checked, longest first:
 * - `+CC…` or `00CC…`: 8–15 digits after the prefix (E.164), country code not starting with 0;
 *   `+1`/`+7` need exactly 10 national digits;
 * - trunk `0` + non-zero (UK, most of Europe): 9–12 digits; without separators only 10–11;
 * - North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, 1-NXX-…, always with separators (a bare
 *   10-digit run is more often an id or a Unix timestamp).
 * A date with a four-digit year splits a candidate: its groups belong to no phone (two dates
 * side by side are not one, and a phone beside a date is found whole). Seven-digit local numbers
 * without an area code ("555-0143") are not detected.
 */

import { addSpan, digitGroups, digitsOf, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-.\/+#@&%])\+?\(?\d(?:[ \-.\/()]{1,3}\d|\d)+\)?(?![\p{L}\p{N}_]|[.,:]\d)/gu;
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

/** A date inside a candidate: its digit groups are the date's, never part of a phone beside it. */
const DATE = /(?<!\d)(?:(?:19|20)\d\d[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./](?:19|20)\d\d)(?!\d)/g;
const SEPARATOR = /[ \-./]/;

export function detectPhones(text: string, spans: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const from = m.index;
    const to = m.index + m[0].length;
    // Dates split a candidate: "2024-01-15 2024-02-15" holds no phone, and in "2024-01-15 020 7946
    // 0958" the phone is the three groups after the date, not a window across both.
    let pieceFrom = from;
    DATE.lastIndex = 0;
    for (let d = DATE.exec(m[0]); d !== null; d = DATE.exec(m[0])) {
      detectInPiece(text, pieceFrom, from + d.index, spans);
      pieceFrom = from + d.index + d[0].length;
    }
    detectInPiece(text, pieceFrom, to, spans);
  }
}

/** The phones among the digit groups of `text` from `from` to `to`, a candidate or a piece of one between dates. */
function detectInPiece(text: string, from: number, to: number, spans: Span[]): void {
  while (from < to && SEPARATOR.test(text[from]!)) from++;
  if (from >= to) return;
  const g = digitGroups(text, from, to);
  const n = g.starts.length;
  for (let i = 0; i < n; ) {
    let matched = 0;
    let start = i === 0 ? from : g.starts[i]!;
    if (i > 0 && text[start - 1] === '(') start--;
    // Windows of at most MAX_DIGITS digits, so a long run of numbers is scanned in linear time.
    let top = i;
    let count = 0;
    for (; top < n && count + g.ends[top]! - g.starts[top]! <= MAX_DIGITS; top++) count += g.ends[top]! - g.starts[top]!;
    const lead = text[start] === '+' ? '+' : text[g.starts[i]!] === '0' ? (text[g.starts[i]! + 1] === '0' ? '00' : '0') : '';
    for (let j = top; j > i; j--) {
      if (j < top) count -= g.ends[j]! - g.starts[j]!;
      if (!plausibleLength(lead, count, j - i)) continue;
      let end = g.ends[j - 1]!;
      const window0 = text.slice(start, end);
      if (text[end] === ')' && window0.split('(').length > window0.split(')').length) end++;
      if (isPhoneNumber(text.slice(start, end))) {
        addSpan(spans, { start, end, category: 'PHONE' });
        matched = j;
        break;
      }
    }
    i = matched > 0 ? matched : i + 1;
  }
}
