/**
 * E-mail addresses: local@domain.tld with Unicode letters. Not detected: quoted local parts,
 * IP-literal domains, dot-less domains, spelled-out forms ("alice at example dot com").
 * The look-behind keeps each run scanned once (no quadratic backtracking on long runs). A dash
 * after the address ends it ("alice@example.com--Bob") unless the domain goes on past it
 * ("example.com-shop.de", where "example.com" alone would be the wrong address).
 */

import { addSpan, type Span } from './span.js';

const LOCAL = "[\\p{L}\\p{M}\\p{N}_%+\\-'.!#$&*=?^`{|}~]";
const EMAIL = new RegExp(
  `(?<!${LOCAL})${LOCAL}+@(?:[\\p{L}\\p{M}\\p{N}\\-]+\\.)+[\\p{L}\\p{M}]{2,24}(?![\\p{L}\\p{M}\\p{N}]|-[\\p{L}\\p{M}\\p{N}\\-]*\\.[\\p{L}\\p{M}\\p{N}])`,
  'gu',
);

export function detectEmails(text: string, spans: Span[]): void {
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
    let start = m.index;
    // Sentence punctuation before an address is not part of it.
    while (text.charCodeAt(start) === 0x2e && start < m.index + m[0].length) start++;
    addSpan(spans, { start, end: m.index + m[0].length, category: 'EMAIL' });
  }
}
