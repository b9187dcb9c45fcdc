/**
 * What an answer repeats of the arguments, in a redacted session: a token resolved into an argument
 * must not come back in plain (an upstream's "no record '1991-11-30'", a title written from a
 * token), and the assistant's own text must not come back redacted (tokens minted for its guesses
 * would tell which guess is a hidden value). Through the real MCP client, against the demo upstream.
 */
import type { Client } from '@modelcontextprotocol/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { structured } from '../helpers/mcp-client.js';
import { signedInClients } from '../helpers/signed-in-clients.js';

const gatehouse = signedInClients();

type Record_ = Record<string, unknown> & { id: string };
interface Page {
  records: Record_[];
}

let redacted: Client;
let readOnly: Client;
let shared: Client;
/** One member as the read-only and the writing redacted sessions see it (tokens: each session has its own), and as a sharing session does (values). */
let hidden: Record_;
let hiddenToWriter: Record_;
let clear: Record_;

const text = (result: unknown) => JSON.stringify(result);
const code = (result: unknown) => structured<{ code?: string }>(result as never).code;

beforeAll(async () => {
  redacted = (await gatehouse.connect()).client;
  readOnly = (await gatehouse.connect({ readOnly: true })).client;
  shared = (await gatehouse.connect({ sharePii: true })).client;
  const args = { name: 'search_records', arguments: { type: 'members', filter: { id: 'mem_000002' } } };
  hidden = structured<Page>(await readOnly.callTool(args)).records[0]!;
  hiddenToWriter = structured<Page>(await redacted.callTool(args)).records[0]!;
  clear = structured<Page>(await shared.callTool(args)).records[0]!;
  for (const field of ['dateOfBirth', 'city', 'fullName', 'iban', 'email']) expect(String(hidden[field]), field).toMatch(/^«PII:[A-Z_]+:[0-9a-f]{8}»$/);
});

describe('a value a token stood for, repeated by the upstream', () => {
  it.each([
    ['a birth date', (h: Record_) => ({ name: 'get_record', arguments: { type: 'members', id: h.dateOfBirth } }), 'dateOfBirth'],
    ['a city', (h: Record_) => ({ name: 'get_record', arguments: { type: 'members', id: h.city } }), 'city'],
    ['a name glued to text', (h: Record_) => ({ name: 'get_record', arguments: { type: 'members', id: `zz${String(h.fullName)}zz` } }), 'fullName'],
    ['an IBAN glued to text', (h: Record_) => ({ name: 'get_record', arguments: { type: 'members', id: `x${String(h.iban)}` } }), 'iban'],
    ['a birth date as the type', (h: Record_) => ({ name: 'describe_entity_type', arguments: { type: h.dateOfBirth } }), 'dateOfBirth'],
  ])('does not come back in an error: %s', async (_what, call, field) => {
    const result = await readOnly.callTool(call(hidden));
    expect(result.isError).toBe(true);
    expect(code(result)).toBe('not_found');
    expect(text(result)).not.toContain(String(clear[field]));
    expect(text(result)).toContain('Its message is not shown');
  });

  it("still shows the upstream's message when it is made of an error's usual words, the catalog's names and the assistant's own words", async () => {
    const booking = structured<Page>(await shared.callTool({ name: 'search_records', arguments: { type: 'bookings', pageSize: 1, sort: 'id' } })).records[0]!;
    const result = await redacted.callTool({ name: 'update_record', arguments: { type: 'bookings', id: booking.id, data: { end: '2001-01-01T00:00:00Z' } } });
    expect(code(result)).toBe('invalid_request');
    expect(text(result)).toMatch(/The account system said: [^(]*end/);
    // Argument and field names in a message are names, not the assistant's words.
    for (const [args, said] of [
      [{ type: 'invoices', filter: { amount: { gt: 'abc' } } }, 'The account system said: filter.amount.gt must be a number.'],
      [{ type: 'members', filter: { notes: 'x' } }, "The account system said: filter: field 'notes' of members cannot be filtered on."],
      [{ type: 'members', filter: { Müller: 'x' } }, "The account system said: filter: members has no field 'Müller'."],
      [{ type: 'members', sort: 'Anaïs Ferré' }, "The account system said: sort: members has no field 'Anaïs Ferré'."],
    ] as const) {
      const rejected = await readOnly.callTool({ name: 'search_records', arguments: args });
      expect(code(rejected), JSON.stringify(args)).toBe('invalid_request');
      expect(text(rejected)).toContain(said);
    }
    // A format hint in a type that holds birth dates says the format without an example date (which would be withheld there).
    const badDate = await redacted.callTool({ name: 'update_record', arguments: { type: 'members', id: hidden.id, data: { dateOfBirth: '12/03/1985' } } });
    expect(text(badDate)).toContain("The account system said: Field 'dateOfBirth' of members must be a date in YYYY-MM-DD format.");
    // A command refused for the record's state, naming the type in the singular.
    const cancelled = structured<Page>(await shared.callTool({ name: 'search_records', arguments: { type: 'bookings', filter: { status: 'cancelled' }, pageSize: 1 } })).records[0]!;
    const again = await redacted.callTool({ name: 'run_command', arguments: { type: 'bookings', id: cancelled.id, command: 'cancel' } });
    expect(text(again)).toContain('The account system said: This booking is already cancelled.');
  });

  it('is not searched for outside personal-data fields, where it would be compared with values the session reads', async () => {
    // A location's city is shown; a member's is hidden. `ne` would leave out exactly the hidden city.
    for (const args of [
      { type: 'locations', filter: { city: hidden.city } },
      { type: 'locations', filter: { city: { ne: hidden.city } } },
      { type: 'locations', q: hidden.city },
      { type: 'members', filter: { status: { in: [hidden.city] } } },
    ]) {
      const result = await readOnly.callTool({ name: 'search_records', arguments: args });
      expect(code(result), JSON.stringify(args)).toBe('pii_token_in_plain_field');
      expect(text(result)).not.toContain(String(clear.city));
    }
    // In the member's own field it finds the record, as ever.
    const byEmail = await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: hidden.email, city: { in: [hidden.city] } } } });
    expect(byEmail.isError).toBeFalsy();
    expect(structured<Page>(byEmail).records.map((record) => record.id)).toEqual([hidden.id]);
  });
});

describe('a short value a token stands for', () => {
  it('is not mistaken for a part of a key or a word of the answer', async () => {
    // `Lin` is in `linkedin`, `Ted` in `createdAt`.
    const updated = await shared.callTool({ name: 'update_record', arguments: { type: 'members', id: 'mem_000012', data: { firstName: 'Ted', lastName: 'Lin' } } });
    expect(updated.isError).toBeFalsy();
    const member = structured<Page>(await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { id: 'mem_000012' } } })).records[0]!;
    for (const field of ['firstName', 'lastName']) {
      const found = await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { [field]: member[field] } } });
      expect(found.isError, field).toBeFalsy();
      expect(structured<Page>(found).records.map((record) => record.id)).toContain('mem_000012');
    }
  });
});

describe("the assistant's own text, repeated in an error", () => {
  it('is never turned into tokens to compare with a record: a message holding personal data is not shown', async () => {
    const guesses = `dob 1970-01-01 dob ${String(clear.dateOfBirth)} dob 1999-12-31`;
    // Whole, cut short by the 500 characters Gatehouse keeps of a message, and through sort.
    for (const args of [
      { type: 'members', filter: { [guesses]: 'x' } },
      { type: 'members', filter: { [`${guesses} ${'z'.repeat(500)}`]: 'x' } },
      { type: 'members', sort: `-x ${String(clear.email)}` },
      { type: 'members', filter: { [`x ${String(clear.fullName)}, ${String(clear.iban)}`]: 'x' } },
    ]) {
      const result = await readOnly.callTool({ name: 'search_records', arguments: args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(text(result)).not.toMatch(/«PII:/);
      expect(text(result)).toContain('Its message is not shown: it may hold personal data');
    }

    // The same answer whether or not the words are values the session knows: no group test of guesses.
    const answers = new Set<string>();
    for (const names of [`x ${String(clear.firstName)} ${String(clear.lastName)} Zed`, 'x Zed Yolanda Quill']) {
      const result = await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { [names]: 'x' } } });
      answers.add(text(result).replaceAll(names, 'NAMES'));
    }
    expect(answers.size).toBe(1);
    // Made of the assistant's words and an error's usual ones, it is shown back.
    expect([...answers][0]).toContain("The account system said: filter: members has no field 'NAMES'.");

    const emails = ` someone@example.com, ${String(clear.email)} `;
    const byId = await readOnly.callTool({ name: 'get_record', arguments: { type: 'members', id: emails } });
    expect(code(byId)).toBe('not_found');
    expect(text(byId)).not.toContain(String(hidden.email));
  });

  it('gives the same answer for a true and a false guess that Gatehouse cuts at the 500th character', async () => {
    // The cut falls at the end of the guess: "Moreaux" must not become "Moreau", a word the assistant never sent.
    const cutAt = (guess: string) => `${'.'.repeat(470 - guess.length)}${guess}x`;
    const answers = new Set<string>();
    for (const guess of [String(clear.lastName), 'Quillfeather']) {
      const result = await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { [cutAt(guess)]: 'x' } } });
      expect(result.isError).toBe(true);
      answers.add(text(result).replace(guess, 'GUESS').replace(/\.{3,}/g, '…'));
    }
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).not.toContain(String(clear.lastName));
  });

  it('keeps a token in a field name as the token: keys are never resolved', async () => {
    const result = await readOnly.callTool({ name: 'search_records', arguments: { type: 'members', filter: { [`x ${String(hidden.email)}`]: 'x' } } });
    expect(result.isError).toBe(true);
    expect(text(result)).not.toContain(String(clear.email));
  });
});

describe('tokens written into fields', () => {
  it('are refused where the field would show the value, and nothing is written', async () => {
    const booking = structured<Page>(await shared.callTool({ name: 'search_records', arguments: { type: 'bookings', pageSize: 1, sort: '-id' } })).records[0]!;
    for (const data of [{ title: hiddenToWriter.dateOfBirth }, { title: `zz${String(hiddenToWriter.fullName)}zz` }, { title: 'ok', notes: 'fine' , resourceId: [hiddenToWriter.iban] }]) {
      const result = await redacted.callTool({ name: 'update_record', arguments: { type: 'bookings', id: booking.id, data } });
      expect(result.isError, JSON.stringify(data)).toBe(true);
      expect(code(result)).toBe('pii_token_in_plain_field');
    }
    const after = structured<{ record: Record_ }>(await shared.callTool({ name: 'get_record', arguments: { type: 'bookings', id: booking.id } })).record;
    expect(after.title).toBe(booking.title);

    const cancel = await redacted.callTool({ name: 'run_command', arguments: { type: 'bookings', id: booking.id, command: 'cancel', args: { reason: hiddenToWriter.city } } });
    expect(code(cancel)).toBe('pii_token_in_plain_field');
    expect(text(cancel)).toContain('reason');
  });

  it("answer a write whose own text holds the value a token stands for as any other: the written fields are the assistant's", async () => {
    const booking = structured<Page>(await shared.callTool({ name: 'search_records', arguments: { type: 'bookings', pageSize: 3, sort: '-id' } })).records[2]!;
    const answers = [];
    for (const dates of [`1950-01-01, ${String(clear.dateOfBirth)}, 1999-12-31`, '1950-01-01, 1999-12-31']) {
      const result = await redacted.callTool({ name: 'update_record', arguments: { type: 'bookings', id: booking.id, data: { title: dates, notes: hiddenToWriter.dateOfBirth } } });
      expect(result.isError, dates).toBeFalsy();
      answers.push(structured<{ record: Record_ }>(result).record.notes);
    }
    expect(answers[0]).toBe(answers[1]);
  });

  it('are written into personal-data fields, and stay redacted there', async () => {
    const booking = structured<Page>(await shared.callTool({ name: 'search_records', arguments: { type: 'bookings', pageSize: 2, sort: '-id' } })).records[1]!;
    const result = await redacted.callTool({ name: 'update_record', arguments: { type: 'bookings', id: booking.id, data: { notes: `Call ${String(hiddenToWriter.fullName)}` } } });
    expect(result.isError).toBeFalsy();
    expect(text(result)).not.toContain(String(clear.fullName));
    const after = structured<{ record: Record_ }>(await shared.callTool({ name: 'get_record', arguments: { type: 'bookings', id: booking.id } })).record;
    expect(after.notes).toBe(`Call ${String(clear.fullName)}`);
  });
});
