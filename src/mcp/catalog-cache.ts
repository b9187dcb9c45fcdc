/**
 * Entity types of the upstream and the redaction policy compiled from each type's field
 * categories, fetched with the caller's token and kept for a few minutes per account, so the hot
 * path neither asks the upstream nor recompiles the policy on every call. Per account because the
 * upstream decides what each person may see: one person's answer is never another's policy or
 * description.
 */
import { buildRedactionPolicy, isPiiCategory, type PiiCategory, type RedactionPolicy } from '../pii/index.js';
import type { EntityType, Upstream } from '../upstream/index.js';
import { getOrAdd } from '../bounded-map.js';

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
  /** The fresh cached description, if there is one; never asks the upstream. */
  cached(caller: CatalogCaller, type: string): CatalogEntry | undefined;
  /** Asks the upstream as the caller whatever the cache holds, and keeps the answer. */
  refresh(caller: CatalogCaller, type: string): Promise<CatalogEntry>;
  /** The policy for responses that are not records of one type (no catalog categories). */
  readonly genericPolicy: RedactionPolicy;
}

const TTL_MS = 5 * 60_000;
/** Accounts kept, oldest first out: the number of people is unbounded on a busy server. */
const MAX_ACCOUNTS = 10_000;
/** Distinct descriptions (and field lists) kept; in practice one per type, or a few where people see different fields. */
const MAX_SHARED = 1_000;

const ATOMIC_TYPES: ReadonlySet<string> = new Set(['id', 'enum', 'date', 'datetime']);

export function policyForFields(fields: ReadonlyArray<{ name: string; pii: string | null; type?: string }>): RedactionPolicy {
  const fieldCategories: Record<string, PiiCategory> = {};
  for (const field of fields) if (field.pii !== null && isPiiCategory(field.pii)) fieldCategories[field.name] = field.pii;
  const atomicFields = fields.filter((field) => field.type !== undefined && ATOMIC_TYPES.has(field.type)).map((field) => field.name);
  return buildRedactionPolicy({ fieldCategories, atomicFields, recordFields: fields.map((field) => field.name) });
}

export function createCatalogCache(upstream: Upstream, now: () => number = Date.now): CatalogCache {
  // Per account, then per type: two Map lookups a call and no key string to build.
  const accounts = new Map<string, Map<string, { entry: CatalogEntry; fetchedAt: number }>>();
  const inFlight = new Map<string, Map<string, Promise<CatalogEntry>>>();
  // Accounts that see the same fields share one policy object: the result workers and each
  // policy's field-name cache are keyed by it, so one per account would recompile them all.
  const policies = new Map<string, RedactionPolicy>();
  const sharedPolicy = (fields: EntityType['fields']): RedactionPolicy =>
    getOrAdd(policies, JSON.stringify(fields.map((field) => [field.name, field.pii, field.type])), MAX_SHARED, () => policyForFields(fields));
  // Likewise one entry for identical descriptions, so an account costs its Map slots, not a copy.
  const entries = new Map<string, CatalogEntry>();
  const sharedEntry = (entityType: EntityType): CatalogEntry =>
    getOrAdd(entries, JSON.stringify(entityType), MAX_SHARED, () => ({ entityType, policy: sharedPolicy(entityType.fields) }));
  const describeFor = async (caller: CatalogCaller, type: string): Promise<CatalogEntry> => {
    const entry = sharedEntry(await upstream.describe(caller.upstreamToken, type));
    getOrAdd(accounts, caller.account.id, MAX_ACCOUNTS, () => new Map()).set(type, { entry, fetchedAt: now() });
    return entry;
  };
  /** One upstream call for concurrent misses of one account and type. */
  const refresh = (caller: CatalogCaller, type: string): Promise<CatalogEntry> => {
    let pending = inFlight.get(caller.account.id);
    const running = pending?.get(type);
    if (running !== undefined) return running;
    if (pending === undefined) inFlight.set(caller.account.id, (pending = new Map()));
    const promise = describeFor(caller, type).finally(() => {
      pending.delete(type);
      if (pending.size === 0 && inFlight.get(caller.account.id) === pending) inFlight.delete(caller.account.id);
    });
    pending.set(type, promise);
    return promise;
  };
  const cached = (caller: CatalogCaller, type: string): CatalogEntry | undefined => {
    const kept = accounts.get(caller.account.id)?.get(type);
    return kept !== undefined && now() - kept.fetchedAt < TTL_MS ? kept.entry : undefined;
  };
  return {
    genericPolicy: buildRedactionPolicy({}),
    refresh,
    async entry(caller, type) {
      return cached(caller, type) ?? refresh(caller, type);
    },
    cached,
  };
}
