/**
 * Entity types of the upstream and the redaction policy compiled from each type's field
 * categories, fetched with the caller's token and kept for a few minutes so the hot path neither
 * asks the upstream nor recompiles the policy on every call.
 */
import { buildRedactionPolicy, isPiiCategory, type PiiCategory, type RedactionPolicy } from '../pii/index.js';
import type { EntityType, Upstream } from '../upstream/index.js';

export interface CatalogEntry {
  entityType: EntityType;
  policy: RedactionPolicy;
}

export interface CatalogCache {
  entry(token: string, type: string): Promise<CatalogEntry>;
  /** The policy for responses that are not records of one type (no catalog categories). */
  readonly genericPolicy: RedactionPolicy;
}

const TTL_MS = 5 * 60_000;

const ATOMIC_TYPES: ReadonlySet<string> = new Set(['id', 'enum', 'date', 'datetime']);

export function policyForFields(fields: ReadonlyArray<{ name: string; pii: string | null; type?: string }>): RedactionPolicy {
  const fieldCategories: Record<string, PiiCategory> = {};
  for (const field of fields) if (field.pii !== null && isPiiCategory(field.pii)) fieldCategories[field.name] = field.pii;
  const atomicFields = fields.filter((field) => field.type !== undefined && ATOMIC_TYPES.has(field.type)).map((field) => field.name);
  return buildRedactionPolicy({ fieldCategories, atomicFields });
}

export function createCatalogCache(upstream: Upstream, now: () => number = Date.now): CatalogCache {
  const entries = new Map<string, { entry: CatalogEntry; fetchedAt: number }>();
  return {
    genericPolicy: buildRedactionPolicy({}),
    async entry(token, type) {
      const cached = entries.get(type);
      if (cached && now() - cached.fetchedAt < TTL_MS) return cached.entry;
      const entityType = await upstream.describe(token, type);
      const entry = { entityType, policy: policyForFields(entityType.fields) };
      entries.set(type, { entry, fetchedAt: now() });
      return entry;
    },
  };
}
