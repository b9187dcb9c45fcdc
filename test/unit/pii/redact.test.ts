import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildRedactionPolicy,
  createVault,
  DEFAULT_FIELD_NAME_RULES,
  findTokens,
  redact,
  redactText,
  detectsPersonalData,
  resolveTokens,
  toSnakeCase,
  type PiiCategory,
} from '../../../src/pii/index.js';

const policy = buildRedactionPolicy({});
const newVault = () => createVault(randomBytes(32));

function categoryOf(out: unknown): string | undefined {
  return typeof out === 'string' ? /^«PII:([A-Z_]+):[0-9a-f]+»$/.exec(out)?.[1] : undefined;
}

describe('toSnakeCase', () => {
  it.each([
    ['dateOfBirth', 'date_of_birth'],
    ['DATE_OF_BIRTH', 'date_of_birth'],
    ['date-of-birth', 'date_of_birth'],
    ['VATNumber', 'vat_number'],
    ['e_mail', 'e_mail'],
    ['Mobile Phone', 'mobile_phone'],
  ])('%s → %s', (a, b) => expect(toSnakeCase(a)).toBe(b));
});

describe('default field-name rules', () => {
  const PII_FIELDS: Array<[string, PiiCategory]> = [
    ['email', 'EMAIL'], ['e_mail', 'EMAIL'], ['eMail', 'EMAIL'], ['EmailAddress', 'EMAIL'], ['billing-email', 'EMAIL'], ['billingemail', 'EMAIL'],
    ['fullName', 'NAME'], ['first_name', 'NAME'], ['LASTNAME', 'NAME'], ['surname', 'NAME'], ['memberName', 'NAME'], ['userName', 'NAME'],
    ['mobilePhone', 'PHONE'], ['phone', 'PHONE'], ['landLine', 'PHONE'], ['phone_number', 'PHONE'], ['Telephone', 'PHONE'], ['fax', 'PHONE'], ['phone2', 'PHONE'],
    ['address', 'ADDRESS'], ['street', 'ADDRESS'], ['postCode', 'ADDRESS'], ['zip', 'ADDRESS'], ['billingAddress', 'ADDRESS'], ['address_line_1', 'ADDRESS'],
    ['dateOfBirth', 'DOB'], ['dob', 'DOB'], ['birthDate', 'DOB'], ['BIRTHDAY', 'DOB'],
    ['twitter', 'SOCIAL'], ['linkedin', 'SOCIAL'], ['linkedInUrl', 'SOCIAL'], ['instagramHandle', 'SOCIAL'],
    ['iban', 'FINANCIAL'], ['vatNumber', 'FINANCIAL'], ['taxId', 'FINANCIAL'], ['cardNumber', 'FINANCIAL'], ['bankAccountNumber', 'FINANCIAL'],
    ['passportNumber', 'ID_DOC'], ['idDocumentNumber', 'ID_DOC'], ['ssn', 'ID_DOC'], ['drivingLicence', 'ID_DOC'], ['nationalId', 'ID_DOC'],
    ['notes', 'BIO'], ['bio', 'BIO'], ['aboutMe', 'BIO'], ['internal_notes', 'BIO'],
  ];
  it.each(PII_FIELDS)('%s is %s', (field, category) => {
    const out = redact({ [field]: 'some value 1' }, newVault(), policy) as Record<string, unknown>;
    expect(categoryOf(out[field])).toBe(category);
  });

  const PLAIN_FIELDS = [
    'id', 'emailVerified', 'email_count', 'phoneVerified', 'hotel', 'companyName', 'locationName', 'fileName', 'planName', 'country',
    'status', 'createdAt', 'description', 'title', 'vat', 'bic', 'x', 'threads', 'hostname', 'automobile', 'type', 'city', 'name',
  ];
  it.each(PLAIN_FIELDS)('%s alone is not PII', (field) => {
    const out = redact({ [field]: 'some value 1' }, newVault(), policy) as Record<string, unknown>;
    expect(out[field]).toBe('some value 1');
  });

  it('has rules for every category except none', () => {
    const covered = new Set(DEFAULT_FIELD_NAME_RULES.map((r) => r.category));
    expect(covered.size).toBe(9);
  });
});

describe('person context', () => {
  it('tokenizes name and city next to person fields, not on a location', () => {
    const v = newVault();
    const out = redact(
      {
        member: { name: 'Alice Smith', city: 'Leeds' },
        contact: { name: 'Bob Jones', email: 'bob@example.com' },
        row: { name: 'Carol White', text: 'write to carol@example.com' },
        location: { name: 'Green Room', city: 'London', email: 'desk@example.com' },
        plan: { name: 'Hot desk', city: 'Paris' },
      },
      v,
      policy,
    ) as Record<string, Record<string, unknown>>;
    expect(categoryOf(out['member']!['name'])).toBe('NAME');
    expect(categoryOf(out['member']!['city'])).toBe('ADDRESS');
    expect(categoryOf(out['contact']!['name'])).toBe('NAME');
    expect(categoryOf(out['row']!['name'])).toBe('NAME');
    expect(out['plan']).toEqual({ name: 'Hot desk', city: 'Paris' });
    // A location with an e-mail is treated as a person: over-redaction is the safe side.
    expect(categoryOf(out['location']!['name'])).toBe('NAME');
  });

  it('keeps key order when a field is decided late', () => {
    const out = redact({ name: 'Alice Smith', a: 1, email: 'a@example.com' }, newVault(), policy) as object;
    expect(Object.keys(out)).toEqual(['name', 'a', 'email']);
  });
});

describe('redact', () => {
  it('uses catalog categories case-insensitively at any depth', () => {
    const p = buildRedactionPolicy({ fieldCategories: { Handle: 'SOCIAL', member_code: 'ID_DOC' } });
    const out = redact({ a: { b: [{ handle: 'al1', MemberCode: 'X-1' }] } }, newVault(), p) as { a: { b: Array<Record<string, unknown>> } };
    expect(categoryOf(out.a.b[0]!['handle'])).toBe('SOCIAL');
    expect(categoryOf(out.a.b[0]!['MemberCode'])).toBe('ID_DOC');
  });

  it('rejects an unknown catalog category', () => {
    expect(() => buildRedactionPolicy({ fieldCategories: { x: 'SECRET' as never } })).toThrow(TypeError);
  });

  it('tokenizes every leaf under a PII object or array field, numbers included', () => {
    const out = redact(
      { address: { street: 'Main St', number: 12, geo: { lat: 51.5 } }, phones: ['+44 20 7946 0958', 2025550143], verified: true },
      newVault(),
      policy,
    ) as { address: { street: string; number: unknown; geo: { lat: unknown } }; phones: unknown[]; verified: boolean };
    expect(categoryOf(out.address.street)).toBe('ADDRESS');
    expect(categoryOf(out.address.number)).toBe('ADDRESS');
    expect(categoryOf(out.address.geo.lat)).toBe('ADDRESS');
    expect(out.phones.map(categoryOf)).toEqual(['PHONE', 'PHONE']);
    expect(out.verified).toBe(true);
  });

  it('tokenizes PII numbers from their String()', () => {
    const v = newVault();
    const out = redact({ phone: 442079460958, dob: 19850312, credits: 5 }, v, policy) as Record<string, unknown>;
    expect(v.resolve(out['phone'] as string)).toBe('442079460958');
    expect(v.resolve(out['dob'] as string)).toBe('19850312');
    expect(out['credits']).toBe(5);
  });

  it('does not mutate its input', () => {
    const input = { email: 'a@example.com', list: [{ note: 'call 020 7946 0958' }] };
    const copy = structuredClone(input);
    redact(input, newVault(), policy);
    expect(input).toEqual(copy);
  });

  it('never re-tokenizes tokens', () => {
    const v = newVault();
    const once = redact({ email: 'alice@example.com', note: 'mail alice@example.com', fullName: 'Alice Smith' }, v, policy);
    const twice = redact(once, v, policy);
    expect(twice).toEqual(once);
    expect(redactText(JSON.stringify(once), v)).toBe(JSON.stringify(once));
  });

  it('propagates found values into other strings, longest first, case-insensitively', () => {
    const v = newVault();
    const out = redact(
      {
        fullName: 'Alice Smith',
        email: 'Alice.Smith@Example.com',
        title: 'Desk for ALICE SMITH (alice.smith@example.com)',
        other: 'Smith paid; a smithy is not a name; Alice said hi',
      },
      v,
      policy,
    ) as Record<string, string>;
    // The lower-case address in the title is found by the e-mail detector first: a value of its own.
    expect(out['title']).toMatch(new RegExp(`^Desk for ${out['fullName']} \\(«PII:EMAIL:[0-9a-f]{8}»\\)$`));
    expect(out['other']).not.toMatch(/Smith paid|Alice said/);
    expect(out['other']).toContain('a smithy is not a name');
    expect(findTokens(out['other']!).map((t) => v.resolve(t))).toEqual(['Smith', 'Alice']);
  });

  it('does not search single-word values of id, enum and date fields for known values, but still prose in them', () => {
    const v = newVault();
    const typed = buildRedactionPolicy({ atomicFields: ['orderId', 'status', 'bookedOn'] });
    redact({ fullName: 'Alice Smith', phone: '07700900123' }, v, typed);
    const out = redact(
      {
        orderId: 'ord_07700900123',
        status: 'Alice',
        bookedOn: '2026-01-02',
        title: 'ord_07700900123 for Alice Smith',
        nested: { orderId: 'called Alice Smith on 07700900123', status: 'bob@example.com' },
      },
      v,
      typed,
    ) as { orderId: string; status: string; bookedOn: string; title: string; nested: { orderId: string; status: string } };
    expect(out.orderId).toBe('ord_07700900123');
    expect(out.status).toBe('Alice');
    expect(out.bookedOn).toBe('2026-01-02');
    // The same values outside atomic fields, and prose or e-mails inside them, are still redacted.
    expect(findTokens(out.title).map((t) => v.resolve(t))).toEqual(['07700900123', 'Alice Smith']);
    expect(findTokens(out.nested.orderId).map((t) => v.resolve(t))).toEqual(['Alice Smith', '07700900123']);
    expect(categoryOf(out.nested.status)).toBe('EMAIL');
    // Without the catalog's types, the id is searched like any string.
    expect((redact({ orderId: 'ord_07700900123' }, v, policy) as { orderId: string }).orderId).not.toContain('07700900123');
  });

  it('matches name parts only capitalized, and values known from earlier responses', () => {
    const v = newVault();
    redact({ firstName: 'Will', lastName: 'Green' }, v, policy);
    const out = redact({ text: 'Will Green will book the green room; Green Room is free' }, v, policy) as { text: string };
    expect(out.text).not.toContain('Will');
    expect(out.text).toContain(' will book the green room; ');
    expect(out.text).not.toContain('Green Room');
    expect(redactText('ask Will', v)).not.toContain('Will');
  });

  it('tells apart many values sharing their first words, longest first', () => {
    const v = newVault();
    const rows = Array.from({ length: 300 }, (_, i) => ({ member: { email: 'm@example.com', street: `12 High Street Flat ${i}` } }));
    const out = redact({ rows, text: 'Deliver to 12 High Street Flat 17, not 12 High Street Flat 170 or 12 High Street' }, v, policy) as { text: string };
    const tokens = findTokens(out.text).map((t) => v.resolve(t));
    expect(tokens).toEqual(['12 High Street Flat 17', '12 High Street Flat 170']);
    expect(out.text).toMatch(/ or 12 High Street$/);
  });

  it('does not propagate short numbers, birth dates, bios or a lone city', () => {
    const v = newVault();
    const out = redact(
      { member: { houseNumber: '12', dateOfBirth: '1985-03-12', bio: 'Vegan', city: 'London', email: 'a@example.com' }, text: 'room 12 on 1985-03-12, Vegan menu in London' },
      v,
      policy,
    ) as { text: string };
    expect(out.text).toBe('room 12 on 1985-03-12, Vegan menu in London');
  });

  it('scans keys that look like data', () => {
    const v = newVault();
    const out = redact({ fullName: 'Alice Smith', byKey: { 'alice@example.com': 1, 'Alice Smith': 2, plain: 3 } }, v, policy) as {
      byKey: Record<string, number>;
    };
    expect(Object.keys(out.byKey).join()).not.toMatch(/alice|Alice/);
    expect(Object.values(out.byKey)).toEqual([1, 2, 3]);
    // A renamed key keeps its place among the others, and the input is left as it was.
    const input = { first: 0, 'bob@example.com': 1, middle: 2, '+44 20 7946 0958': 3, last: 4 };
    const copy = structuredClone(input);
    const renamed = redact(input, v, policy) as Record<string, number>;
    expect(Object.values(renamed)).toEqual([0, 1, 2, 3, 4]);
    expect(Object.keys(renamed).filter((k) => !k.startsWith('«PII:'))).toEqual(['first', 'middle', 'last']);
    expect(Object.keys(renamed)[1]).toMatch(/^«PII:EMAIL:/);
    expect(input).toEqual(copy);
  });

  it('keeps a __proto__ key as data without touching prototypes', () => {
    const input = JSON.parse('{"__proto__": {"email": "a@example.com"}, "x": 1}') as unknown;
    const out = redact(input, newVault(), policy) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).not.toContain('a@example.com');
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
  });

  it('reads only own keys, as JSON.stringify does', () => {
    const input = Object.create({ inherited: 'bob@example.com' }) as Record<string, unknown>;
    input['email'] = 'a@example.com';
    input['x'] = 1;
    const out = redact(input, newVault(), policy) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['email', 'x']);
    expect(out['email']).toMatch(/^«PII:EMAIL:/);
    expect(out['x']).toBe(1);
  });

  it('honours toJSON like JSON.stringify', () => {
    const out = redact({ when: new Date(0), who: { toJSON: () => 'mail me at a@example.com' } }, newVault(), policy) as Record<string, string>;
    expect(out['when']).toBe('1970-01-01T00:00:00.000Z');
    expect(out['who']).not.toContain('a@example.com');
  });

  it('passes scalars through and fails closed on absurd nesting', () => {
    const v = newVault();
    expect(redact(null, v, policy)).toBeNull();
    expect(redact(42, v, policy)).toBe(42);
    expect(redact('call +44 20 7946 0958', v, policy)).toMatch(/^call «PII:PHONE:/);
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(() => redact(deep, v, policy)).toThrow(RangeError);
  });

  it('works with a vault not made by createVault', () => {
    const real = newVault();
    const custom = { tokenize: real.tokenize.bind(real), resolve: real.resolve.bind(real), get size() { return real.size; }, toJSON: () => real.toJSON() };
    const out = redact({ fullName: 'Alice Smith', title: 'for Alice Smith' }, custom, policy) as Record<string, string>;
    expect(out['title']).toBe(`for ${out['fullName']}`);
  });
});

describe('resolveTokens', () => {
  it('round-trips PII leaves', () => {
    const v = newVault();
    const input = {
      id: 'mem_1',
      fullName: 'Alice Smith',
      email: 'alice@example.com',
      nested: [{ note: 'call +44 20 7946 0958 or mail alice@example.com', n: 3, ok: true, nil: null }],
    };
    const red = redact(input, v, policy);
    expect(JSON.stringify(red)).not.toMatch(/Alice|alice|7946/);
    const back = resolveTokens(red, v);
    expect(back.value).toEqual(input);
    expect(back.unresolved).toEqual([]);
    // Each value put in is reported once, with its token: an answer must not repeat them in plain.
    expect([...back.resolved].sort()).toEqual(['Alice Smith', 'alice@example.com', input.nested[0]!.note]);
  });

  it('leaves keys untouched, resolves lenient forms, reports tokens from another vault', () => {
    const v = newVault();
    const mine = v.tokenize('EMAIL', 'a@example.com');
    const theirs = newVault().tokenize('EMAIL', 'b@example.com');
    const bare = mine.slice(1, -1).toUpperCase().replace('PII:EMAIL', 'PII:EMAIL');
    const r = resolveTokens({ [mine]: [`to ${mine}`, theirs, `x ${bare} y`, 7] }, v);
    expect(r.value).toEqual({ [mine]: ['to a@example.com', theirs, 'x a@example.com y', 7] });
    expect(r.unresolved).toEqual([theirs]);
    expect(r.resolved).toEqual(['a@example.com']);
  });
});

describe('detectsPersonalData', () => {
  it('says whether the detectors would change the text, and issues no token', () => {
    const v = newVault();
    redact({ fullName: 'Priya Moreau', email: 'priya@example.net' }, v, policy);
    const before = JSON.stringify(v.toJSON());
    for (const text of ["members has no field 'dob 1980-01-01'", 'Contact bob@example.com.', 'Call +44 20 7946 0958.']) expect(detectsPersonalData(text), text).toBe(true);
    // A name is no shape the detectors know: only the vault, which this function never asks, knows it.
    for (const text of ["members has no field 'shoeSize'", 'Field end must be after start.', 'Ask Priya Moreau first.', '']) expect(detectsPersonalData(text), text).toBe(false);
    // Nothing was added to the vault.
    expect(JSON.stringify(v.toJSON())).toBe(before);
  });
});

