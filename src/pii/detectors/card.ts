/**
 * Payment card numbers: 13–19 digits, first digit 2–6 (the issuer ranges in use: Visa, Mastercard,
 * Amex, Discover, JCB, Diners, UnionPay, Maestro), optional spaces or dashes, Luhn-valid.
 * Any run of digit groups is tried as sub-windows, so "4111 1111 1111 1111 exp 12/27" and a card
 * followed by another number are both found; a date in the run splits it, as for phones. About one random digit string in ten passes Luhn, so
 * a 13–19 digit id starting with 2–6 can be flagged; that errs on the safe side.
 */

import { digitGroups, piecesBetweenDates, runEnd, stretchesInto, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-.\/])\d(?:[ \-]?\d){12,}/gu;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 0x30;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0);
  if (first < 0x32 || first > 0x36) return false;
  return luhnValid(digits);
}

export function detectCards(text: string, spans: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const to = runEnd(text, m.index, m.index + m[0].length, false, false);
    piecesBetweenDates(text, m.index, to, (a, b) => detectInPiece(text, a, b, spans));
  }
}

/**
 * The cards among the digit groups from `from` to `to`: every Luhn-valid window, and where valid
 * windows overlap, the stretch they cover together (as for phones: taking one of two left the
 * other's groups in plain, "Card 4205 6405 8470 2961 0427" with a shifted window that also passes
 * Luhn).
 */
function detectInPiece(text: string, from: number, to: number, spans: Span[]): void {
  const g = digitGroups(text, from, to);
  const n = g.starts.length;
  const stretches = stretchesInto(spans, 'FINANCIAL');
  for (let k = 1; k <= n; k++) {
    let digits = '';
    let first = -1;
    // At most 19 digits a window: linear in the run.
    for (let i = k - 1; i >= 0; i--) {
      digits = text.slice(g.starts[i], g.ends[i]) + digits;
      if (digits.length > 19) break;
      if (isCardNumber(digits)) first = g.starts[i]!;
    }
    if (first >= 0) stretches.add(first, g.ends[k - 1]!);
  }
  stretches.done();
}
