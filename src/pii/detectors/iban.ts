/**
 * IBANs (ISO 13616): country code, two check digits, BBAN; printed compact or in groups of four.
 * Groups may be split by one or two spaces or a dash, an upper-case country code too ("DE 89 3704
 * …"; in lower case that would be any "at 12 …").
 * A candidate must have the registered length of its country and pass the mod-97 check, so
 * ids that merely look like an IBAN are left alone. Countries not in the table are not detected.
 */

import { addSpan, type Span } from './span.js';

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

const CANDIDATE = /(?<![\p{L}\p{N}])(?:[A-Za-z]{2}|[A-Z]{2}[ \-])[0-9]{2}(?:(?: {1,2}|-)?[A-Za-z0-9]){10,32}/gu;

export function isValidIban(compact: string): boolean {
  const s = compact.toUpperCase();
  if (IBAN_LENGTHS[s.slice(0, 2)] !== s.length) return false;
  const r = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) rem = (rem * 10 + (c - 0x30)) % 97;
    else if (c >= 0x41 && c <= 0x5a) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

export function detectIbans(text: string, spans: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    // A failed candidate is retried from its next word: "Ref AB12 DE89 3704 …" holds an IBAN after
    // its first word. The candidate is at most ~70 characters, so the rescans stay linear.
    CANDIDATE.lastIndex = m.index + 1;
    const want = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (want === undefined) continue;
    // Take exactly `want` alphanumerics; the candidate may have run into following words.
    let compact = '';
    let end = m.index;
    for (; end < m.index + m[0].length && compact.length < want; end++) {
      const ch = text[end]!;
      if (ch !== ' ' && ch !== '-') compact += ch;
    }
    if (compact.length !== want) continue;
    const next = text.charCodeAt(end);
    if ((next >= 0x30 && next <= 0x39) || /[\p{L}]/u.test(text[end] ?? '')) continue;
    if (isValidIban(compact)) {
      addSpan(spans, { start: m.index, end, category: 'FINANCIAL' });
      CANDIDATE.lastIndex = end;
    }
  }
}
