import type { PiiCategory } from '../categories.js';

/** A detected value in a detection view: [start, end). */
export interface Span {
  start: number;
  end: number;
  category: PiiCategory;
}

/**
 * Adds `span` to one detector's list unless it starts before the end of the last span taken. A
 * detector finds its spans left to right, so its list stays sorted and free of overlaps, and the
 * check is O(1) (comparing with every span taken made text dense with values quadratic).
 */
export function addSpan(spans: Span[], span: Span): void {
  const last = spans[spans.length - 1];
  if (last !== undefined && span.start < last.end) return;
  spans.push(span);
}

/**
 * The spans of `found` that overlap none of `taken`; both sorted by start and free of overlaps.
 * One merge pass: O(taken + found).
 */
export function freeSpans(taken: readonly Span[], found: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const f of found) {
    while (j < taken.length && taken[j]!.end <= f.start) j++;
    if (j < taken.length && taken[j]!.start < f.end) continue;
    out.push(f);
  }
  return out;
}

/** `a` and `b` (sorted by start, no overlaps between them) merged, sorted by start. */
export function mergeSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
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
