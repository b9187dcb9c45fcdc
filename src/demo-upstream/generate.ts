/**
 * Generates the demo data set from a seed: same seed, same records, on every machine.
 * Dates are relative to a fixed reference day rather than the clock, for the same reason.
 * Measured on the development machine: 110-180 ms for the full volume (see the generate test log).
 */
import { createRandom, type Random } from './random.js';
import { LOCATIONS, type DemoLocation } from './locations.js';
import {
  BOOKING_NOTE_TEMPLATES,
  BOOKING_TITLES,
  COMPANY_SUFFIXES,
  COMPANY_TRADES,
  COMPANY_WORDS,
  FIRST_NAMES,
  LAST_NAMES,
  MEMBER_NOTE_TEMPLATES,
  PLAN_DEFINITIONS,
  STREETS,
} from './word-lists.js';
import {
  buildGbVatNumber,
  buildIban,
  buildIdDocumentNumber,
  buildIeVatNumber,
  buildLandLine,
  buildMobilePhone,
  buildPostCode,
  fillTemplate,
  toEmailLocalPart,
} from './personal-data.js';

export type DemoRecord = { id: string } & Record<string, unknown>;

export const DEFAULT_SEED = 20250602;
/** Generated dates are relative to this day, not to the clock. */
export const REFERENCE_DATE = '2025-06-02';

export interface DataVolume {
  members: number;
  companies: number;
  bookings: number;
  invoices: number;
  checkins: number;
}

export const DEFAULT_VOLUME: DataVolume = { members: 2400, companies: 300, bookings: 20_000, invoices: 6_000, checkins: 10_000 };

export type GeneratedData = Record<
  'locations' | 'members' | 'companies' | 'resources' | 'plans' | 'bookings' | 'invoices' | 'checkins',
  DemoRecord[]
>;

const DAY_MS = 86_400_000;
const REFERENCE_MS = Date.parse(`${REFERENCE_DATE}T00:00:00.000Z`);

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms: number): string => new Date(ms).toISOString();

function buildStreetAddress(random: Random): string {
  return `${random.int(1, 220)} ${random.pick(STREETS)}`;
}

function groupBy(records: DemoRecord[], key: string): Map<unknown, DemoRecord[]> {
  const groups = new Map<unknown, DemoRecord[]>();
  for (const record of records) {
    const group = groups.get(record[key]);
    if (group) group.push(record);
    else groups.set(record[key], [record]);
  }
  return groups;
}

function generateCompanies(random: Random, count: number): DemoRecord[] {
  const companies: DemoRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const location = random.pick(LOCATIONS);
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const name = `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_TRADES)} ${random.pick(COMPANY_SUFFIXES)}`;
    companies.push({
      id: `com_${pad(i, 6)}`,
      locationId: location.id,
      name,
      contactName: `${first} ${last}`,
      contactEmail: `${toEmailLocalPart(first, last)}@${random.pick(['example.com', 'example.net'])}`,
      contactPhone: random.chance(0.5) ? buildMobilePhone(random) : buildLandLine(random, location),
      vatNumber: location.currency === 'EUR' ? buildIeVatNumber(random) : buildGbVatNumber(random),
      address: `${buildStreetAddress(random)}, ${location.city} ${buildPostCode(random, location)}`,
      createdAt: isoDateTime(REFERENCE_MS - random.int(30, 2000) * DAY_MS),
    });
  }
  return companies;
}

function generateMembers(random: Random, count: number, companies: DemoRecord[], plans: DemoRecord[]): DemoRecord[] {
  const companiesByLocation = groupBy(companies, 'locationId');
  const usedEmails = new Set<string>();
  const members: DemoRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const location: DemoLocation = LOCATIONS[i % 5 === 0 ? random.int(0, LOCATIONS.length - 1) : (i - 1) % LOCATIONS.length]!;
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const localPart = toEmailLocalPart(firstName, lastName);
    let email = `${localPart}@${random.pick(['example.org', 'example.com', 'example.net'])}`;
    if (usedEmails.has(email)) email = email.replace('@', `${i}@`);
    usedEmails.add(email);
    const mobilePhone = buildMobilePhone(random);
    const handle = `${localPart.replace('.', '_')}${random.int(1, 99)}`;
    const localCompanies = companiesByLocation.get(location.id) ?? [];
    const companyId = localCompanies.length > 0 && random.chance(0.6) ? random.pick(localCompanies).id : null;
    const note = random.chance(0.45)
      ? fillTemplate(random.pick(MEMBER_NOTE_TEMPLATES), { email, phone: mobilePhone, firstName })
      : null;
    members.push({
      id: `mem_${pad(i, 6)}`,
      locationId: location.id,
      companyId,
      planId: random.pick(plans).id,
      status: random.chance(0.1) ? 'archived' : 'active',
      checkedIn: false,
      fullName: `${firstName} ${lastName}`,
      firstName,
      lastName,
      email,
      mobilePhone,
      landLine: random.chance(0.4) ? buildLandLine(random, location) : null,
      address: buildStreetAddress(random),
      city: random.chance(0.9) ? location.city : random.pick(LOCATIONS).city,
      postCode: buildPostCode(random, location),
      dateOfBirth: isoDate(REFERENCE_MS - random.int(19 * 365, 70 * 365) * DAY_MS),
      twitter: random.chance(0.35) ? `@${handle}` : null,
      linkedin: random.chance(0.5) ? `https://www.linkedin.com/in/${handle.replace('_', '-')}` : null,
      iban: buildIban(random, location.currency === 'EUR' ? random.pick(['IE', 'DE', 'NL'] as const) : random.chance(0.9) ? 'GB' : 'NL'),
      vatNumber: random.chance(0.2) ? (location.currency === 'EUR' ? buildIeVatNumber(random) : buildGbVatNumber(random)) : null,
      idDocumentNumber: buildIdDocumentNumber(random),
      notes: note,
      createdAt: isoDateTime(REFERENCE_MS - random.int(1, 2000) * DAY_MS - random.int(0, DAY_MS - 1)),
    });
  }
  return members;
}

function generateResources(): DemoRecord[] {
  const resources: DemoRecord[] = [];
  const layout = [
    ...Array.from({ length: 6 }, (_, n) => ({ kind: 'desk', name: `Hot desk ${n + 1}`, capacity: 1, hourlyRate: 4 })),
    { kind: 'meeting_room', name: 'Meeting room Ada', capacity: 8, hourlyRate: 35 },
    { kind: 'meeting_room', name: 'Meeting room Turing', capacity: 12, hourlyRate: 45 },
    { kind: 'meeting_room', name: 'Meeting room Hopper', capacity: 4, hourlyRate: 20 },
    { kind: 'private_office', name: 'Office 1', capacity: 4, hourlyRate: 30 },
    { kind: 'private_office', name: 'Office 2', capacity: 6, hourlyRate: 40 },
    { kind: 'phone_booth', name: 'Phone booth', capacity: 1, hourlyRate: 0 },
  ];
  let n = 0;
  for (const location of LOCATIONS) {
    for (const item of layout) {
      n += 1;
      resources.push({ id: `res_${pad(n, 6)}`, locationId: location.id, ...item, active: true });
    }
  }
  return resources;
}

function generateBookings(random: Random, count: number, resources: DemoRecord[], members: DemoRecord[]): DemoRecord[] {
  const membersByLocation = groupBy(members, 'locationId');
  const bookings: DemoRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const resource = random.pick(resources);
    const member = random.pick(membersByLocation.get(resource.locationId) ?? members);
    const dayOffset = random.int(-180, 60);
    const start = REFERENCE_MS + dayOffset * DAY_MS + random.int(8, 17) * 3_600_000;
    const end = start + (resource.kind === 'desk' ? 8 : random.int(1, 3)) * 3_600_000;
    const status = random.chance(0.08) ? 'cancelled' : dayOffset > 0 && random.chance(0.3) ? 'tentative' : 'confirmed';
    const notes = random.chance(0.3)
      ? fillTemplate(random.pick(BOOKING_NOTE_TEMPLATES), {
          count: String(random.int(3, 20)),
          firstName: String(member.firstName),
          phone: String(member.mobilePhone),
          email: String(member.email),
        })
      : null;
    bookings.push({
      id: `bkg_${pad(i, 6)}`,
      resourceId: resource.id,
      memberId: member.id,
      locationId: resource.locationId,
      start: isoDateTime(start),
      end: isoDateTime(end),
      status,
      title: resource.kind === 'desk' ? 'Desk booking' : random.pick(BOOKING_TITLES),
      notes,
      createdAt: isoDateTime(start - random.int(1, 30) * DAY_MS),
    });
  }
  return bookings;
}

function generateInvoices(random: Random, count: number, members: DemoRecord[], companies: Map<string, DemoRecord>, plans: Map<string, DemoRecord>): DemoRecord[] {
  const invoices: DemoRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const member = random.pick(members);
    const company = member.companyId ? companies.get(String(member.companyId)) : undefined;
    const location = LOCATIONS.find((l) => l.id === member.locationId)!;
    const issued = REFERENCE_MS - random.int(0, 540) * DAY_MS;
    const due = issued + 14 * DAY_MS;
    const planPrice = Number(plans.get(String(member.planId))?.price ?? 100);
    const roll = random.next();
    const status = roll < 0.05 ? 'void' : due < REFERENCE_MS && roll < 0.93 ? 'paid' : roll < 0.7 ? 'paid' : 'issued';
    invoices.push({
      id: `inv_${pad(i, 6)}`,
      number: `INV-${new Date(issued).getUTCFullYear()}-${pad(i, 6)}`,
      memberId: member.id,
      companyId: company?.id ?? null,
      locationId: member.locationId,
      amount: Math.round(planPrice * (1.2 + random.next() * 0.3) * 100) / 100,
      currency: location.currency,
      status,
      issuedAt: isoDate(issued),
      dueAt: isoDate(due),
      billingName: company ? company.contactName : member.fullName,
      billingEmail: company ? company.contactEmail : member.email,
      billingAddress: company ? company.address : `${member.address}, ${member.city} ${member.postCode}`,
    });
  }
  return invoices;
}

function generateCheckins(random: Random, count: number, members: DemoRecord[]): DemoRecord[] {
  const checkins: DemoRecord[] = [];
  const active = members.filter((m) => m.status === 'active');
  let n = 0;
  for (let i = 0; i < count; i++) {
    const member = random.pick(active);
    const arrival = REFERENCE_MS - random.int(1, 365) * DAY_MS + random.int(7 * 60, 11 * 60) * 60_000;
    n += 1;
    checkins.push({
      id: `chk_${pad(n, 6)}`,
      memberId: member.id,
      locationId: member.locationId,
      checkedInAt: isoDateTime(arrival),
      checkedOutAt: isoDateTime(arrival + random.int(60, 600) * 60_000),
    });
  }
  // About one active member in twenty is in the building on the reference day.
  for (const member of active) {
    if (!random.chance(0.05)) continue;
    member.checkedIn = true;
    n += 1;
    checkins.push({
      id: `chk_${pad(n, 6)}`,
      memberId: member.id,
      locationId: member.locationId,
      checkedInAt: isoDateTime(REFERENCE_MS + random.int(7 * 60, 11 * 60) * 60_000),
      checkedOutAt: null,
    });
  }
  return checkins;
}

export function generateDataset(seed: number = DEFAULT_SEED, volume: DataVolume = DEFAULT_VOLUME): GeneratedData {
  const random = createRandom(seed);
  const locations: DemoRecord[] = LOCATIONS.map((l) => ({
    id: l.id,
    name: l.name,
    city: l.city,
    address: l.address,
    timezone: l.timezone,
    capacity: l.capacity,
    openedOn: l.openedOn,
  }));
  const plans: DemoRecord[] = PLAN_DEFINITIONS.map((p, index) => ({
    id: `pln_${pad(index + 1, 2)}`,
    name: p.name,
    price: p.price,
    currency: 'GBP',
    interval: p.interval,
    description: p.description,
    active: p.active,
  }));
  const companies = generateCompanies(random, volume.companies);
  const members = generateMembers(random, volume.members, companies, plans);
  const resources = generateResources();
  const bookings = generateBookings(random, volume.bookings, resources, members);
  const invoices = generateInvoices(
    random,
    volume.invoices,
    members,
    new Map(companies.map((c) => [c.id, c])),
    new Map(plans.map((p) => [p.id, p])),
  );
  const checkins = generateCheckins(random, volume.checkins, members);
  return { locations, members, companies, resources, plans, bookings, invoices, checkins };
}
