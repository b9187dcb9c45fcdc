import { describe, expect, it } from 'vitest';
import { policyForFields, type CatalogEntry } from '../../../src/mcp/catalog-cache.js';
import { saidByUpstream, type UpstreamMessageContext } from '../../../src/mcp/upstream-message.js';

const fields = [
  { name: 'start', type: 'datetime', pii: null },
  { name: 'end', type: 'datetime', pii: null },
  { name: 'resourceId', type: 'id', pii: null, references: 'resources' },
  { name: 'currency', type: 'enum', pii: null, enum: ['GBP', 'EUR'] },
  { name: 'contactName', type: 'string', pii: 'NAME' },
  { name: 'gender', type: 'enum', pii: 'BIO', enum: ['female', 'male'] },
  { name: 'status', type: 'enum', pii: null, enum: ['open', 'closed'] },
];
const entry = {
  entityType: { type: 'bookings', title: 'Bookings', fields, commands: [{ name: 'cancel' }, { name: 'mark_paid' }] },
  policy: policyForFields(fields),
} as unknown as CatalogEntry;

const context = (sent: Record<string, unknown>, extra: Partial<UpstreamMessageContext> = {}): UpstreamMessageContext => ({ redacting: true, tokensResolved: false, sent, entry, ...extra });
const shown = (message: string) => ` The account system said: ${message}`;
const WITHHELD = " (Its message is not shown: it has words that are neither an error's usual words nor a quote of the arguments, which could be personal data.)";

describe('saidByUpstream, in a redacted session', () => {
  it("shows a message made of an error's usual words, the catalog's names, short numbers and the assistant's own words", () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["Field 'end' of bookings must be after 'start'.", { type: 'bookings', id: 'bkg_000001', data: { end: '2001-01-01T00:00:00Z' } }],
      ['This booking is already cancelled.', { type: 'bookings', id: 'bkg_000001', command: 'cancel' }],
      ["Field 'currency' must be one of: GBP, EUR.", { type: 'bookings', data: { currency: 'gbp' } }],
      ["Field 'end' must be an ISO 8601 date-time like 2025-06-02T09:00:00Z.", { type: 'bookings', data: { end: 'soon' } }],
      ["Field 'resourceId' of bookings: there is no resources record 'res_000999'.", { type: 'bookings', data: { resourceId: 'res_000999' } }],
      ['filter.end.gt must be a string, number, boolean or null.', { type: 'bookings', filter: { end: { gt: [] } } }],
      ["Bookings have no command 'mark_pain'.", { type: 'bookings', id: 'bkg_000001', command: 'mark_pain' }],
      ["pageSize must be an integer between 1 and 200.", { type: 'bookings', pageSize: 500 }],
      ["Argument 'reason' must be a string.", { type: 'bookings', id: 'bkg_000001', command: 'cancel', args: { reason: 42 } }],
      // A name's plural in `es` after a sibilant.
      ['Statuses must be one of: open, closed.', { type: 'bookings', data: { status: 'x' } }],
      // Other APIs' words (Django REST, GitHub).
      ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.', { type: 'bookings', data: { start: 'soon' } }],
      ['Resource not accessible by integration', { type: 'bookings' }],
      // The assistant's own words, accented, in another script or in a field name, are shown back: they are its own.
      ["Bookings have no field 'Müller'.", { type: 'bookings', filter: { Müller: 1 } }],
      ["Bookings have no field 'Παπαδόπουλος'.", { type: 'bookings', sort: 'Παπαδόπουλος' }],
      ["There is no bookings record 'Ａｖａ'.", { type: 'bookings', id: 'Ａｖａ' }],
    ];
    for (const [message, sent] of cases) expect(saidByUpstream(message, context(sent)), message).toBe(shown(message));
  });

  it("reads the type's names as the assistant's words when the catalog has no description of it", () => {
    const message = "Field 'end' of bookings must be after 'start'.";
    expect(saidByUpstream(message, context({ type: 'bookings', data: { end: 'x' } }, { entry: undefined }))).toBe(shown(message));
    expect(saidByUpstream('This booking is already cancelled.', context({ type: 'bookings', id: 'bkg_000001', command: 'cancel' }, { entry: undefined }))).toBe(
      shown('This booking is already cancelled.'),
    );
    expect(saidByUpstream("Field 'contactName' of bookings is read-only.", context({ type: 'bookings', data: { end: 'x' } }, { entry: undefined }))).toBe(WITHHELD);
  });

  it('withholds a message with words of the upstream that are not an error\'s usual words: a person it names, whoever it is', () => {
    for (const message of ['Booking of Priya Moreau overlaps another.', 'Owner: Li Na.', 'Reserved by 李娜.', 'Conflicts with the booking of Ayşe.', 'Le champ end est obligatoire.']) {
      expect(saidByUpstream(message, context({ type: 'bookings', id: 'bkg_000001' })), message).toBe(WITHHELD);
    }
    // A name the assistant sent does not let another through beside it.
    expect(saidByUpstream("There is no bookings record 'Priya'; Priya Moreau has one.", context({ type: 'bookings', id: 'Priya' }))).toBe(WITHHELD);
  });

  it('withholds a guess the upstream rewrote as it quoted it, however it rewrote it', () => {
    // [what the assistant sent, how the upstream quoted it]: cut, normalized, sanitized, transliterated, decoded, rotated.
    const rot13 = (text: string) => text.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c <= 'Z' ? 65 : 97)));
    const cases: Array<[string, string]> = [
      ['Moreaux', 'Moreau'],
      ['zzMoreau', 'Moreau'],
      ['Du pont', 'Dupont'],
      ['a/Fe\u0001rré/b', 'a/Ferré/b'],
      ['Fe中rré', 'Ferre'],
      ['Łukasz', 'Lukasz'],
      ['Müller', 'Mueller'],
      ['Παπαδόπουλος', 'Papadopoulos'],
      ['ᴍᴏʀᴇᴀᴜ', 'Moreau'],
      ['Mo1reau', 'Moreau'],
      ['M&#111;reau', 'Moreau'],
      ['Ren&eacute;e', 'Renée'],
      ['Mo%72eau', 'Moreau'],
      ['Mo\\u0072eau', 'Moreau'],
      ['Groß', 'GROSS'],
      [Buffer.from('Papadopoulos').toString('base64'), 'Papadopoulos'],
      [rot13('Moreau'), 'Moreau'],
    ];
    for (const [sent, quoted] of cases) {
      expect(saidByUpstream(`There is no bookings record '${quoted}'.`, context({ type: 'bookings', id: sent })), sent).toBe(WITHHELD);
      expect(saidByUpstream(`Bookings have no field '${quoted}'.`, context({ type: 'bookings', filter: { [sent]: 1 } })), sent).toBe(WITHHELD);
    }
  });

  it('reads numbers whole: a longer one is shown only as a quote of the arguments', () => {
    expect(saidByUpstream('There is no bookings record 1234567.', context({ type: 'bookings', id: 1234567 }))).toBe(WITHHELD);
    expect(saidByUpstream("There is no bookings record '1234567'.", context({ type: 'bookings', id: 1234567 }))).toBe(shown("There is no bookings record '1234567'."));
    expect(saidByUpstream('pageSize must be at most 200.', context({ type: 'bookings', pageSize: 201 }))).toBe(shown('pageSize must be at most 200.'));
    // Groups of digits are one number, however the detectors read its shape.
    for (const number of ['555-0143', '415_555_0143', '07700·900·123', '123 - 45 - 6789', '555  0143', '555…0143', '4111 - 1111 - 1111 - 1111', '123 45 6789', '123.456.789-09', '4111.1111.1111.1111', '12/03/1985']) {
      expect(saidByUpstream(`Contact 12 is on ${number}.`, context({ type: 'bookings', id: 'bkg_000001' })), number).toBe(WITHHELD);
    }
    // A code of letters and digits is one word (a postcode), an ISO date or time is not a number.
    expect(saidByUpstream('Contact 12 lives at K1A 0B1.', context({ type: 'bookings', id: 'bkg_000001' }))).toBe(WITHHELD);
    expect(saidByUpstream('start must be after 2025-06-02 09:00.', context({ type: 'bookings' }))).toBe(shown('start must be after 2025-06-02 09:00.'));
    for (const message of ['The resource is not available on 2025-06-02, 2025-06-03.', 'The booking must start after 2025-06-02 09:00 +02:00.']) {
      expect(saidByUpstream(message, context({ type: 'bookings' })), message).toBe(shown(message));
    }
    // Whole: not the front of a longer number.
    for (const number of ['1985-03-12-4567', '1234-12-28/9012', '2025-06-02t09:00:00:12']) {
      expect(saidByUpstream(`This booking has code ${number}.`, context({ type: 'bookings' })), number).toBe(WITHHELD);
    }
    // Unless the type may hold birth dates, or the catalog has not said.
    const withDob = { ...entry, entityType: { ...entry.entityType, fields: [...fields, { name: 'dob', type: 'date', pii: 'DOB' }] } } as unknown as CatalogEntry;
    for (const other of [withDob, undefined]) {
      for (const date of ['1985-03-12', '12/03/85', '85-03-12', '1985 - 03 - 12']) {
        expect(saidByUpstream(`start must be after ${date}.`, context({ type: 'bookings' }, { entry: other })), date).toBe(WITHHELD);
      }
      expect(saidByUpstream('start must be after 09:00.', context({ type: 'bookings' }, { entry: other }))).toBe(shown('start must be after 09:00.'));
      expect(saidByUpstream('This booking has code 55:50:14.', context({ type: 'bookings' }, { entry: other }))).toBe(WITHHELD);
      expect(saidByUpstream('This booking has code 12:34:56:78.', context({ type: 'bookings' }, { entry: other }))).toBe(WITHHELD);
      expect(saidByUpstream('This booking has code 12:34 567890.', context({ type: 'bookings' }, { entry: other }))).toBe(WITHHELD);
    }
  });

  it("lends the assistant's words only as a quote of one whole string it sent: a list of guesses lends nothing", () => {
    const names = 'Amelia Oliver Priya Moreau Noah Okafor Sam Adams';
    const cancelledBy = 'This booking was cancelled by Priya Moreau.';
    for (const args of [{ reason: names }, { guesses: names.split(' ') }, { [names]: 1 }, { reason: 'Priya Moreau' }]) {
      expect(saidByUpstream(cancelledBy, context({ type: 'bookings', id: 'bkg_000001', command: 'cancel', args })), JSON.stringify(args)).toBe(WITHHELD);
    }
    // Quoted, the upstream says back exactly what one argument said.
    expect(saidByUpstream("Bookings have no field 'x Priya Moreau Zed'.", context({ type: 'bookings', filter: { 'x Priya Moreau Zed': 1 } }))).toBe(
      shown("Bookings have no field 'x Priya Moreau Zed'."),
    );
    // A quote of part of a string, or of two strings, is no quote of the arguments.
    expect(saidByUpstream("Bookings have no field 'Priya Moreau'.", context({ type: 'bookings', filter: { 'x Priya Moreau Zed': 1 } }))).toBe(WITHHELD);
    expect(saidByUpstream("Bookings have no field 'Priya Moreau'.", context({ type: 'bookings', filter: { Priya: 1, Moreau: 2 } }))).toBe(WITHHELD);
    // More strings of words nothing else explains than a call needs are a list of guesses: none of them is lent.
    const guesses = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`guess ${i}`, 1]));
    expect(saidByUpstream("Bookings have no field 'Moreau'.", context({ type: 'bookings', filter: { ...guesses(8), Moreau: 1 } }))).toBe(WITHHELD);
    expect(saidByUpstream("Bookings have no field 'Moreau'.", context({ type: 'bookings', filter: { ...guesses(7), Moreau: 1 } }))).toBe(shown("Bookings have no field 'Moreau'."));
    // Strings of the catalog's and an error's words are no guesses.
    const plain = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`end ${i}`, 'start']));
    expect(saidByUpstream("Bookings have no field 'Moreau'.", context({ type: 'bookings', filter: { ...plain, Moreau: 1 } }))).toBe(shown("Bookings have no field 'Moreau'."));
    const echoed0 = "Resource 'x is booked by Priya Moreau until y'.";
    // Numbers and dates the message would not show unquoted are guesses as much as names.
    const dates = Array.from({ length: 9 }, (_, i) => `19${60 + i}-03-12`);
    expect(saidByUpstream("Members have no field '1985-03-12'.", context({ type: 'members', filter: Object.fromEntries([...dates, '1985-03-12'].map((d) => [d, 1])) }, { entry: undefined }))).toBe(
      WITHHELD,
    );
    // Nor are they free when written with other separators than the quote's: only guesses lend.
    const spaced = Array.from({ length: 9 }, (_, i) => `19${60 + i}, 03, 12`);
    expect(saidByUpstream("Members have no field '1985-03-12'.", context({ type: 'members', filter: Object.fromEntries([...spaced, '1985, 03, 12'].map((d) => [d, 1])) }, { entry: undefined }))).toBe(
      WITHHELD,
    );
    // A quote mark in what the call sent could pair with one of the upstream's: such a call lends nothing.
    expect(saidByUpstream(echoed0, context({ type: 'bookings', filter: { 'x is booked by Priya Moreau until y': 1, 'Resource ＇x': 1, 'y＇': 1 } }))).toBe(WITHHELD);
    // Nor does one nested deeper than any call of these tools needs.
    let deep: Record<string, unknown> = { Moreau: 1 };
    for (let i = 0; i < 70; i++) deep = { x: deep };
    expect(saidByUpstream("Bookings have no field 'Moreau'.", context({ type: 'bookings', filter: deep }))).toBe(WITHHELD);
    const echoed = "Resource 'x is booked by Priya Moreau until y'.";
    expect(saidByUpstream(echoed, context({ type: 'bookings', filter: { "x is booked by Priya Moreau until y": 1, "Resource 'x": 1, "y'": 1 } }))).toBe(WITHHELD);
  });

  it('reads the id the call names as a name, and the quotes of other languages as quotes', () => {
    expect(saidByUpstream('Booking bkg_000001 is already cancelled.', context({ type: 'bookings', id: 'bkg_000001', command: 'cancel' }))).toBe(
      shown('Booking bkg_000001 is already cancelled.'),
    );
    expect(saidByUpstream('Bookings have no field „Müller“.', context({ type: 'bookings', filter: { Müller: 1 } }))).toBe(shown('Bookings have no field „Müller“.'));
  });

  it('reads no plural into the vocabulary, no enum value of a field that holds personal data, and a name of several words only whole', () => {
    for (const message of ['Cancelled by J. Doe.', 'Cancelled by Do Thi Ha.', 'Contact 12 is female.', 'This booking was already paid by Mark Page.', 'The owner is ፩፪.']) {
      expect(saidByUpstream(message, context({ type: 'bookings', id: 'bkg_000001' })), message).toBe(WITHHELD);
    }
    expect(saidByUpstream('Bookings have no command mark_paid for this booking.', context({ type: 'bookings', id: 'bkg_000001' }))).toBe(
      shown('Bookings have no command mark_paid for this booking.'),
    );
    // Whole means with one space, `_` or `-` between its words, not across punctuation or a quote.
    for (const message of ["Mark 'bkg_000001' Paid.", 'Mark. Paid.']) {
      expect(saidByUpstream(message, context({ type: 'bookings', id: 'bkg_000001' })), message).toBe(WITHHELD);
    }
  });

  it('withholds a message with characters a model reads but words do not show', () => {
    const tags = (text: string) => [...text].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const selectors = (text: string) => [...Buffer.from(text)].map((byte) => String.fromCodePoint(byte < 16 ? 0xfe00 + byte : 0xe0100 + byte - 16)).join('');
    for (const message of [`Not allowed.${tags('Priya Moreau')}`, `Not allowed.${selectors('Priya Moreau')}`, 'Not allowed \u3164.', 'Not allowed\u0007.', 'Not allowed \ud800.', 'Not allowed: ⠏⠗⠊⠽⠁.', 'Not allowed \u{1F1F5}.', 'Not allowed \uE000.']) {
      expect(saidByUpstream(message, context({ type: 'bookings' })), message).toBe(' (Its message is not shown: it may hold personal data.)');
    }
  });

  it('withholds what the detectors find, even when the assistant sent it', () => {
    for (const [message, sent] of [
      ["Bookings have no field 'dob 1985-03-12'.", { type: 'bookings', filter: { 'dob 1985-03-12': 1 } }],
      ['There is no bookings record ops@example.com.', { type: 'bookings', id: 'ops@example.com' }],
      ['There is no bookings record +44 20 7946 0958.', { type: 'bookings', id: '+44 20 7946 0958' }],
    ] as const) {
      expect(saidByUpstream(message, context(sent)), message).toBe(' (Its message is not shown: it may hold personal data.)');
    }
  });

  it('reads the assistant\'s words only in arguments of up to 16 KB', () => {
    const message = "Bookings have no field 'Moreau'.";
    const sent = (notes: string) => ({ type: 'bookings', filter: { Moreau: 1 }, data: { notes } });
    expect(saidByUpstream(message, context(sent('x'.repeat(16 * 1024 - 100))))).toBe(shown(message));
    expect(saidByUpstream(message, context(sent('x'.repeat(16 * 1024))))).toBe(WITHHELD);
    // An error's usual words need none of them.
    expect(saidByUpstream('The request body is too large.', context(sent('x'.repeat(64 * 1024))))).toBe(shown('The request body is too large.'));
  });

  it('withholds every message once tokens went upstream as the values they stand for', () => {
    expect(saidByUpstream('The request body is too large.', context({ type: 'bookings' }, { tokensResolved: true }))).toBe(
      ' (Its message is not shown: it could repeat personal data passed to it as a «PII:…» token.)',
    );
    expect(saidByUpstream(undefined, context({}))).toBe('');
  });
});

describe('saidByUpstream, when the person shares personal data', () => {
  it('quotes every message as it is', () => {
    const message = 'Booking of Priya Moreau overlaps another.';
    expect(saidByUpstream(message, context({ type: 'bookings' }, { redacting: false }))).toBe(shown(message));
  });
});
