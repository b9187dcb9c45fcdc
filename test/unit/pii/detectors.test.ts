import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRedactionPolicy, createVault, detectSpans, findTokens, isPhoneNumber, isValidIban, luhnValid, matchKey, redact, redactText, viewOf, type PiiCategory } from '../../../src/pii/index.js';
import { addSpan, freeSpans, mergeSpans, type Span } from '../../../src/pii/detectors/span.js';

function categoriesIn(text: string): string[] {
  return findTokens(redactText(text, createVault(randomBytes(32)))).map((t) => t.split(':')[1]!);
}

/** [text, the PII substring expected to disappear, its category] */
const POSITIVES: Array<[string, string, PiiCategory]> = [
  ['mail alice.smith@example.com today', 'alice.smith@example.com', 'EMAIL'],
  ['Alice.Smith+desk@Sub.Example.CO.UK.', 'Alice.Smith+desk@Sub.Example.CO.UK', 'EMAIL'],
  ['josé.müller@exämple.de', 'josé.müller@exämple.de', 'EMAIL'],
  ['full-width ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ here', 'ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'EMAIL'],
  ['zero\u200bwidth ali\u200bce@exa\u200bmple.com', 'ali\u200bce@exa\u200bmple.com', 'EMAIL'],
  ['Call +44 20 7946 0958 now', '+44 20 7946 0958', 'PHONE'],
  ['Call +44 (0)20 7946 0958 now', '+44 (0)20 7946 0958', 'PHONE'],
  ['US: +1-202-555-0143.', '+1-202-555-0143', 'PHONE'],
  ['intl 0044 20 7946 0958', '0044 20 7946 0958', 'PHONE'],
  ['local 020 7946 0958', '020 7946 0958', 'PHONE'],
  ['local (202) 555-0143', '(202) 555-0143', 'PHONE'],
  ['dots 202.555.0143', '202.555.0143', 'PHONE'],
  ['Tel:+442079460958', '+442079460958', 'PHONE'],
  ['fr 01 23 45 67 89', '01 23 45 67 89', 'PHONE'],
  ['de 030/1234567', '030/1234567', 'PHONE'],
  ['full-width ＋４４ ２０ ７９４６ ０９５８', '＋４４ ２０ ７９４６ ０９５８', 'PHONE'],
  ['arabic-indic +٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨', '+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨', 'PHONE'],
  ['Room 12 020 7946 0958', '020 7946 0958', 'PHONE'],
  ['list 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 020 7946 0958', '020 7946 0958', 'PHONE'],
  ['nums 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 4111 1111 1111 1111', '4111 1111 1111 1111', 'FINANCIAL'],
  ['IBAN GB82 WEST 1234 5698 7654 32 please', 'GB82 WEST 1234 5698 7654 32', 'FINANCIAL'],
  ['iban DE89370400440532013000', 'DE89370400440532013000', 'FINANCIAL'],
  ['lower de89 3704 0044 0532 0130 00 ok', 'de89 3704 0044 0532 0130 00', 'FINANCIAL'],
  ['card 4111 1111 1111 1111 exp 12/27', '4111 1111 1111 1111', 'FINANCIAL'],
  ['card 5500-0000-0000-0004', '5500-0000-0000-0004', 'FINANCIAL'],
  ['amex 378282246310005', '378282246310005', 'FINANCIAL'],
  ['ssn 123-45-6789', '123-45-6789', 'ID_DOC'],
  ['She was born on 12 March 1985 in Leeds', '12 March 1985', 'DOB'],
  ['Date of birth: 1985-03-12', '1985-03-12', 'DOB'],
  ['DOB 12/03/1985', '12/03/1985', 'DOB'],
  ['born in 1985', '1985', 'DOB'],
  ['birthday March 12, 1985', 'March 12, 1985', 'DOB'],
  ['see https://www.linkedin.com/in/alice-smith-123/ for more', 'https://www.linkedin.com/in/alice-smith-123/', 'SOCIAL'],
  ['twitter.com/alice_s', 'twitter.com/alice_s', 'SOCIAL'],
  // CSV rows: `,` and a digit ends a value, it does not make it a decimal.
  ['Alice,202-555-0143,42', '202-555-0143', 'PHONE'],
  ['Alice,123-45-6789,1985', '123-45-6789', 'ID_DOC'],
  ['4111111111111111,12/27,123', '4111111111111111', 'FINANCIAL'],
  ['+44 20 7946 0958,42', '+44 20 7946 0958', 'PHONE'],
  // JSON escapes quoted as text: the letter of `\n` does not glue to the value.
  ['note:\\n07700 900123', '07700 900123', 'PHONE'],
  ['\\n4111 1111 1111 1111', '4111 1111 1111 1111', 'FINANCIAL'],
  ['\\n123-45-6789', '123-45-6789', 'ID_DOC'],
  ['\\tDE89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130 00', 'FINANCIAL'],
  ['Date of birth:\\n12/03/1985', '12/03/1985', 'DOB'],
  // Typographic dashes separate as `-` does.
  ['call 202\u2011555\u20110143', '202\u2011555\u20110143', 'PHONE'],
  ['a dash of two code units 202\u{10EAD}555\u{10EAD}0143 ok', '202\u{10EAD}555\u{10EAD}0143', 'PHONE'],
  // Hyphens in a string that also holds non-ASCII text stay hyphens.
  ['Zoë: x_y-z22@mail-host95.de', 'x_y-z22@mail-host95.de', 'EMAIL'],
  ['naïve 020-7946-0958', '020-7946-0958', 'PHONE'],
  ['card 4111\u20131111\u20131111\u20131111', '4111\u20131111\u20131111\u20131111', 'FINANCIAL'],
  ['ssn 123\u201345\u20136789', '123\u201345\u20136789', 'ID_DOC'],
  ['ssn 123\u221245\u22126789', '123\u221245\u22126789', 'ID_DOC'],
  ['https://www.facebook.com/profile.php?id=100012345678901', 'https://www.facebook.com/profile.php?id=100012345678901', 'SOCIAL'],
  ['IBAN DE 89 3704 0044 0532 0130 00', 'DE 89 3704 0044 0532 0130 00', 'FINANCIAL'],
  ['DE89  3704  0044  0532  0130  00', 'DE89  3704  0044  0532  0130  00', 'FINANCIAL'],
  ['born 1985/03/12', '1985/03/12', 'DOB'],
  ['DOB: 1985.03.12', '1985.03.12', 'DOB'],
  // Percent-encoded, as in a URL: the escapes go into the token with the value.
  ['mailto:alice%40example.com', 'alice%40example.com', 'EMAIL'],
  ['Contact: alice.smith%40Example.com.', 'alice.smith%40Example.com', 'EMAIL'],
  ['tel=%2B442079460958', '%2B442079460958', 'PHONE'],
  ['q=%2b44%2020%207946%200958', '%2b44%2020%207946%200958', 'PHONE'],
  ['ssn=123%2D45%2D6789', '123%2D45%2D6789', 'ID_DOC'],
  ['tel=%2B44+20+7946+0958&x=1', '%2B44+20+7946+0958', 'PHONE'],
  // Encoded twice and three times, as a link in another link's query is.
  ['next=%2Fcontact%3Fmailto%253Aalice%2540example.com', 'alice%2540example.com', 'EMAIL'],
  ['u=tel%253A%252B442079460958', '%252B442079460958', 'PHONE'],
  ['link: alice%252540example.com', 'alice%252540example.com', 'EMAIL'],
  // Glued to the label that says what it is.
  ['Tel020 7946 0958', '020 7946 0958', 'PHONE'],
  ['Mob+44 7700 900123', '+44 7700 900123', 'PHONE'],
  ['PHONE0412 345 678', '0412 345 678', 'PHONE'],
  ['DOB: 1985-Mar-12', '1985-Mar-12', 'DOB'],
  ['DOB 1985 03 12', '1985 03 12', 'DOB'],
  ['DOB 12-MAR-1985', '12-MAR-1985', 'DOB'],
  ['DOB \u2014 12.03.1985', '12.03.1985', 'DOB'],
  ['{"dob":"1985-03-12"}', '1985-03-12', 'DOB'],
  ['dateOfBirth: 1985-03-12', '1985-03-12', 'DOB'],
  ['date_of_birth=1985-03-12', '1985-03-12', 'DOB'],
  ['birth_date: 1985-03-12', '1985-03-12', 'DOB'],
  ['born: "1985-03-12"', '1985-03-12', 'DOB'],
  ['alice@example.com-', 'alice@example.com', 'EMAIL'],
  ['alice@example.com--Bob', 'alice@example.com', 'EMAIL'],
  ['write to alice@example.com-shop.de', 'alice@example.com-shop.de', 'EMAIL'],
  ['Tel.020 7946 0958', '020 7946 0958', 'PHONE'],
  ['Mob.07700 900123', '07700 900123', 'PHONE'],
  ['be 02.123.45.67', '02.123.45.67', 'PHONE'],
];

const NEGATIVES: string[] = [
  'coverage 95%2C then 99%25 of 2024-01-15',
  'Hotel020 7946 0958 Intel0207946095 cellar2079460958',
  'a%20b%20c%2Fd%3Fe%3D1',
  'bkg_004512',
  'booking bkg_004512 and mem_0001234567',
  'INV-2024-000123',
  'invoice 2024-000123',
  '2024-01-15T10:30:00Z',
  '2024-01-15T10:30:00.123+02:00',
  '2024-01-15 10:30:00',
  'from 2024-01-15 to 2024-02-15',
  '2024-01-15 2024-02-15',
  '15.01.2024 16.02.2024',
  '01/02/2024 03/04/2024 05-06-2024',
  '15.01.2024 12:30',
  '01/02/2024',
  'amount 1234567.89 EUR',
  'amount 1,234,567.89',
  '1 234 567,89 €',
  'total: 1234567890',
  'unix 1700000000 and 1700000000123',
  'order 12345678',
  'ref 0000123456',
  'uuid 550e8400-e29b-41d4-a716-446655440000',
  'sha 3f786850e387550fdab836ed7e6dc881de23001b',
  'version 1.2.3.4567890',
  'GB82 WEST 1234 5698 7654 33',
  'AB12CDEFGHIJKLMNOP',
  '4111 1111 1111 1112',
  '1234 5678 9012 3456',
  'Meeting on 1985-03-12 in room 4',
  'alice at example dot com',
  '@alice_smith',
  'user@localhost',
  'x'.repeat(200),
  'price +12.50',
  'call ext. 555-0143',
  'ISBN 978-3-16-148410-0',
  'dates 15/01/24 16/01/24 17/01/24',
  'at 10:05:30 and 1,234,567',
  'ISBN 0-306-40615-2',
  'ISBN-10: 0306406152',
  'ISBN 978-0-306-40615-7',
  '10.0.0.1 - 10.0.0.254',
  'vals 0.5 0.25 0.125 0.0625',
];

describe('value detectors', () => {
  it.each(POSITIVES)('finds %j', (text, pii, category) => {
    const vault = createVault(randomBytes(32));
    const out = redactText(text, vault);
    expect(out).not.toContain(pii);
    const tokens = findTokens(out);
    expect(tokens.map((t) => t.split(':')[1])).toContain(category);
    expect(tokens.map((t) => vault.resolve(t))).toContain(pii);
  });

  it.each(NEGATIVES)('leaves %j alone', (text) => {
    expect(redactText(text, createVault(randomBytes(32)))).toBe(text);
  });

  it('reports spans in priority order without overlaps', () => {
    const spans = detectSpans('a 4420794609@example.com b');
    expect(spans.map((s) => s.category)).toEqual(['EMAIL']);
  });

  it.each([
    ['2024-01-15 020 7946 0958', '2024-01-15 '],
    ['020 7946 0958 2024-01-15', ' 2024-01-15'],
    ['15.01.2024 (020) 7946 0958', '15.01.2024 '],
  ])('takes the phone beside a date in %j whole, and the date not at all', (text, kept) => {
    const vault = createVault(randomBytes(32));
    const out = redactText(text, vault);
    expect(out.replace(/«PII:PHONE:[0-9a-f]+»/, '')).toBe(kept);
    expect(vault.resolve(findTokens(out)[0]!)).toBe(text.replace(kept, ''));
  });

  /** `text` redacted, each token shown as [CATEGORY], and the values the tokens stand for, in order. */
  function shown(text: string): [string, string[]] {
    const vault = createVault(randomBytes(32));
    const out = redactText(text, vault);
    return [out.replace(/«PII:([A-Z_]+):[0-9a-f]+»/g, '[$1]'), findTokens(out).map((t) => vault.resolve(t)!)];
  }

  it.each<[string, string, string[]]>([
    // A comma and a digit after a value: the next field, not a decimal the value backs off from.
    ['020 7946 0958,020 7946 0959', '[PHONE],[PHONE]', ['020 7946 0958', '020 7946 0959']],
    ['+44 20 7946 0958,42', '[PHONE],42', ['+44 20 7946 0958']],
    ['4111111111111111,12/27,123', '[FINANCIAL],12/27,123', ['4111111111111111']],
    ['020 7946 0958 10:30', '[PHONE] 10:30', ['020 7946 0958']],
    ['202-555-0143x123 or +44 20 7946 0958 ext. 12', '[PHONE]x123 or [PHONE] ext. 12', ['202-555-0143', '+44 20 7946 0958']],
    ['+44 20 7946 0958x12', '[PHONE]x12', ['+44 20 7946 0958']],
    // A short date or a price never starts the window; the minutes of a time before a phone go with it (the safe side).
    ['at 10:05 020 7946 0958', 'at 10:[PHONE]', ['05 020 7946 0958']],
    ['15/01/24 020 7946 0958', '15/01/24 [PHONE]', ['020 7946 0958']],
    ['£0.99 020 7946 0958', '£0.99 [PHONE]', ['020 7946 0958']],
    // Where valid windows overlap, they go into one token: taking either left the other's groups in plain.
    ['Ref 0123 020 7946 0958', 'Ref [PHONE]', ['0123 020 7946 0958']],
    ['Flat 012. 020 7946 0958', 'Flat [PHONE]', ['012. 020 7946 0958']],
    ['Tel 0412 345 678 2024', 'Tel [PHONE]', ['0412 345 678 2024']],
    ['Tél : 01 23 45 67 89 / 06 12 34 56 78', 'Tél : [PHONE]', ['01 23 45 67 89 / 06 12 34 56 78']],
    ['01 23 45 67 89 - 06.12.34.56.78', '[PHONE]', ['01 23 45 67 89 - 06.12.34.56.78']],
    ['020 7946 0958 0123', '[PHONE] 0123', ['020 7946 0958']],
    // The same for cards.
    ['Qty 3 4253 3478 3715 3841', 'Qty [FINANCIAL]', ['3 4253 3478 3715 3841']],
    ['Card 4205 6405 8470 2961 0427 thanks', 'Card [FINANCIAL] thanks', ['4205 6405 8470 2961 0427']],
    // After a key with a digit in it, before `:` and an expiry, beside a dash used as punctuation.
    ['phone2:+447700900123', 'phone2:[PHONE]', ['+447700900123']],
    ['card1:4111111111111111', 'card1:[FINANCIAL]', ['4111111111111111']],
    ['4111111111111111:12/27:123', '[FINANCIAL]:12/27:123', ['4111111111111111']],
    ['5364-9474-5680-78:45 kg', '[FINANCIAL]:45 kg', ['5364-9474-5680-78']],
    ['0,5:07546 266748', '0,5:[PHONE]', ['07546 266748']],
    ['Call Anna\u201407700 900123\u2014tomorrow', 'Call Anna\u2014[PHONE]\u2014tomorrow', ['07700 900123']],
    ['SSN 123-45-6789\u2014verified', 'SSN [ID_DOC]\u2014verified', ['123-45-6789']],
    // A book number's own groups only: what follows it is scanned.
    ['ISBN 0-306-40615-2 020 7946 0958', 'ISBN 0-306-40615-2 [PHONE]', ['020 7946 0958']],
    ['2024-01-15 4855 1550 2013 3591', '2024-01-15 [FINANCIAL]', ['4855 1550 2013 3591']],
    // An IBAN after a word that looked like one.
    ['Ref AB12 DE89 3704 0044 0532 0130 00', 'Ref AB12 [FINANCIAL]', ['DE89 3704 0044 0532 0130 00']],
    // A value an earlier detector took is no part of a later one's window.
    ['+44 20 7946 0958 / 123-45-6789', '[PHONE] / [ID_DOC]', ['+44 20 7946 0958', '123-45-6789']],
    ['+33 1 23 45 67 89 (4111 1111 1111 1111)', '[PHONE] ([FINANCIAL])', ['+33 1 23 45 67 89', '4111 1111 1111 1111']],
    ['4111 1111 1111 1111-0472 519 624', '[FINANCIAL]-[PHONE]', ['4111 1111 1111 1111', '0472 519 624']],
    // Escapes stay as they were: only the detectors read them as blanks.
    ['a\\n020 7946 0958\\tb', 'a\\n[PHONE]\\tb', ['020 7946 0958']],
    ['mail alice%40example.com, ok', 'mail [EMAIL], ok', ['alice%40example.com']],
    ['Zoë: %2B44 20 7946 0958 – ok', 'Zoë: [PHONE] – ok', ['%2B44 20 7946 0958']],
  ])('takes the value in %j whole', (text, out, values) => {
    expect(shown(text)).toEqual([out, values]);
  });

  it('lowercases final sigma alike wherever a word stands, so a known name is found with or without a no-break space', () => {
    expect(viewOf('ΠΑΠΑΔΌΠΟΥΛΟΣ is in\u00a0!', true).text).toContain(matchKey('ΠΑΠΑΔΌΠΟΥΛΟΣ'));
    expect(viewOf('ΠΑΠΑΔΌΠΟΥΛΟΣ is in!', true).text).toContain(matchKey('Παπαδόπουλος'));
    const vault = createVault(randomBytes(32));
    redact({ fullName: 'Νίκος Παπαδόπουλος', lastName: 'Παπαδόπουλος' }, vault, buildRedactionPolicy({}));
    for (const text of ['Member ΠΑΠΑΔΌΠΟΥΛΟΣ is in.', 'Member ΠΑΠΑΔΌΠΟΥΛΟΣ is in\u00a0!']) {
      expect(redactText(text, vault)).not.toContain('ΠΑΠΑΔΌΠΟΥΛΟΣ');
    }
  });

  it('finds several values in one text', () => {
    expect(categoriesIn('Alice <alice@example.com>, +1 202 555 0143, GB82WEST12345698765432').sort()).toEqual(['EMAIL', 'FINANCIAL', 'PHONE']);
  });
});

/** Canonical tokens in `out`, counted per occurrence, by category. */
function tokenCounts(out: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of out.matchAll(/«PII:([A-Z_]+):[0-9a-f]+»/g)) counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  return counts;
}

/**
 * Adversarial input (80–105 KB each). Speed is measured in bench/pii-filter.bench.ts (numbers in bench/pii.md), never
 * asserted here. These check that each input returns with the right result (catastrophic
 * backtracking would hit vitest's per-test timeout), and that the span bookkeeping does work linear
 * in the number of spans, by counting array reads instead of timing.
 */
describe('adversarial input', () => {
  const pad = (i: number) => String(i).padStart(4, '0');
  it.each<[string, string, Record<string, number>]>([
    ['long local part', 'a'.repeat(100_000) + '@', {}],
    ['long domain', 'a@' + 'b'.repeat(100_000), {}],
    ['many labels', 'a@' + 'b.'.repeat(50_000), {}],
    ['e-mail after a long dotted run', 'a.'.repeat(50_000) + '@b.co', { EMAIL: 1 }],
    ['spaced digits', '1 '.repeat(50_000) + 'x', {}],
    ['spaced zeros', '0 '.repeat(50_000), {}],
    ['full-width spaced digits', '１ '.repeat(50_000), {}],
    ['dashed digits', '+1' + '-1'.repeat(50_000) + 'x', { PHONE: 1 }],
    ['nested parentheses', '(1'.repeat(50_000), {}],
    ['ssn-like run', '123-45-'.repeat(15_000), {}],
    ['card-length digit run', '4'.repeat(100_000), {}],
    ['iban-like', 'GB82' + ' ABCD'.repeat(20_000), {}],
    ['birth context', 'born '.repeat(20_000) + '1985', { DOB: 1 }],
    ['social link run', 'x.com/'.repeat(17_000), { SOCIAL: 8_500 }],
    ['percent escapes', '%41%2B'.repeat(15_000), {}],
    ['escaped percent escapes', '%252541'.repeat(15_000), {}],
    // Dense with values: one span per value, 5,000 each.
    ['5,000 e-mails', Array.from({ length: 5_000 }, (_, i) => `user${i}@example.com`).join(' '), { EMAIL: 5_000 }],
    ['5,000 phones', Array.from({ length: 5_000 }, (_, i) => `+44 20 7946 ${pad(i)}`).join(', '), { PHONE: 5_000 }],
    ['5,000 percent-encoded e-mails', Array.from({ length: 5_000 }, (_, i) => `user${i}%40example.com`).join(' '), { EMAIL: 5_000 }],
  ])('%s: returns, with the expected tokens', (_, text, expected) => {
    expect(text.length).toBeGreaterThanOrEqual(80_000);
    const out = redactText(text, createVault(randomBytes(32)));
    expect(tokenCounts(out)).toEqual(expected);
    if (Object.keys(expected).length === 0) expect(out).toBe(text);
  });

  /** An array that counts reads of its elements. */
  function counting(spans: Span[]): { spans: Span[]; reads: () => number } {
    let reads = 0;
    const proxy = new Proxy(spans, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { spans: proxy, reads: () => reads };
  }
  const spansAt = (n: number, offset: number, category: PiiCategory): Span[] =>
    Array.from({ length: n }, (_, i) => ({ start: i * 10 + offset, end: i * 10 + offset + 4, category }));

  it('addSpan reads a constant number of spans per call', () => {
    const list = counting([]);
    for (const sp of spansAt(5_000, 0, 'EMAIL')) addSpan(list.spans, sp);
    addSpan(list.spans, { start: 3, end: 5, category: 'EMAIL' }); // out of order: dropped
    expect(list.spans.length).toBe(5_000);
    expect(list.reads()).toBeLessThanOrEqual(5_001);
  });

  it('freeSpans and mergeSpans read each span a bounded number of times', () => {
    const taken = counting(spansAt(5_000, 0, 'EMAIL'));
    const found = counting([...spansAt(5_000, 2, 'PHONE'), ...spansAt(5_000, 60_000, 'PHONE')]);
    const free = freeSpans(taken.spans, found.spans);
    expect(free.length).toBe(5_000); // the first 5,000 overlap an e-mail each
    expect(taken.reads() + found.reads()).toBeLessThanOrEqual(4 * (5_000 + 10_000));
    const merged = counting(spansAt(5_000, 0, 'EMAIL'));
    const other = counting(spansAt(5_000, 5, 'PHONE'));
    const all = mergeSpans(merged.spans, other.spans);
    expect(all.map((sp) => sp.start)).toEqual([...all.map((sp) => sp.start)].sort((a, b) => a - b));
    expect(merged.reads() + other.reads()).toBeLessThanOrEqual(4 * 10_000);
  });

  it('detectSpans keeps priority order and drops a later detector\'s overlapping span', () => {
    // The e-mail detector wins over the phone inside the address; the second phone is free.
    const spans = detectSpans('a 4420794609@example.com b, call +44 20 7946 0958');
    expect(spans.map((sp) => sp.category)).toEqual(['EMAIL', 'PHONE']);
  });
});

describe('checksums', () => {
  it.each([
    ['GB82WEST12345698765432', true],
    ['DE89370400440532013000', true],
    ['NO9386011117947', true],
    ['GB82WEST12345698765433', false],
    ['XX82WEST12345698765432', false],
    ['DE8937040044053201300', false],
  ])('isValidIban(%s) is %s', (iban, ok) => expect(isValidIban(iban)).toBe(ok));

  it.each([
    ['4111111111111111', true],
    ['378282246310005', true],
    ['4111111111111112', false],
  ])('luhnValid(%s) is %s', (n, ok) => expect(luhnValid(n)).toBe(ok));

  it.each([
    ['+44 20 7946 0958', true],
    ['+1 202 555 0143', true],
    ['+1 202 555 014', false],
    ['2025550143', false],
    ['202-555-0143', true],
    ['02079460958', true],
    ['0000123456', false],
  ])('isPhoneNumber(%s) is %s', (n, ok) => expect(isPhoneNumber(n)).toBe(ok));
});
