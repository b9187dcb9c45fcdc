/**
 * Payment card numbers: 13–19 digits, first digit 2–6 (the issuer ranges in use: Visa, Mastercard,
 * Amex, Discover, JCB, Diners, UnionPay, Maestro), optional spaces or dashes, Luhn-valid.
 * Any run of digit groups is tried as sub-windows, so "4111 1111 1111 1111 exp 12/27" and a card
 * followed by another number are both found; a date in the run splits it, as for phones. About one random digit string in ten passes Luhn, so
 * a 13–19 digit id starting with 2–6 can be flagged; that errs on the safe side.
 */

import { addSpan, digitGroups, piecesBetweenDates, runEnd, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-.\/]|\d:)\d(?:[ \-]?\d){12,}/gu;

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
    const to = runEnd(text, m.index, m.index + m[0].length);
    piecesBetweenDates(text, m.index, to, (a, b) => detectInPiece(text, a, b, spans));
  }
}

/**
 * The cards among the digit groups from `from` to `to`: the Luhn-valid windows that together cover
 * the most digits, a tie going to the window that ends last. Greedy from the left, a window began in
 * a neighbour's group ("Qty 3 4253 3478 3715 3841") and left the card's last group in plain.
 */
function detectInPiece(text: string, from: number, to: number, spans: Span[]): void {
  const g = digitGroups(text, from, to);
  const n = g.starts.length;
  // best[k]: most digits covered by cards among groups [0, k); pick[k]: first group of the card
  // ending with group k - 1 in that cover, or -1. At most 19 digits a window: linear in the run.
  const best = new Int32Array(n + 1);
  const pick = new Int32Array(n + 1).fill(-1);
  for (let k = 1; k <= n; k++) {
    best[k] = best[k - 1]!;
    let digits = '';
    for (let i = k - 1; i >= 0; i--) {
      digits = text.slice(g.starts[i], g.ends[i]) + digits;
      if (digits.length > 19) break;
      if (best[i]! + digits.length >= best[k]! && isCardNumber(digits)) {
        best[k] = best[i]! + digits.length;
        pick[k] = i;
      }
    }
  }
  const found: Span[] = [];
  for (let k = n; k > 0; ) {
    if (pick[k]! < 0) k--;
    else {
      found.push({ start: g.starts[pick[k]!]!, end: g.ends[k - 1]!, category: 'FINANCIAL' });
      k = pick[k]!;
    }
  }
  for (let f = found.length - 1; f >= 0; f--) addSpan(spans, found[f]!);
}
