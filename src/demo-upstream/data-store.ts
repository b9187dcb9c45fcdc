/**
 * In-memory records of the demo upstream, one Map per entity type. Ids are zero-padded and
 * assigned in increasing order, so a Map's insertion order is already id order and the default
 * sort of a search costs nothing. Records are replaced, never mutated in place, on update.
 */
import { CATALOG, type CatalogEntry } from './catalog.js';
import type { DemoRecord, GeneratedData } from './generate.js';

export interface DataStore {
  all(type: string): Iterable<DemoRecord>;
  count(type: string): number;
  get(type: string, id: string): DemoRecord | undefined;
  /** Assigns the next id of the type and stores the record. */
  insert(entry: CatalogEntry, fields: Record<string, unknown>): DemoRecord;
  replace(type: string, record: DemoRecord): void;
  remove(type: string, id: string): boolean;
}

export function createDataStore(data: GeneratedData): DataStore {
  const tables = new Map<string, Map<string, DemoRecord>>();
  const nextNumber = new Map<string, number>();
  for (const entry of CATALOG) {
    const records = data[entry.type as keyof GeneratedData] ?? [];
    tables.set(entry.type, new Map(records.map((r) => [r.id, r])));
    const highest = records.reduce((max, r) => Math.max(max, Number(r.id.slice(entry.idPrefix.length)) || 0), 0);
    nextNumber.set(entry.type, highest + 1);
  }
  const table = (type: string): Map<string, DemoRecord> => {
    const found = tables.get(type);
    if (!found) throw new Error(`unknown entity type ${type}`);
    return found;
  };
  return {
    all: (type) => table(type).values(),
    count: (type) => table(type).size,
    get: (type, id) => table(type).get(id),
    insert(entry, fields) {
      const n = nextNumber.get(entry.type) ?? 1;
      nextNumber.set(entry.type, n + 1);
      const record: DemoRecord = { id: `${entry.idPrefix}${String(n).padStart(entry.idWidth, '0')}`, ...fields };
      table(entry.type).set(record.id, record);
      return record;
    },
    replace: (type, record) => void table(type).set(record.id, record),
    remove: (type, id) => table(type).delete(id),
  };
}
