import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { policyForFields, type CatalogEntry } from '../../../src/mcp/catalog-cache.js';
import { saidByUpstream } from '../../../src/mcp/upstream-message.js';
import { createVault, redact } from '../../../src/pii/index.js';

const fields = [
  { name: 'start', type: 'datetime', pii: null },
  { name: 'end', type: 'datetime', pii: null },
  { name: 'contactName', type: 'string', pii: 'NAME' },
  { name: 'dob', type: 'date', pii: 'DOB' },
];
const entry = { entityType: { type: 'bookings', fields, commands: [{ name: 'cancel' }] }, policy: policyForFields(fields) } as unknown as CatalogEntry;

describe('saidByUpstream', () => {
  const vault = createVault(randomBytes(32));
  redact({ contactName: 'Priya Moreau' }, vault, entry.policy);
  const context = (sent: Record<string, unknown>, extra: Partial<Parameters<typeof saidByUpstream>[1]> = {}) => ({ vault, tokensResolved: false, sent, entry, ...extra });

  it('quotes a message that repeats only the names of the type, its fields and commands, and holds nothing personal', () => {
    const message = "Field 'end' of bookings must be after 'start'; cancel it instead.";
    expect(saidByUpstream(message, context({ type: 'bookings', data: { end: '2001-01-01T00:00:00Z' } }))).toBe(` The account system said: ${message}`);
    // Without the type's description, its field names are words of the assistant's like any other.
    expect(saidByUpstream(message, context({ type: 'bookings', data: { end: 'x' } }, { entry: undefined }))).toContain('not shown: it repeats text of the arguments');
  });

  it("does not show a message that repeats the assistant's words, whatever the session knows of them", () => {
    for (const guess of ['Priya', 'Zed']) {
      expect(saidByUpstream(`bookings has no field 'x ${guess}'`, context({ type: 'bookings', filter: { [`x ${guess}`]: 1 } }))).toBe(
        ' (Its message is not shown: it repeats text of the arguments, which could be personal data.)',
      );
    }
    // Cut short or changed in case, the words are still the assistant's.
    expect(saidByUpstream("no field 'X PRIYA MOR", context({ type: 'bookings', sort: '-x priya moreau' }))).toContain('repeats text of the arguments');
    // Written so that no plain word is left (circled letters, soft hyphens, zero-width spaces), they are read as redaction reads them.
    for (const guess of ['Ⓜⓞⓡⓔⓐⓤ', 'Mo\u00adre\u00adau', 'Mo\u200bre\u200bau', 'Ｍｏｒｅａｕ']) {
      expect(saidByUpstream(`There is no bookings record 'Ava ${guess}'.`, context({ type: 'bookings', id: `Ava ${guess}` })), guess).toContain('repeats text of the arguments');
    }
  });

  it("reads the tools' argument names and the catalog's names as names, not the assistant's words", () => {
    const message = 'filter.end.gt must be a date; sort: bookings has no field contactName.';
    expect(saidByUpstream(message, context({ type: 'bookings', filter: { end: { gt: 'soon' } }, sort: 'contactName' }))).toBe(` The account system said: ${message}`);
    // A guess that is also a name gets the same answer whether or not the session knows it: it is blanked before the vault is asked.
    const knowsStart = createVault(randomBytes(32));
    redact({ contactName: 'Start End' }, knowsStart, entry.policy);
    const sent = { type: 'bookings', sort: 'Start', filter: { end: 1 } };
    expect(saidByUpstream("sort: bookings has no field 'Start End'", context(sent, { vault: knowsStart }))).toBe(saidByUpstream("sort: bookings has no field 'Start End'", context(sent)));
    // A known value of short words only is blanked too, word by word.
    const knowsLiNa = createVault(randomBytes(32));
    redact({ contactName: 'Li Na' }, knowsLiNa, entry.policy);
    const guesses = { type: 'bookings', sort: 'bo xu, li na, wu yi' };
    expect(saidByUpstream("sort: bookings has no field 'bo xu, li na, wu yi'.", context(guesses, { vault: knowsLiNa }))).toBe(` The account system said: sort: bookings has no field 'bo xu, li na, wu yi'.`);
    // The detectors need no vault, so they read the whole message: a birth date after a field name the assistant sent is found.
    expect(saidByUpstream('dob: 1985-03-12 is on record; sort not allowed', context({ type: 'bookings', sort: 'dob' }))).toContain('may hold personal data');
    // The upstream's own words beside them are still asked about.
    expect(saidByUpstream("Booking of Priya Moreau: 'end' must be after 'start'", context({ type: 'bookings', data: { end: 'x', start: 'y' } }))).toContain('may hold personal data');
    // A type the catalog does not describe is the assistant's own text.
    expect(saidByUpstream("There is no entity type 'Ava Moreau'.", context({ type: 'Ava Moreau' }, { entry: undefined }))).toContain('repeats text of the arguments');
  });

  it('reads a word the upstream changed as it quoted it as the assistant\'s, whatever the session knows', () => {
    // Each pair: what the assistant sent, and how an upstream that normalizes, sanitizes or cuts quotes it.
    const changes: Array<[string, (guess: string) => [sent: string, quoted: string]]> = [
      ['composed from decomposed', (guess) => [guess.normalize('NFD'), guess.normalize('NFC')]],
      ['its accents dropped', (guess) => [guess, guess.normalize('NFD').replace(/\p{M}/gu, '')]],
      ['a control character taken out', (guess) => [`${guess.slice(0, 2)}\u0001${guess.slice(2)}`, guess]],
      ['cut at the end', (guess) => [`${guess}zz`, guess]],
      ['cut at the start', (guess) => [`zz${guess}`, guess]],
    ];
    const knowsMoreau = createVault(randomBytes(32));
    redact({ contactName: 'Anaïs Moreau' }, knowsMoreau, entry.policy);
    for (const [what, change] of changes) {
      const outcome = (guess: string, session: typeof vault) => {
        const [sent, quoted] = change(guess);
        return saidByUpstream(`bookings has no field '${quoted}'.`, context({ type: 'bookings', filter: { [sent]: 'x' } }, { vault: session }));
      };
      // Shown or not alike: the changed word is blanked before the vault is asked (only an exact repeat hides a message).
      const asked = (guess: string) => outcome(guess, knowsMoreau).replace(change(guess)[1], 'GUESS');
      expect(asked('Anaïs'), what).toBe(asked('Inès'));
      expect(asked('Anaïs'), what).not.toContain('may hold personal data');
    }
    // Numbers sent as JSON numbers are the assistant's words as much as strings are.
    const knowsNumber = createVault(randomBytes(32));
    redact({ idNumber: '123456789' }, knowsNumber, policyForFields([{ name: 'idNumber', type: 'string', pii: 'ID_DOC' }]));
    const numbers = (guesses: number[]) =>
      saidByUpstream(`filter.end.in: no bookings ending ${guesses.join(', ')}.`, context({ type: 'bookings', filter: { end: { in: guesses } } }, { vault: knowsNumber }));
    expect(numbers([111111111, 123456789])).toBe(numbers([111111111, 333333333]));
    expect(numbers([111111111, 123456789])).toContain('repeats text of the arguments');
  });

  it('blanks a guess after a character that reads as two words, rather than skipping it', () => {
    const knowsMoreau = createVault(randomBytes(32));
    redact({ contactName: 'Priya Moreau' }, knowsMoreau, entry.policy);
    for (const glue of ['℀', '½']) {
      // `℀` reads as `a/c`: blanking `a` covered the whole character, and `cmoreau` after it was skipped, so `Moreau` reached the vault.
      const outcome = (guess: string) =>
        saidByUpstream(`bookings has no field '${glue}${guess}.x'.`, context({ type: 'bookings', data: { [`${glue}${guess}.x`]: 'x' } }, { vault: knowsMoreau }));
      expect(outcome('Moreau'), glue).toBe(outcome('Mercer').replace('Mercer', 'Moreau'));
    }
  });

  it('reads a word quoted in capitals or without the spaces the assistant put in it as the assistant\'s', () => {
    const knows = createVault(randomBytes(32));
    redact({ contactName: 'Anna Gross' }, knows, entry.policy);
    redact({ contactName: 'Leo Dupont' }, knows, entry.policy);
    const said = (message: string, sort: string) => saidByUpstream(message, context({ type: 'bookings', sort }, { vault: knows }));
    expect(said("Unknown sort field 'GROSS'.", 'Groß')).toContain('repeats text of the arguments');
    expect(said("Unknown sort field 'FROSS'.", 'Froß')).toContain('repeats text of the arguments');
    // Not the same word, so not a repeat; but blanked, so the vault never sees it.
    expect(said("Unknown sort field 'Dupont'.", 'Du pont')).toBe(" The account system said: Unknown sort field 'Dupont'.");
    expect(said("Unknown sort field 'Dumont'.", 'Du mont')).toBe(" The account system said: Unknown sort field 'Dumont'.");
  });

  it('reads a Greek name ending in sigma alike wherever it stands', () => {
    const knows = createVault(randomBytes(32));
    redact({ contactName: 'Γιώργος Παπαδόπουλος' }, knows, entry.policy);
    // Lower-cased in a key (`Παπαδόπουλος.x`, Σ before a letter) and alone (final ς), one word.
    const outcome = (guess: string, vault: typeof knows) => saidByUpstream(`bookings has no field '${guess}.x'.`, context({ type: 'bookings', filter: { [`${guess}.x`]: 1 } }, { vault }));
    const PAPADOPOULOS = 'ΠΑΠΑΔΌΠΟΥΛΟΣ';
    expect(outcome(PAPADOPOULOS, knows)).toBe(outcome('ΚΑΡΑΓΙΆΝΝΗΣ', knows).replace('ΚΑΡΑΓΙΆΝΝΗΣ', PAPADOPOULOS));
    expect(outcome(PAPADOPOULOS, knows)).toBe(outcome(PAPADOPOULOS, vault));
  });

  it('does not count a word as repeated because it begins or ends one the assistant sent', () => {
    const message = "Field 'status' of bookings is read-only and cannot be set.";
    for (const notes of ['Andrew prefers mornings', 'Asked for a password reset'])
      expect(saidByUpstream(message, context({ type: 'bookings', data: { notes, status: 'x' } })), notes).toBe(` The account system said: ${message}`);
  });

  it('blanks a guess the upstream rebuilt from the middle of the arguments, whatever the session knows', () => {
    const knows = createVault(randomBytes(32));
    redact({ contactName: 'Anaïs Ferré' }, knows, entry.policy);
    redact({ contactName: 'Li Na' }, knows, entry.policy);
    redact({ contactName: 'Lukasz Nowak' }, knows, entry.policy);
    // [what the assistant sent, how the upstream quoted it] for a true and a false guess.
    const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>, string]> = [
      ['a control character taken out between slashes', { id: 'a/Fe\u0001rré/b' }, 'a/Ferré/b', { id: 'a/Fe\u0001rzé/b' }, 'a/Ferzé/b'],
      ['spaces taken out inside a list', { sort: 'ab,Du pont,cd' }, 'ab, Dupont, cd', { sort: 'ab,Du zont,cd' }, 'ab, Duzont, cd'],
      ['non-ASCII letters taken out', { id: 'Fe中rré' }, 'Ferre', { id: 'Fe中rzé' }, 'Ferze'],
      ['short words rebuilt', { id: 'x/L\u0001i N\u0001a/y' }, 'x/Li Na/y', { id: 'x/L\u0001i N\u0001u/y' }, 'x/Li Nu/y'],
      ['a letter written in ASCII', { id: 'Łukasz' }, 'Lukasz', { id: 'Łukesz' }, 'Lukesz'],
    ];
    redact({ contactName: 'Dupont' }, knows, entry.policy);
    for (const [what, sentTrue, quotedTrue, sentFalse, quotedFalse] of cases) {
      const said = (sent: Record<string, unknown>, quoted: string) =>
        saidByUpstream(`There is no bookings record '${quoted}'.`, context({ type: 'bookings', ...sent }, { vault: knows })).replace(quoted, 'QUOTED');
      expect(said(sentTrue, quotedTrue), what).toBe(said(sentFalse, quotedFalse));
      expect(said(sentTrue, quotedTrue), what).not.toContain('may hold personal data');
    }
  });

  it('does not ask the vault when the arguments hold text an upstream may rewrite as it quotes it', () => {
    const knows = createVault(randomBytes(32));
    for (const name of ['Nikos Papadopoulos', 'Jan Mueller', 'Priya Moreau', 'Renée Dupont']) redact({ contactName: name }, knows, entry.policy);
    // [sent, quoted] for a true guess and a false one: transliterated, sanitized, decoded.
    const cases: Array<[string, string, string, string]> = [
      ['Παπαδόπουλος', 'Papadopoulos', 'Παπαδόπουλαζ', 'Papadopoulaz'],
      ['Müller', 'Mueller', 'Mümmer', 'Muemmer'],
      ['ᴍᴏʀᴇᴀᴜ', 'Moreau', 'ᴍᴏʀᴇᴀx', 'Moreax'],
      ['Mo1reau', 'Moreau', 'Mo1reax', 'Moreax'],
      ['M&#111;reau', 'Moreau', 'M&#111;reax', 'Moreax'],
      ['Ren&eacute;e', 'Renée', 'Ren&eacute;z', 'Renéz'],
      ['Mo%72eau', 'Moreau', 'Mo%72eax', 'Moreax'],
      ['Mo\\u0072eau', 'Moreau', 'Mo\\u0072eax', 'Moreax'],
      // Entities without `;` or decoded twice, other backslash escapes, quoted-printable, base64.
      ['Mo&#114eau', 'Moreau', 'Mo&#114eax', 'Moreax'],
      ['Ren&eacutee', 'Renée', 'Ren&eacutez', 'Renéz'],
      ['Mo&amp#114;eau', 'Moreau', 'Mo&amp#114;eax', 'Moreax'],
      ['Mo\\162eau', 'Moreau', 'Mo\\162eax', 'Moreax'],
      ['Mo\\u{72}eau', 'Moreau', 'Mo\\u{72}eax', 'Moreax'],
      ['Mo=72eau', 'Moreau', 'Mo=72eax', 'Moreax'],
      [Buffer.from('Papadopoulos').toString('base64'), 'Papadopoulos', Buffer.from('Papadopoulaz').toString('base64'), 'Papadopoulaz'],
    ];
    for (const [sentTrue, quotedTrue, sentFalse, quotedFalse] of cases) {
      const said = (sent: string, quoted: string) => saidByUpstream(`There is no bookings record '${quoted}'.`, context({ type: 'bookings', id: sent }, { vault: knows }));
      expect(said(sentTrue, quotedTrue), sentTrue).toBe(' (Its message is not shown: the arguments hold text an account system may rewrite as it quotes it.)');
      expect(said(sentFalse, quotedFalse), sentFalse).toBe(said(sentTrue, quotedTrue));
    }
    // Plain ASCII, ids, UUIDs, timestamps and camelCase names are not such text.
    expect(
      saidByUpstream(
        'Nothing personal here.',
        context({ type: 'bookings', id: '550e8400-e29b-41d4-a716-446655440000', sort: 'contactName', data: { end: '2025-06-02T09:00:00Z', notes: 'Call back, R and D' } }),
      ),
    ).toBe(' The account system said: Nothing personal here.');
  });

  it('does not count a name of the catalog in the message as repeated because a word sent begins or ends with it', () => {
    const message = "Field 'end' of bookings must be after 'start'.";
    for (const title of ['Weekend spin class', 'Restart session', 'Bookings desk'])
      expect(saidByUpstream(message, context({ type: 'bookings', data: { title, end: 'x' } })), title).toBe(` The account system said: ${message}`);
  });

  it('does not show the message of a call whose arguments are too long to screen, counted as NFKC writes them', () => {
    // One `ﷺ` is 18 characters once normalized.
    expect(saidByUpstream('Nothing personal here.', context({ type: 'bookings', data: { notes: '\ufdfa'.repeat(1000) } }))).toContain('the arguments are too long');
    const long = { type: 'bookings', data: { notes: 'x'.repeat(16 * 1024) } };
    expect(saidByUpstream('Nothing personal here.', context(long))).toBe(' (Its message is not shown: the arguments are too long to check what it repeats of them.)');
    expect(saidByUpstream('Nothing personal here.', context({ type: 'bookings', data: { notes: 'x'.repeat(16 * 1024 - 100) } }))).toBe(' The account system said: Nothing personal here.');
  });

  it('shows what a message repeats of names the call gives, enum values and short numbers, and still blanks them for the vault', () => {
    const withEnum = {
      ...entry,
      entityType: { ...entry.entityType, fields: [...fields, { name: 'currency', type: 'enum', pii: null, enum: ['GBP', 'EUR'] }] },
    } as unknown as CatalogEntry;
    expect(saidByUpstream("Field 'currency' must be one of: GBP, EUR.", context({ type: 'bookings', data: { currency: 'gbp' } }, { entry: withEnum }))).toBe(
      " The account system said: Field 'currency' must be one of: GBP, EUR.",
    );
    expect(saidByUpstream("Field 'end' must be a date-time like 2025-06-02T09:00:00Z.", context({ type: 'bookings', data: { end: '2025-06-02 10:00' } }))).toContain(
      'The account system said',
    );
    expect(saidByUpstream("Argument 'reason' must be a string.", context({ type: 'bookings', id: 'bkg_000001', command: 'cancel', args: { reason: 42 } }))).toBe(
      " The account system said: Argument 'reason' must be a string.",
    );
    // A guess given as an argument name is shown back or not alike, whether or not the session knows it.
    const knowsMoreau = createVault(randomBytes(32));
    redact({ contactName: 'Priya Moreau' }, knowsMoreau, entry.policy);
    const named = (guess: string) => saidByUpstream(`Unknown argument '${guess}'.`, context({ type: 'bookings', command: 'cancel', args: { [guess]: 1 } }, { vault: knowsMoreau }));
    expect(named('Moreau')).toBe(" The account system said: Unknown argument 'Moreau'.");
    expect(named('Mercer')).toBe(" The account system said: Unknown argument 'Mercer'.");
  });

  it('does not show a message with personal data of its own, or any message once tokens went upstream', () => {
    expect(saidByUpstream('Booking of Priya Moreau overlaps another.', context({ type: 'bookings', id: 'bkg_000001' }))).toBe(' (Its message is not shown: it may hold personal data.)');
    expect(saidByUpstream('Write to ops@example.com.', context({ type: 'bookings' }))).toContain('may hold personal data');
    expect(saidByUpstream('Nothing to see.', context({ type: 'bookings' }, { tokensResolved: true }))).toContain('passed to it as a «PII:…» token');
    expect(saidByUpstream(undefined, context({}))).toBe('');
  });

  it('quotes every message as it is when the person shares personal data', () => {
    expect(saidByUpstream('Booking of Priya Moreau overlaps another.', context({ type: 'bookings' }, { vault: undefined }))).toBe(' The account system said: Booking of Priya Moreau overlaps another.');
  });
});
