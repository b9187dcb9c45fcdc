import type { PiiCategory } from '../categories.js';

/** A detected value in a detection view: [start, end). */
export interface Span {
  start: number;
  end: number;
  category: PiiCategory;
}

/** Adds `span` unless it overlaps one already taken (earlier detectors win). */
export function addSpan(spans: Span[], span: Span): void {
  for (const s of spans) if (span.start < s.end && s.start < span.end) return;
  spans.push(span);
}

/** Digit runs of a candidate and where each starts and ends, for trying sub-windows. */
export interface Groups {
  starts: number[];
  ends: number[];
}

export function digitGroups(text: string, from: number, to: number): Groups {
  const starts: number[] = [];
  const ends: number[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      const s = i;
      while (i < to && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      starts.push(s);
      ends.push(i);
    } else i++;
  }
  return { starts, ends };
}

export function digitsOf(text: string, from: number, to: number): string {
  let d = '';
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) d += text[i];
  }
  return d;
}
