export type { Store } from './store.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
