/**
 * In-process Store: the embedded default. Expired entries are dropped when read and by a periodic
 * sweep (unref'd, so it never keeps the process alive).
 */
import type { Store } from './store.js';

interface Entry {
  value: unknown;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  now?: () => number;
  sweepIntervalMs?: number;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = setInterval(() => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    async get<T>(key: string) {
      return live(key)?.value as T | undefined;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key) !== undefined) return false;
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async take<T>(key: string) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value as T | undefined;
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlMs) {
      const entry = live(key);
      if (entry === undefined) {
        const fresh = { value: 1, expiresAt: now() + ttlMs };
        entries.set(key, fresh);
        return { count: 1, resetAt: fresh.expiresAt };
      }
      entry.value = (entry.value as number) + 1;
      return { count: entry.value as number, resetAt: entry.expiresAt };
    },
    async decrement(key) {
      const entry = live(key);
      if (entry !== undefined && (entry.value as number) > 0) entry.value = (entry.value as number) - 1;
    },
    async append(key, values, ttlMs) {
      const entry = live(key);
      const items = entry === undefined ? [] : (entry.value as string[]);
      items.push(...values);
      entries.set(key, { value: items, expiresAt: now() + ttlMs });
    },
    async list(key, from = 0) {
      return ((live(key)?.value as string[] | undefined) ?? []).slice(Math.max(0, from));
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
