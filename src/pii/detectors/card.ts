/**
 * Payment card numbers: 13–19 digits, first digit 2–6 (the issuer ranges in use: Visa, Mastercard,
 * Amex, Discover, JCB, Diners, UnionPay, Maestro), optional spaces or dashes, Luhn-valid.
 * Any run of digit groups is tried as sub-windows, so "4111 1111 1111 1111 exp 12/27" and a card
 * followed by another number are both found. About one random digit string in ten passes Luhn, so
 * a 13–19 digit id starting with 2–6 can be flagged; that errs on the safe side.
 */

import { addSpan, digitGroups, type Span } from './span.js';

const CANDIDATE = /(?<![\p{L}\p{N}_\-.\/])\d(?:[ \-]?\d){12,}(?![\p{L}\p{N}_]|[.,]\d)/gu;

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
    const g = digitGroups(text, m.index, m.index + m[0].length);
    const n = g.starts.length;
    for (let i = 0; i < n; ) {
      let matched = 0;
      let digits = '';
      let top = i;
      for (; top < n && digits.length + g.ends[top]! - g.starts[top]! <= 19; top++) digits += text.slice(g.starts[top], g.ends[top]);
      for (let j = top; j > i; j--) {
        if (isCardNumber(digits)) {
          matched = j;
          break;
        }
        digits = digits.slice(0, digits.length - (g.ends[j - 1]! - g.starts[j - 1]!));
      }
      if (matched > 0) {
        addSpan(spans, { start: g.starts[i]!, end: g.ends[matched - 1]!, category: 'FINANCIAL' });
        i = matched;
      } else i++;
    }
  }
}
