import { describe, expect, it } from 'vitest';
import { CATALOG, findCatalogEntry } from '../../../src/demo-upstream/catalog.js';

const PII_FIELDS: Record<string, Record<string, string>> = {
  members: {
    fullName: 'NAME',
    firstName: 'NAME',
    lastName: 'NAME',
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
  },
  companies: { contactName: 'NAME', contactEmail: 'EMAIL', contactPhone: 'PHONE', vatNumber: 'FINANCIAL', address: 'ADDRESS' },
  bookings: { notes: 'BIO' },
  invoices: { billingName: 'NAME', billingEmail: 'EMAIL', billingAddress: 'ADDRESS' },
};

describe('CATALOG', () => {
  it('lists the eight entity types', () => {
    expect(CATALOG.map((e) => e.type)).toEqual(['locations', 'members', 'companies', 'resources', 'plans', 'bookings', 'invoices', 'checkins']);
  });

  it.each(Object.entries(PII_FIELDS))('marks every personal-data field of %s with its category, and nothing else', (type, expected) => {
    const entry = findCatalogEntry(type)!;
    const marked = Object.fromEntries(entry.fields.filter((f) => f.pii !== null).map((f) => [f.name, f.pii]));
    expect(marked).toEqual(expected);
  });

  it('has no personal data in locations, resources, plans or check-ins', () => {
    for (const type of ['locations', 'resources', 'plans', 'checkins']) {
      expect(findCatalogEntry(type)!.fields.every((f) => f.pii === null)).toBe(true);
    }
  });

  it('names an existing entity type in every reference', () => {
    for (const field of CATALOG.flatMap((e) => e.fields)) {
      if (field.references) expect(findCatalogEntry(field.references)).toBeDefined();
    }
  });

  it('marks destructive commands', () => {
    const destructive = CATALOG.flatMap((e) => e.commands.filter((c) => c.destructive).map((c) => `${e.type}.${c.name}`));
    expect(destructive).toEqual(['bookings.cancel', 'invoices.void']);
  });
});
