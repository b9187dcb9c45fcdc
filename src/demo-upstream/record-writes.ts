/**
 * Reads and writes of single records, with the upstream's own rules: the account must see the
 * record (else 404), may place it where it ends up (else 403), references must point to records
 * it can see, member e-mails are unique (409), and fields the platform owns (status, derived
 * location, invoice number, timestamps) are set here rather than by the caller.
 */
import { conflict, invalidRequest, notFound } from './api-error.js';
import { findCatalogEntry, type CatalogEntry } from './catalog.js';
import type { DemoAccount } from './accounts.js';
import type { DemoContext } from './context.js';
import type { DemoRecord } from './generate.js';
import { parseRecordInput } from './parse-record-input.js';
import { assertCanManageLocations, assertCanPlace, assertCanWrite, canSee } from './permissions.js';

export function loadVisibleRecord(ctx: DemoContext, account: DemoAccount, entry: CatalogEntry, id: string): DemoRecord {
  const record = ctx.store.get(entry.type, id);
  if (!record || !canSee(account, entry, record)) throw notFound(`There is no ${entry.title.toLowerCase()} record '${id}'.`);
  return record;
}

function checkReferences(ctx: DemoContext, account: DemoAccount, entry: CatalogEntry, values: Record<string, unknown>): void {
  for (const field of entry.fields) {
    const value = values[field.name];
    if (!field.references || typeof value !== 'string') continue;
    const target = findCatalogEntry(field.references);
    const record = target && ctx.store.get(target.type, value);
    // A location is checked for existence only: placing a record there is a 403 from assertCanPlace.
    const ok = record && target && (field.name === 'locationId' || canSee(account, target, record));
    if (!ok) throw invalidRequest(`Field '${field.name}' of ${entry.type}: there is no ${field.references} record '${value}'.`);
  }
}

/** Fields the platform derives from others. */
function derive(ctx: DemoContext, entry: CatalogEntry, record: Record<string, unknown>): void {
  if (entry.type === 'bookings') {
    record.locationId = ctx.store.get('resources', String(record.resourceId))?.locationId ?? null;
    if (String(record.end) <= String(record.start)) throw invalidRequest("Field 'end' of bookings must be after 'start'.");
  }
  if (entry.type === 'checkins') {
    record.locationId = ctx.store.get('members', String(record.memberId))?.locationId ?? null;
  }
}

function checkUniqueEmail(ctx: DemoContext, entry: CatalogEntry, record: Record<string, unknown>, selfId?: string): void {
  if (entry.type !== 'members' || typeof record.email !== 'string') return;
  const email = record.email.trim().toLowerCase();
  for (const member of ctx.store.all('members')) {
    if (member.id !== selfId && String(member.email).toLowerCase() === email) {
      throw conflict('Another member already uses this e-mail address.');
    }
  }
}

function creationDefaults(ctx: DemoContext, entry: CatalogEntry): Record<string, unknown> {
  const nowIso = new Date(ctx.now()).toISOString();
  switch (entry.type) {
    case 'members':
      return { status: 'active', checkedIn: false, createdAt: nowIso };
    case 'companies':
      return { createdAt: nowIso };
    case 'resources':
    case 'plans':
      return { active: true };
    case 'bookings':
      return { status: 'confirmed', createdAt: nowIso };
    case 'invoices':
      return { status: 'issued', issuedAt: nowIso.slice(0, 10) };
    default:
      return {};
  }
}

export function createRecord(ctx: DemoContext, account: DemoAccount, entry: CatalogEntry, body: unknown): DemoRecord {
  assertCanWrite(account);
  assertCanManageLocations(account, entry);
  const values = parseRecordInput(entry, body, 'create');
  const candidate: Record<string, unknown> = {};
  for (const field of entry.fields) if (field.name !== 'id') candidate[field.name] = null;
  Object.assign(candidate, creationDefaults(ctx, entry), values);
  derive(ctx, entry, candidate);
  checkReferences(ctx, account, entry, candidate);
  assertCanPlace(account, entry, candidate);
  checkUniqueEmail(ctx, entry, candidate);
  const record = ctx.store.insert(entry, candidate);
  if (entry.type === 'invoices') {
    const withNumber = { ...record, number: `INV-${String(record.issuedAt).slice(0, 4)}-${record.id.slice(4)}` };
    ctx.store.replace(entry.type, withNumber);
    return withNumber;
  }
  return record;
}

export function updateRecord(ctx: DemoContext, account: DemoAccount, entry: CatalogEntry, id: string, body: unknown): DemoRecord {
  assertCanWrite(account);
  const current = loadVisibleRecord(ctx, account, entry, id);
  const values = parseRecordInput(entry, body, 'update');
  const next: DemoRecord = { ...current, ...values, id: current.id };
  derive(ctx, entry, next);
  checkReferences(ctx, account, entry, values);
  assertCanPlace(account, entry, next);
  checkUniqueEmail(ctx, entry, next, current.id);
  ctx.store.replace(entry.type, next);
  return next;
}

export function deleteRecord(ctx: DemoContext, account: DemoAccount, entry: CatalogEntry, id: string): void {
  assertCanWrite(account);
  assertCanManageLocations(account, entry);
  const record = loadVisibleRecord(ctx, account, entry, id);
  assertCanPlace(account, entry, record);
  if (entry.type === 'locations') {
    for (const member of ctx.store.all('members')) {
      if (member.locationId === record.id) throw conflict('This location still has members: move or delete them first.');
    }
  }
  ctx.store.remove(entry.type, record.id);
}
