/**
 * What each demo account may see and change, enforced here rather than trusted to the gateway:
 * members have no administration API, read-only admins cannot write, and a location admin sees
 * only its location's records (another location's record answers 404, as if it did not exist)
 * and cannot create or move records into another location (403).
 */
import { forbidden } from './api-error.js';
import type { DemoAccount } from './accounts.js';
import type { CatalogEntry } from './catalog.js';
import type { DemoRecord } from './generate.js';

export function assertAdministrator(account: DemoAccount): void {
  if (!account.roles.includes('admin')) throw forbidden('Members cannot use the administration API.');
}

export function assertCanWrite(account: DemoAccount): void {
  if (account.readOnly) {
    throw forbidden('This account has read-only access: it cannot create, update or delete records.');
  }
}

export function canSee(account: DemoAccount, entry: CatalogEntry, record: DemoRecord): boolean {
  if (account.allLocations) return true;
  switch (entry.scope) {
    case 'shared':
      return true;
    case 'self':
      return account.locationIds.includes(record.id);
    case 'locationId':
      return account.locationIds.includes(String(record.locationId));
  }
}

/** Checks that the account may hold this (new or changed) record where it stands. */
export function assertCanPlace(account: DemoAccount, entry: CatalogEntry, record: DemoRecord | Record<string, unknown>): void {
  if (account.allLocations) return;
  if (entry.scope === 'shared') {
    throw forbidden(`${entry.title} are shared by every location: only an administrator of all locations can change them.`);
  }
  const locationId = entry.scope === 'self' ? record.id : record.locationId;
  if (typeof locationId !== 'string' || !account.locationIds.includes(locationId)) {
    throw forbidden('This account administers a single location: it cannot put records in another location.');
  }
}

/** Creating or deleting whole locations is for administrators of all locations. */
export function assertCanManageLocations(account: DemoAccount, entry: CatalogEntry): void {
  if (entry.scope === 'self' && !account.allLocations) {
    throw forbidden('Only an administrator of all locations can create or delete locations.');
  }
}
