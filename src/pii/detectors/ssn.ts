/**
 * US Social Security numbers in their printed form AAA-GG-SSSS (SSA never issues 000, 666, 9xx, 00,
 * 0000). A comma and a digit after one is the next field of a CSV row, not a decimal.
 */

import { addSpan, type Span } from './span.js';

const SSN = /(?<![\p{L}\p{N}_\-.\/])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\p{L}\p{N}_\-]|\.\d)/gu;

export function detectSsns(text: string, spans: Span[]): void {
  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
    addSpan(spans, { start: m.index, end: m.index + m[0].length, category: 'ID_DOC' });
  }
}
