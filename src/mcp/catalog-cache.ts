/**
 * Entity types of the upstream and the redaction policy compiled from each type's field
 * categories, fetched with the caller's token and kept for a few minutes per account, so the hot
 * path neither asks the upstream nor recompiles the policy on every call. Per account because the
 * upstream decides what each person may see: one person's answer is never another's policy or
 * description.
 */
import { buildRedactionPolicy, isPiiCategory, type PiiCategory, type RedactionPolicy } from '../pii/index.js';
import type { EntityType, Upstream } from '../upstream/index.js';

export interface CatalogEntry {
  entityType: EntityType;
  policy: RedactionPolicy;
}

/** Who asks: the account the answer is kept for, and the upstream token it is asked with. */
export interface CatalogCaller {
  account: { id: string };
  upstreamToken: string;
}

export interface CatalogCache {
  /** The caller's description of the type, from the cache when it is fresh. */
  entry(caller: CatalogCaller, type: string): Promise<CatalogEntry>;
  /** Asks the upstream as the caller whatever the cache holds, and keeps the answer. */
  refresh(caller: CatalogCaller, type: string): Promise<CatalogEntry>;
  /** The policy for responses that are not records of one type (no catalog categories). */
  readonly genericPolicy: RedactionPolicy;
}

const TTL_MS = 5 * 60_000;
/** Oldest entries go first beyond this: accounts × types is unbounded on a busy server. */
const MAX_ENTRIES = 10_000;

const ATOMIC_TYPES: ReadonlySet<string> = new Set(['id', 'enum', 'date', 'datetime']);

export function policyForFields(fields: ReadonlyArray<{ name: string; pii: string | null; type?: string }>): RedactionPolicy {
  const fieldCategories: Record<string, PiiCategory> = {};
  for (const field of fields) if (field.pii !== null && isPiiCategory(field.pii)) fieldCategories[field.name] = field.pii;
  const atomicFields = fields.filter((field) => field.type !== undefined && ATOMIC_TYPES.has(field.type)).map((field) => field.name);
  return buildRedactionPolicy({ fieldCategories, atomicFields });
}

export function createCatalogCache(upstream: Upstream, now: () => number = Date.now): CatalogCache {
  const entries = new Map<string, { entry: CatalogEntry; fetchedAt: number }>();
  // Length-prefixed, so no account id and type can spell another pair's key.
  const keyOf = (caller: CatalogCaller, type: string) => `${caller.account.id.length}:${caller.account.id}${type}`;
  const refresh = async (caller: CatalogCaller, type: string): Promise<CatalogEntry> => {
    const entityType = await upstream.describe(caller.upstreamToken, type);
    const entry = { entityType, policy: policyForFields(entityType.fields) };
    const key = keyOf(caller, type);
    entries.delete(key);
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, { entry, fetchedAt: now() });
    return entry;
  };
  return {
    genericPolicy: buildRedactionPolicy({}),
    refresh,
    async entry(caller, type) {
      const cached = entries.get(keyOf(caller, type));
      if (cached && now() - cached.fetchedAt < TTL_MS) return cached.entry;
      return refresh(caller, type);
    },
  };
}
