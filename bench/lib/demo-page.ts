/** The demo upstream's search page of members (default seed) as its JSON text, and the redaction policy of its fields: what the in-process benches present. */
import { findCatalogEntry } from '../../src/demo-upstream/catalog.js';
import { createDataStore } from '../../src/demo-upstream/data-store.js';
import { generateDataset } from '../../src/demo-upstream/generate.js';
import { parseSearch, runSearch } from '../../src/demo-upstream/search.js';
import { policyForFields } from '../../src/mcp/catalog-cache.js';

const members = findCatalogEntry('members')!;

/** The page's JSON text, as the demo upstream sends it (1700 members ≈ 1 MB). */
export const demoMembersPage = (pageSize = 1700): string =>
  JSON.stringify(runSearch(members, createDataStore(generateDataset()).all('members'), parseSearch(members, { pageSize }), () => true));

export const demoMembersPolicy = () => policyForFields(members.fields);

/** Fields of a member that are not about the person: kept as they are in a variant. */
const NOT_PERSONAL = new Set(['id', 'locationId', 'companyId', 'planId', 'status', 'createdAt']);

/**
 * The page with every personal value changed by `n` (another page of other people, of the same size
 * and shape): what a session meets when it browses on, where the page itself repeats what it knows.
 */
export function demoMembersPageOfOthers(page: string, n: number): string {
  const value = JSON.parse(page) as { records: Array<Record<string, unknown>> };
  for (const record of value.records) {
    for (const [key, field] of Object.entries(record)) if (typeof field === 'string' && !NOT_PERSONAL.has(key)) record[key] = `${field} ${n}`;
  }
  return JSON.stringify(value);
}
