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
