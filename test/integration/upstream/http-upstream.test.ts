/**
 * The HTTP upstream client against a real demo upstream on a free port: sign-in per account,
 * catalog, search, permissions enforced upstream, writes, commands and password change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_EMAILS, LOCATION_ADMIN_LOCATION, startDemoUpstream, type RunningDemoUpstream } from '../../../src/demo-upstream/index.js';
import {
  createHttpUpstream,
  InvalidCredentialsError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamUnauthorizedError,
  type Upstream,
} from '../../../src/upstream/index.js';

const PASSWORD = 'demo-password';
const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

let demo: RunningDemoUpstream;
let upstream: Upstream;
const tokens: Record<keyof typeof DEMO_ACCOUNT_EMAILS, string> = { admin: '', locationAdmin: '', readOnly: '', member: '' };

beforeAll(async () => {
  demo = await startDemoUpstream({ argon2: FAST_ARGON2 });
  console.log(`demo upstream: data generated in ${demo.stats.generationMs.toFixed(1)} ms, passwords hashed in ${demo.stats.hashingMs.toFixed(1)} ms`);
  upstream = createHttpUpstream({ baseUrl: demo.url, timeoutMs: 5_000 });
  for (const key of Object.keys(tokens) as (keyof typeof tokens)[]) {
    tokens[key] = (await upstream.signIn(DEMO_ACCOUNT_EMAILS[key], PASSWORD)).accessToken;
  }
});

afterAll(async () => {
  await upstream?.close();
  await demo?.close();
});

describe('HttpUpstream.signIn', () => {
  it.each([
    ['admin', ['admin'], 5, false],
    ['locationAdmin', ['admin'], 1, false],
    ['readOnly', ['admin', 'read_only'], 5, true],
    ['member', ['member'], 1, false],
  ] as const)('signs %s in with its roles, locations and read-only flag', async (key, roles, locationCount, readOnly) => {
    const before = Date.now();
    const result = await upstream.signIn(DEMO_ACCOUNT_EMAILS[key], PASSWORD);
    expect(result.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.expiresAt).toBeGreaterThanOrEqual(before + 12 * 3600 * 1000 - 1000);
    expect(result.account).toMatchObject({ email: DEMO_ACCOUNT_EMAILS[key], roles, readOnly });
    expect(result.account.locations).toHaveLength(locationCount);
  });

  it('gives the location admin exactly its location', async () => {
    const account = await upstream.me(tokens.locationAdmin);
    expect(account.locations).toEqual([LOCATION_ADMIN_LOCATION]);
  });

  it('refuses a wrong password and an unknown account with InvalidCredentialsError', async () => {
    await expect(upstream.signIn(DEMO_ACCOUNT_EMAILS.admin, 'wrong-password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(upstream.signIn('nobody@example.com', PASSWORD)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('signs in in a few milliseconds with fast hashing', async () => {
    const started = performance.now();
    await upstream.signIn(DEMO_ACCOUNT_EMAILS.admin, PASSWORD);
    console.log(`sign-in (token + me, test argon2 params): ${(performance.now() - started).toFixed(1)} ms`);
  });
});

describe('HttpUpstream catalog', () => {
  it('lists the entity types', async () => {
    const types = (await upstream.listEntities(tokens.admin)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['members', 'bookings', 'invoices', 'companies', 'checkins']));
  });

  it('describes members with a PII category on every personal-data field', async () => {
    const members = await upstream.describe(tokens.admin, 'members');
    const pii = Object.fromEntries(members.fields.map((f) => [f.name, f.pii]));
    for (const name of ['fullName', 'firstName', 'lastName']) expect(pii[name]).toBe('NAME');
    expect(pii).toMatchObject({
      email: 'EMAIL',
      mobilePhone: 'PHONE',
      landLine: 'PHONE',
      address: 'ADDRESS',
      city: 'ADDRESS',
      postCode: 'ADDRESS',
      dateOfBirth: 'DOB',
      twitter: 'SOCIAL',
      linkedin: 'SOCIAL',
      iban: 'FINANCIAL',
      vatNumber: 'FINANCIAL',
      idDocumentNumber: 'ID_DOC',
      notes: 'BIO',
      id: null,
      status: null,
    });
    expect(members.commands.map((c) => c.name)).toEqual(['archive', 'unarchive', 'check_in', 'check_out']);
  });

  it('answers an unknown type with UpstreamNotFoundError', async () => {
    await expect(upstream.describe(tokens.admin, 'spaceships')).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });
});

describe('HttpUpstream.search', () => {
  it('filters, sorts and pages', async () => {
    const page = await upstream.search(tokens.admin, 'bookings', {
      filter: { status: 'cancelled', start: { gte: '2025-01-01' } },
      sort: '-start',
      page: 2,
      pageSize: 10,
    });
    expect(page).toMatchObject({ page: 2, pageSize: 10, hasMore: true });
    expect(page.records).toHaveLength(10);
    expect(page.total).toBeGreaterThan(20);
    for (const record of page.records) expect(record.status).toBe('cancelled');
    const starts = page.records.map((r) => String(r.start));
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('matches q case-insensitively over text fields', async () => {
    const page = await upstream.search(tokens.admin, 'members', { q: 'EXAMPLE.NET', pageSize: 5 });
    expect(page.total).toBeGreaterThan(0);
    for (const record of page.records) expect(JSON.stringify(record).toLowerCase()).toContain('example.net');
  });

  it('refuses a non-filterable field with a message naming it', async () => {
    const error = await upstream.search(tokens.admin, 'members', { filter: { notes: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamInvalidRequestError);
    expect((error as UpstreamInvalidRequestError).upstreamMessage).toContain("'notes'");
  });

  it('hands over the page as sent (searchBody), with the errors search() gives', async () => {
    const query = { sort: 'id', pageSize: 30 };
    const body = await upstream.searchBody(tokens.admin, 'members', query);
    expect(JSON.parse(body.toString('utf8'))).toEqual(await upstream.search(tokens.admin, 'members', query));
    const error = await upstream.searchBody(tokens.admin, 'members', { filter: { notes: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamInvalidRequestError);
    expect((error as UpstreamInvalidRequestError).upstreamMessage).toContain("'notes'");
    await expect(upstream.searchBody('not-a-token', 'members', query)).rejects.toBeInstanceOf(UpstreamUnauthorizedError);
  });

  it('serves a 2,000-record page', async () => {
    const page = await upstream.search(tokens.admin, 'members', { pageSize: 2000 });
    expect(page.records).toHaveLength(2000);
    expect(JSON.stringify(page).length).toBeGreaterThan(1_000_000);
  });

  it('measures search latency on 20,000 bookings over HTTP', async () => {
    const query = { filter: { locationId: 'loc_03', status: { in: ['confirmed', 'tentative'] } }, page: 2, pageSize: 50 };
    await upstream.search(tokens.admin, 'bookings', query);
    const rounds = 50;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await upstream.search(tokens.admin, 'bookings', query);
    console.log(`search of 20k bookings over HTTP (filter, page of 50): ${((performance.now() - started) / rounds).toFixed(2)} ms per call`);
  });
});

describe('HttpUpstream location scoping', () => {
  it('never shows the location admin another location’s members or bookings', async () => {
    for (const type of ['members', 'bookings']) {
      const page = await upstream.search(tokens.locationAdmin, type, { pageSize: 2000 });
      expect(page.total).toBeGreaterThan(0);
      for (const record of page.records) expect(record.locationId).toBe(LOCATION_ADMIN_LOCATION.id);
    }
  });

  it('answers not found for another location’s record', async () => {
    const other = await upstream.search(tokens.admin, 'members', { filter: { locationId: 'loc_01' }, pageSize: 1 });
    const id = other.records[0]!.id;
    await expect(upstream.get(tokens.locationAdmin, 'members', id)).rejects.toBeInstanceOf(UpstreamNotFoundError);
    await expect(upstream.update(tokens.locationAdmin, 'members', id, { notes: 'x' })).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('forbids creating a record in, or moving one to, another location', async () => {
    const create = upstream.create(tokens.locationAdmin, 'members', { locationId: 'loc_01', fullName: 'Ana Test', email: 'ana.test@example.com' });
    await expect(create).rejects.toBeInstanceOf(UpstreamForbiddenError);
    const own = await upstream.search(tokens.locationAdmin, 'members', { pageSize: 1 });
    const move = upstream.update(tokens.locationAdmin, 'members', own.records[0]!.id, { locationId: 'loc_01' });
    await expect(move).rejects.toBeInstanceOf(UpstreamForbiddenError);
  });
});

describe('HttpUpstream permissions', () => {
  it('refuses every write of the read-only admin with a person-readable message', async () => {
    const error = await upstream.update(tokens.readOnly, 'members', 'mem_000001', { notes: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamForbiddenError);
    expect((error as UpstreamForbiddenError).upstreamMessage).toBe(
      'This account has read-only access: it cannot create, update or delete records.',
    );
    await expect(upstream.delete(tokens.readOnly, 'bookings', 'bkg_000001')).rejects.toBeInstanceOf(UpstreamForbiddenError);
    await expect(upstream.runCommand(tokens.readOnly, 'members', 'mem_000001', 'archive')).rejects.toBeInstanceOf(UpstreamForbiddenError);
    await expect(upstream.create(tokens.readOnly, 'plans', { name: 'x', price: 1, currency: 'GBP', interval: 'day' })).rejects.toBeInstanceOf(
      UpstreamForbiddenError,
    );
  });

  it('lets the read-only admin read', async () => {
    expect((await upstream.get(tokens.readOnly, 'members', 'mem_000001')).id).toBe('mem_000001');
  });

  it('refuses the member the entity API', async () => {
    const error = await upstream.listEntities(tokens.member).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamForbiddenError);
    expect((error as UpstreamForbiddenError).upstreamMessage).toBe('Members cannot use the administration API.');
    await expect(upstream.search(tokens.member, 'members', {})).rejects.toBeInstanceOf(UpstreamForbiddenError);
  });
});

describe('HttpUpstream writes', () => {
  it('creates, reads, updates and deletes a member', async () => {
    const created = await upstream.create(tokens.locationAdmin, 'members', {
      locationId: LOCATION_ADMIN_LOCATION.id,
      fullName: 'Nia Example',
      email: 'nia.example@example.org',
      mobilePhone: '+44 7700 900999',
    });
    expect(created).toMatchObject({ id: expect.stringMatching(/^mem_\d{6}$/), status: 'active', checkedIn: false, fullName: 'Nia Example' });
    expect(await upstream.get(tokens.admin, 'members', created.id)).toEqual(created);
    const updated = await upstream.update(tokens.locationAdmin, 'members', created.id, { city: 'Manchester' });
    expect(updated.city).toBe('Manchester');
    await upstream.delete(tokens.locationAdmin, 'members', created.id);
    await expect(upstream.get(tokens.admin, 'members', created.id)).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it.each([
    ['a missing required field', { locationId: 'loc_01', email: 'x@example.com' }, 'fullName'],
    ['an unknown field', { locationId: 'loc_01', fullName: 'X', email: 'x@example.com', shoeSize: 42 }, 'shoeSize'],
    ['a read-only field', { locationId: 'loc_01', fullName: 'X', email: 'x@example.com', status: 'archived' }, 'status'],
    ['a wrong type', { locationId: 'loc_01', fullName: 'X', email: 'x@example.com', dateOfBirth: 'yesterday' }, 'dateOfBirth'],
    ['an unknown reference', { locationId: 'loc_01', fullName: 'X', email: 'x@example.com', planId: 'pln_99' }, 'planId'],
  ])('refuses %s with a message naming the field', async (_name, data, field) => {
    const error = await upstream.create(tokens.admin, 'members', data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamInvalidRequestError);
    expect((error as UpstreamInvalidRequestError).upstreamMessage).toContain(field);
  });

  it('refuses a duplicate member e-mail as a conflict', async () => {
    const existing = await upstream.get(tokens.admin, 'members', 'mem_000002');
    const error = await upstream
      .create(tokens.admin, 'members', { locationId: 'loc_01', fullName: 'Dup', email: String(existing.email).toUpperCase() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamInvalidRequestError);
    expect((error as UpstreamInvalidRequestError).status).toBe(409);
  });

  it('books a resource in its location', async () => {
    const booking = await upstream.create(tokens.admin, 'bookings', {
      resourceId: 'res_000013',
      memberId: 'mem_000002',
      start: '2025-07-01T09:00:00Z',
      end: '2025-07-01T10:00:00Z',
      title: 'Design review',
    });
    expect(booking).toMatchObject({ locationId: 'loc_02', status: 'confirmed', start: '2025-07-01T09:00:00.000Z' });
    const cancelled = await upstream.runCommand(tokens.admin, 'bookings', booking.id, 'cancel', { reason: 'moved' });
    expect(cancelled.record?.status).toBe('cancelled');
    await expect(upstream.runCommand(tokens.admin, 'bookings', booking.id, 'cancel')).rejects.toBeInstanceOf(UpstreamInvalidRequestError);
  });

  it('runs member commands and records check-ins', async () => {
    const page = await upstream.search(tokens.admin, 'members', { filter: { status: 'active', checkedIn: false }, pageSize: 1 });
    const id = page.records[0]!.id;
    const checkedIn = await upstream.runCommand(tokens.admin, 'members', id, 'check_in');
    expect(checkedIn).toMatchObject({ message: 'Member checked in.', record: { checkedIn: true } });
    const open = await upstream.search(tokens.admin, 'checkins', { filter: { memberId: id, checkedOutAt: null } });
    expect(open.total).toBe(1);
    await upstream.runCommand(tokens.admin, 'members', id, 'check_out');
    const archived = await upstream.runCommand(tokens.admin, 'members', id, 'archive');
    expect(archived.record?.status).toBe('archived');
    await upstream.runCommand(tokens.admin, 'members', id, 'unarchive');
  });

  it('answers an unknown command with UpstreamNotFoundError', async () => {
    await expect(upstream.runCommand(tokens.admin, 'members', 'mem_000001', 'teleport')).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });
});

describe('HttpUpstream after a password change upstream', () => {
  it('ends every session of the account: the next call is UpstreamUnauthorizedError', async () => {
    const email = DEMO_ACCOUNT_EMAILS.locationAdmin;
    const first = await upstream.signIn(email, PASSWORD);
    const second = await upstream.signIn(email, PASSWORD);
    const response = await fetch(`${demo.url}/api/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'a-new-password' }),
    });
    expect(response.status).toBe(200);
    await expect(upstream.me(first.accessToken)).rejects.toBeInstanceOf(UpstreamUnauthorizedError);
    await expect(upstream.search(second.accessToken, 'members', {})).rejects.toBeInstanceOf(UpstreamUnauthorizedError);
    await expect(upstream.signIn(email, PASSWORD)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect((await upstream.signIn(email, 'a-new-password')).account.email).toBe(email);
  });
});

describe('HttpUpstream.ping', () => {
  it('resolves against a live upstream', async () => {
    await expect(upstream.ping()).resolves.toBeUndefined();
  });
});
