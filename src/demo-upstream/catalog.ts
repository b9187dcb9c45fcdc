/**
 * The entity catalog of the demo coworking platform: every type, its fields and its commands.
 * Every field that can hold personal data carries its PII category, because the gateway's
 * PII filter relies on the catalog to know what to hide. Validation and search read it too.
 * Deliberately self-contained: the demo upstream imports nothing from the gateway.
 */

export type FieldType = 'id' | 'string' | 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'enum';
export type PiiCategory = 'NAME' | 'EMAIL' | 'PHONE' | 'ADDRESS' | 'DOB' | 'SOCIAL' | 'FINANCIAL' | 'ID_DOC' | 'BIO';

export interface CatalogField {
  name: string;
  type: FieldType;
  description: string;
  pii: PiiCategory | null;
  filterable: boolean;
  readOnly: boolean;
  required: boolean;
  enum?: string[];
  references?: string;
}

export interface CatalogCommand {
  name: string;
  description: string;
  destructive: boolean;
}

/** How records of a type are tied to a location, for location-scoped accounts. */
export type LocationScope = 'locationId' | 'self' | 'shared';

export interface CatalogEntry {
  type: string;
  title: string;
  description: string;
  idPrefix: string;
  /** Digits of the numeric part of ids: `loc_01`, `mem_000123`. */
  idWidth: number;
  scope: LocationScope;
  fields: CatalogField[];
  commands: CatalogCommand[];
}

interface FieldOptions {
  pii?: PiiCategory;
  filterable?: boolean;
  readOnly?: boolean;
  required?: boolean;
  enum?: string[];
  references?: string;
}

function field(name: string, type: FieldType, description: string, options: FieldOptions = {}): CatalogField {
  const built: CatalogField = {
    name,
    type,
    description,
    pii: options.pii ?? null,
    filterable: options.filterable ?? false,
    readOnly: options.readOnly ?? false,
    required: options.required ?? false,
  };
  if (options.enum) built.enum = options.enum;
  if (options.references) built.references = options.references;
  return built;
}

const id = (what: string): CatalogField => field('id', 'id', `Identifier of the ${what}.`, { filterable: true, readOnly: true });
const createdAt = field('createdAt', 'datetime', 'When the record was created (ISO 8601).', { filterable: true, readOnly: true });
const locationRef = (required = true): CatalogField =>
  field('locationId', 'id', 'Location the record belongs to.', { filterable: true, required, references: 'locations' });

export const CATALOG: readonly CatalogEntry[] = [
  {
    type: 'locations',
    title: 'Locations',
    description: 'Coworking spaces operated on the platform.',
    idPrefix: 'loc_',
    idWidth: 2,
    scope: 'self',
    fields: [
      id('location'),
      field('name', 'string', 'Public name of the location.', { filterable: true, required: true }),
      field('city', 'string', 'City of the location.', { filterable: true, required: true }),
      field('address', 'string', 'Street address of the building (a business address).', { required: true }),
      field('timezone', 'string', 'IANA time zone of the location.', { required: true }),
      field('capacity', 'number', 'Number of seats.', { filterable: true }),
      field('openedOn', 'date', 'Opening date.', { filterable: true }),
    ],
    commands: [],
  },
  {
    type: 'members',
    title: 'Members',
    description: 'People with a membership, a plan and access to a location.',
    idPrefix: 'mem_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('member'),
      locationRef(),
      field('companyId', 'id', 'Company the member belongs to, if any.', { filterable: true, references: 'companies' }),
      field('planId', 'id', 'Membership plan.', { filterable: true, references: 'plans' }),
      field('status', 'enum', 'Membership status; change it with the archive/unarchive commands.', {
        filterable: true,
        readOnly: true,
        enum: ['active', 'archived'],
      }),
      field('checkedIn', 'boolean', 'Whether the member is in the building now; change it with check_in/check_out.', {
        filterable: true,
        readOnly: true,
      }),
      field('fullName', 'string', 'Full name.', { pii: 'NAME', filterable: true, required: true }),
      field('firstName', 'string', 'First name.', { pii: 'NAME', filterable: true }),
      field('lastName', 'string', 'Last name.', { pii: 'NAME', filterable: true }),
      field('email', 'string', 'E-mail address (unique).', { pii: 'EMAIL', filterable: true, required: true }),
      field('mobilePhone', 'string', 'Mobile phone number.', { pii: 'PHONE', filterable: true }),
      field('landLine', 'string', 'Land-line phone number.', { pii: 'PHONE' }),
      field('address', 'string', 'Postal address (street).', { pii: 'ADDRESS' }),
      field('city', 'string', 'City of the postal address.', { pii: 'ADDRESS', filterable: true }),
      field('postCode', 'string', 'Post code of the postal address.', { pii: 'ADDRESS', filterable: true }),
      field('dateOfBirth', 'date', 'Date of birth.', { pii: 'DOB', filterable: true }),
      field('twitter', 'string', 'X/Twitter handle.', { pii: 'SOCIAL' }),
      field('linkedin', 'string', 'LinkedIn profile URL.', { pii: 'SOCIAL' }),
      field('iban', 'string', 'Bank account (IBAN) for direct debits.', { pii: 'FINANCIAL' }),
      field('vatNumber', 'string', 'VAT number, for members invoiced as sole traders.', { pii: 'FINANCIAL' }),
      field('idDocumentNumber', 'string', 'Number of the identity document checked at sign-up.', { pii: 'ID_DOC' }),
      field('notes', 'text', 'Free-text notes by the staff; may mention contact details.', { pii: 'BIO' }),
      createdAt,
    ],
    commands: [
      { name: 'archive', description: 'Archive the member: ends access, keeps the history.', destructive: false },
      { name: 'unarchive', description: 'Restore an archived member.', destructive: false },
      { name: 'check_in', description: 'Record that the member entered the building now.', destructive: false },
      { name: 'check_out', description: 'Record that the member left the building now.', destructive: false },
    ],
  },
  {
    type: 'companies',
    title: 'Companies',
    description: 'Teams and businesses whose members share billing.',
    idPrefix: 'com_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('company'),
      locationRef(),
      field('name', 'string', 'Company name.', { filterable: true, required: true }),
      field('contactName', 'string', 'Name of the billing contact.', { pii: 'NAME', filterable: true }),
      field('contactEmail', 'string', 'E-mail of the billing contact.', { pii: 'EMAIL', filterable: true }),
      field('contactPhone', 'string', 'Phone of the billing contact.', { pii: 'PHONE' }),
      field('vatNumber', 'string', 'VAT number.', { pii: 'FINANCIAL', filterable: true }),
      field('address', 'string', 'Registered address.', { pii: 'ADDRESS' }),
      createdAt,
    ],
    commands: [],
  },
  {
    type: 'resources',
    title: 'Resources',
    description: 'Bookable desks, meeting rooms, offices and phone booths.',
    idPrefix: 'res_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('resource'),
      locationRef(),
      field('name', 'string', 'Name shown on the booking calendar.', { filterable: true, required: true }),
      field('kind', 'enum', 'Kind of resource.', {
        filterable: true,
        required: true,
        enum: ['desk', 'meeting_room', 'private_office', 'phone_booth'],
      }),
      field('capacity', 'number', 'Number of people it holds.', { filterable: true }),
      field('hourlyRate', 'number', 'Price per hour, in the location currency.', { filterable: true }),
      field('active', 'boolean', 'Whether it can be booked.', { filterable: true }),
    ],
    commands: [],
  },
  {
    type: 'plans',
    title: 'Plans',
    description: 'Membership plans, shared by every location.',
    idPrefix: 'pln_',
    idWidth: 2,
    scope: 'shared',
    fields: [
      id('plan'),
      field('name', 'string', 'Plan name.', { filterable: true, required: true }),
      field('price', 'number', 'Price per billing interval.', { filterable: true, required: true }),
      field('currency', 'enum', 'Currency of the price.', { filterable: true, required: true, enum: ['GBP', 'EUR'] }),
      field('interval', 'enum', 'Billing interval.', { filterable: true, required: true, enum: ['day', 'month', 'year'] }),
      field('description', 'text', 'What the plan includes.'),
      field('active', 'boolean', 'Whether new members can choose it.', { filterable: true }),
    ],
    commands: [],
  },
  {
    type: 'bookings',
    title: 'Bookings',
    description: 'Reservations of resources by members.',
    idPrefix: 'bkg_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('booking'),
      field('resourceId', 'id', 'Booked resource.', { filterable: true, required: true, references: 'resources' }),
      field('memberId', 'id', 'Member who booked.', { filterable: true, required: true, references: 'members' }),
      field('locationId', 'id', 'Location of the resource (set from the resource).', {
        filterable: true,
        readOnly: true,
        references: 'locations',
      }),
      field('start', 'datetime', 'Start (ISO 8601).', { filterable: true, required: true }),
      field('end', 'datetime', 'End (ISO 8601).', { filterable: true, required: true }),
      field('status', 'enum', 'Booking status; change it with the confirm/cancel commands.', {
        filterable: true,
        readOnly: true,
        enum: ['tentative', 'confirmed', 'cancelled'],
      }),
      field('title', 'string', 'Title shown on the calendar (no personal data).', { filterable: true }),
      field('notes', 'text', 'Free-text notes; may mention people.', { pii: 'BIO' }),
      createdAt,
    ],
    commands: [
      { name: 'confirm', description: 'Confirm a tentative booking.', destructive: false },
      { name: 'cancel', description: 'Cancel the booking and free the resource.', destructive: true },
    ],
  },
  {
    type: 'invoices',
    title: 'Invoices',
    description: 'Invoices issued to members and companies.',
    idPrefix: 'inv_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('invoice'),
      field('number', 'string', 'Invoice number.', { filterable: true, readOnly: true }),
      field('memberId', 'id', 'Invoiced member.', { filterable: true, required: true, references: 'members' }),
      field('companyId', 'id', 'Invoiced company, if any.', { filterable: true, references: 'companies' }),
      locationRef(),
      field('amount', 'number', 'Total amount, tax included.', { filterable: true, required: true }),
      field('currency', 'enum', 'Currency.', { filterable: true, required: true, enum: ['GBP', 'EUR'] }),
      field('status', 'enum', 'Invoice status; change it with the mark_paid/void commands.', {
        filterable: true,
        readOnly: true,
        enum: ['issued', 'paid', 'void'],
      }),
      field('issuedAt', 'date', 'Issue date.', { filterable: true, readOnly: true }),
      field('dueAt', 'date', 'Due date.', { filterable: true, required: true }),
      field('billingName', 'string', 'Name on the invoice.', { pii: 'NAME', filterable: true }),
      field('billingEmail', 'string', 'E-mail the invoice is sent to.', { pii: 'EMAIL', filterable: true }),
      field('billingAddress', 'string', 'Billing address.', { pii: 'ADDRESS' }),
    ],
    commands: [
      { name: 'mark_paid', description: 'Record the payment of an issued invoice.', destructive: false },
      { name: 'void', description: 'Void an unpaid invoice; it cannot be paid afterwards.', destructive: true },
    ],
  },
  {
    type: 'checkins',
    title: 'Check-ins',
    description: 'Visits of members to a location.',
    idPrefix: 'chk_',
    idWidth: 6,
    scope: 'locationId',
    fields: [
      id('check-in'),
      field('memberId', 'id', 'Member who came in.', { filterable: true, required: true, references: 'members' }),
      field('locationId', 'id', 'Location visited (set from the member).', {
        filterable: true,
        readOnly: true,
        references: 'locations',
      }),
      field('checkedInAt', 'datetime', 'Arrival (ISO 8601).', { filterable: true, required: true }),
      field('checkedOutAt', 'datetime', 'Departure (ISO 8601), null while in the building.', { filterable: true }),
    ],
    commands: [],
  },
];

const BY_TYPE = new Map(CATALOG.map((entry) => [entry.type, entry]));

export function findCatalogEntry(type: string): CatalogEntry | undefined {
  return BY_TYPE.get(type);
}

/** The public shape of a type, as `GET /api/entities/:type` answers it. */
export function toEntityType(entry: CatalogEntry) {
  return {
    type: entry.type,
    title: entry.title,
    description: entry.description,
    fields: entry.fields,
    commands: entry.commands,
  };
}
