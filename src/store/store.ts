/**
 * The one storage interface of Gatehouse: namespaced keys with TTLs and the atomic operations the
 * protocol needs (single-use `take`, counting `increment` and its `decrement`). Values are
 * JSON-compatible so a shared implementation (Redis) can serialize them. Implementations never log
 * keys or values.
 */
export interface Store {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a value that expires after ttlMs. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Stores only when the key is absent; true when stored. */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Atomically reads and deletes: the second caller gets undefined (single-use codes). */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** Adds 1 to a counter that starts when first incremented and expires ttlMs later; returns the new count. */
  increment(key: string, ttlMs: number): Promise<{ count: number; resetAt: number }>;
  /** Takes 1 back from a live counter, keeping its expiry; never below 0, and a missing counter stays missing. */
  decrement(key: string): Promise<void>;
  /** Appends values to a list that expires ttlMs after its latest append (indexes, vault entries). */
  append(key: string, values: string[], ttlMs: number): Promise<void>;
  /** The list's values in append order from index `from` (default 0); empty when absent. */
  list(key: string, from?: number): Promise<string[]>;
  /** Cheap reachability probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
