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

/**
 * Numbers inside a run of numbers that are something else: dates with a four-digit year, a
 * standalone dd/mm/yy or dd.mm.yy (one of a longer dotted run, like the phone "06.12.34.56.78", is
 * not a date), IPv4 addresses ("10.0.0.1 - 10.0.0.254"; no octet with a leading zero, so "02.123.45.67" stays a
 * phone) and decimals below one ("0.25 0.125").
 * Their digit groups belong to no phone or card beside them.
 */
const DATE = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\d|\.\d)|(?<![\d.])0\.\d+(?!\d|\.\d)|(?<!\d)(?:(?:19|20)\d\d[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./](?:19|20)\d\d)(?!\d)|(?<![\d.\/\-])(?:0?[1-9]|[12]\d|3[01])([./])(?:0?[1-9]|[12]\d|3[01])\1\d\d(?!\d|[.\/\-]\d)/g;

/** Calls `each` with the pieces of `text` from `from` to `to` between the dates (and the like, above) in it. */
export function piecesBetweenDates(text: string, from: number, to: number, each: (from: number, to: number) => void): void {
  const run = text.slice(from, to);
  let pieceFrom = from;
  DATE.lastIndex = 0;
  for (let d = DATE.exec(run); d !== null; d = DATE.exec(run)) {
    each(pieceFrom, from + d.index);
    pieceFrom = from + d.index + d[0].length;
  }
  each(pieceFrom, to);
}

/**
 * Where a run of digit groups that a candidate pattern took greedily really ends, given what follows
 * it: `,` and a digit is the next field of a CSV row, so the run ends there (thousands groups are
 * too short to be a value; a long number with a decimal comma taken for one errs on the safe
 * side, while reading the comma as a decimal left CSV values in plain); a last group glued to a
 * word, a decimal, or a time (a group of 1–2 digits before `:30`) belongs to that neighbour and is
 * left out; else the run is whole. Never a shorter window that the pattern backed off to: that left the value's last group in
 * plain ("+44 20 7946 0958,42").
 */
export function runEnd(text: string, from: number, to: number, extension = false, times = true): number {
  const next = text[to];
  if (next === undefined) return to;
  let end = to;
  while (end > from && text.charCodeAt(end - 1) >= 0x30 && text.charCodeAt(end - 1) <= 0x39) end--;
  // `:` and a digit make the last group an hour only when it is one (1–2 digits), and never for
  // cards (`4111111111111111:12/27:123`, `5364-9474-5680-78:45`: the card, then what follows).
  const time = times && next === ':' && to - end <= 2;
  const glued = /[\p{L}\p{N}_]/u.test(next) || ((next === '.' || time) && /\d/.test(text[to + 1] ?? ''));
  if (!glued) return to;
  if (extension && EXTENSION.test(text.slice(to, to + 12))) return to;
  return end;
}

/** A phone extension glued to the number: x123, ext.123, ext 123. */
const EXTENSION = /^(?:x|ext\.?\s?)\d{1,6}(?![\p{L}\p{N}_])/iu;

/**
 * Collects the windows a detector finds in a run of digit groups, in order of their last group, and
 * adds them to `spans` with those that overlap joined into one stretch: taking one of two
 * overlapping windows left the other's digits in plain, whichever it took. `done` adds the last.
 */
export function stretchesInto(spans: Span[], category: PiiCategory): { add(start: number, end: number): void; done(): void } {
  let open: Span | undefined;
  return {
    add(start, end) {
      if (open !== undefined && start < open.end) {
        open.start = Math.min(open.start, start);
        open.end = Math.max(open.end, end);
        return;
      }
      if (open !== undefined) addSpan(spans, open);
      open = { start, end, category };
    },
    done() {
      if (open !== undefined) addSpan(spans, open);
      open = undefined;
    },
  };
}
