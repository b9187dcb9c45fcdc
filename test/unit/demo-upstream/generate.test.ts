import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../src/demo-upstream/catalog.js';
import { DEFAULT_SEED, generateDataset } from '../../../src/demo-upstream/generate.js';
import { isValidIban } from '../../../src/demo-upstream/personal-data.js';

describe('generateDataset', () => {
  const started = performance.now();
  const data = generateDataset();
  const elapsedMs = performance.now() - started;
  console.log(`demo data generated in ${elapsedMs.toFixed(1)} ms (seed ${DEFAULT_SEED})`);

  it('generates at least the promised volume', () => {
    expect(data.locations.length).toBe(5);
    expect(data.members.length).toBeGreaterThanOrEqual(2400);
    expect(data.companies.length).toBeGreaterThanOrEqual(300);
    expect(data.resources.length).toBeGreaterThanOrEqual(60);
    expect(data.plans.length).toBeGreaterThanOrEqual(8);
    expect(data.bookings.length).toBeGreaterThanOrEqual(20_000);
    expect(data.invoices.length).toBeGreaterThanOrEqual(6_000);
    expect(data.checkins.length).toBeGreaterThanOrEqual(10_000);
  });

  it('is deterministic for a seed', () => {
    const again = generateDataset();
    expect(again.members[0]).toEqual(data.members[0]);
    expect(again.bookings.at(-1)).toEqual(data.bookings.at(-1));
  });

  it('differs between seeds', () => {
    expect(generateDataset(DEFAULT_SEED + 1).members[0]).not.toEqual(data.members[0]);
  });

  it('uses short stable ids', () => {
    expect(data.locations[0]!.id).toBe('loc_01');
    expect(data.members[122]!.id).toBe('mem_000123');
    expect(data.bookings[4511]!.id).toBe('bkg_004512');
  });

  it('gives every member a unique e-mail on a reserved domain', () => {
    const emails = data.members.map((m) => String(m.email));
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/@example\.(com|org|net)$/);
  });

  it('gives every member an IBAN with valid check digits', () => {
    for (const member of data.members) expect(isValidIban(String(member.iban))).toBe(true);
  });

  it('produces records with exactly the catalog fields', () => {
    for (const entry of CATALOG) {
      const records = data[entry.type as keyof typeof data];
      const expected = entry.fields.map((f) => f.name).sort();
      expect(Object.keys(records[0]!).sort(), entry.type).toEqual(expected);
    }
  });

  it('keeps every booking in the location of its resource', () => {
    const resources = new Map(data.resources.map((r) => [r.id, r]));
    for (const booking of data.bookings) expect(booking.locationId).toBe(resources.get(String(booking.resourceId))!.locationId);
  });

  it('writes member notes that sometimes mention the e-mail or phone', () => {
    const mentions = data.members.filter(
      (m) => typeof m.notes === 'string' && (m.notes.includes(String(m.email)) || m.notes.includes(String(m.mobilePhone))),
    );
    expect(mentions.length).toBeGreaterThan(50);
  });
});
