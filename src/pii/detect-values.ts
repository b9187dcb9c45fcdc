/**
 * Value detectors over one string: e-mail, social profile links, IBAN, card, SSN, phone, and
 * birth dates in context, run on a normalized view of the string (detectionView). Cheap
 * prefilters skip the regex work for the many strings that cannot match (no `@`, few digits, no
 * `/`). Detected spans are replaced by tokens; existing tokens are left untouched.
 */

import type { PiiCategory } from './categories.js';
import { detectBirthDates, hasBirthHint } from './detectors/birth-date.js';
import { detectCards } from './detectors/card.js';
import { detectEmails } from './detectors/email.js';
import { detectIbans } from './detectors/iban.js';
import { detectPhones } from './detectors/phone.js';
import { detectSocialLinks, hasSocialHint } from './detectors/social.js';
import { freeSpans, mergeSpans, type Span } from './detectors/span.js';
import { detectSsns } from './detectors/ssn.js';
import { detectionView, hasPercentEscape, originalSpan } from './text-view.js';
import { mapOutsideTokens } from './token-format.js';

export interface DetectSink {
  tokenizeDetected(category: PiiCategory, value: string): string;
}

const MIN_DETECTABLE = 6; // "a@b.co"; every other detector needs more

interface Hints {
  digits: number;
  at: boolean;
  slash: boolean;
  nonAscii: boolean;
  guillemet: boolean;
  /** A `%`: percent escapes may hide an `@` or a `+` (`alice%40example.com`). */
  percent: boolean;
}

function hintsOf(s: string): Hints {
  let digits = 0;
  let at = false;
  let slash = false;
  let nonAscii = false;
  let guillemet = false;
  let percent = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x39) {
      if (c >= 0x30) digits++;
      else if (c === 0x2f) slash = true;
      else if (c === 0x25) percent = true;
    } else if (c === 0x40) at = true;
    else if (c > 0x7f) {
      nonAscii = true;
      if (c === 0xab) guillemet = true;
    }
  }
  return { digits, at, slash, nonAscii, guillemet, percent };
}

function mayMatch(h: Hints): boolean {
  return h.at || h.slash || h.digits >= 4 || h.nonAscii || h.percent;
}

/**
 * `text` with the spans already taken blanked to spaces (same length): a later detector neither joins
 * a value to them nor picks a window across one and loses it to the overlap check ("+44 20 7946
 * 0958 / 123-45-6789" read as a 15-digit phone over the SSN left the phone in plain).
 */
function masked(text: string, taken: readonly Span[]): string {
  let out = '';
  let last = 0;
  for (const sp of taken) {
    // A separator right after a taken value is no glue for the next one (`4111 … 1111-0472 519 624`).
    const end = sp.end < text.length && SEPARATOR_AFTER.test(text[sp.end]!) ? sp.end + 1 : sp.end;
    out += text.slice(last, sp.start) + ' '.repeat(end - sp.start);
    last = end;
  }
  return out + text.slice(last);
}

const SEPARATOR_AFTER = /[\-./]/;

/** Collects the spans of each detector in turn; a span overlapping one of an earlier detector is dropped. */
class SpanSet {
  /** Accepted spans in detector priority order. */
  readonly spans: Span[] = [];
  /** The same spans sorted by start, for the overlap checks. */
  #sorted: Span[] = [];

  run(detect: (text: string, spans: Span[]) => void, text: string): void {
    const found: Span[] = [];
    detect(this.#sorted.length === 0 ? text : masked(text, this.#sorted), found);
    if (found.length === 0) return;
    const free = this.#sorted.length === 0 ? found : freeSpans(this.#sorted, found);
    if (free.length === 0) return;
    for (const sp of free) this.spans.push(sp);
    this.#sorted = this.#sorted.length === 0 ? free : mergeSpans(this.#sorted, free);
  }
}

/**
 * Spans found in `text` (already a detection view), in detector priority order, without overlaps
 * (an earlier detector wins). Linear in the number of spans: each detector's spans are sorted.
 */
export function detectSpans(text: string, h: Hints = hintsOf(text)): Span[] {
  const set = new SpanSet();
  if (h.at) set.run(detectEmails, text);
  if (h.slash && hasSocialHint(text)) set.run(detectSocialLinks, text);
  if (h.digits >= 7) {
    if (text.length >= 15) set.run(detectIbans, text);
    if (h.digits >= 13) set.run(detectCards, text);
    if (h.digits >= 9) set.run(detectSsns, text);
    set.run(detectPhones, text);
  }
  if (h.digits >= 4 && hasBirthHint(text)) set.run(detectBirthDates, text);
  return set.spans;
}

/** A bare date or ISO 8601 timestamp: the most common digit-heavy string, never PII on its own. */
const TIMESTAMP = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

function scanSegment(s: string, sink: DetectSink, hints?: Hints): string {
  if (s.length < MIN_DETECTABLE) return s;
  let h = hints ?? hintsOf(s);
  if (!mayMatch(h)) return s;
  if (!h.at && !h.nonAscii && s.length <= 35 && TIMESTAMP.test(s)) return s;
  // Escapes quoted as text (`\n`), typographic dashes and percent escapes are read through a view; ASCII without a backslash or `%` is its own.
  const view = h.nonAscii || s.includes('\\') || (h.percent && hasPercentEscape(s)) ? detectionView(s) : null;
  if (view !== null) {
    h = hintsOf(view.text);
    if (!mayMatch(h)) return s;
  }
  const spans = detectSpans(view?.text ?? s, h);
  if (spans.length === 0) return s;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const sp of spans) {
    const [a, b] = view ? originalSpan(view, sp.start, sp.end) : [sp.start, sp.end];
    if (a < last) continue;
    out += s.slice(last, a) + sink.tokenizeDetected(sp.category, s.slice(a, b));
    last = b;
  }
  return out + s.slice(last);
}

/** Replaces every detected value in `s` by its token; returns `s` itself when nothing was found. */
export function scanValue(s: string, sink: DetectSink): string {
  if (s.length < MIN_DETECTABLE) return s;
  const h = hintsOf(s);
  if (!mayMatch(h)) return s;
  if (h.guillemet) return mapOutsideTokens(s, (seg) => scanSegment(seg, sink));
  return scanSegment(s, sink, h);
}
