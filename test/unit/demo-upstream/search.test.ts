import { describe, expect, it } from 'vitest';
import { findCatalogEntry } from '../../../src/demo-upstream/catalog.js';
import { generateDataset, type DemoRecord } from '../../../src/demo-upstream/generate.js';
import { parseSearch, runSearch } from '../../../src/demo-upstream/search.js';

const members = findCatalogEntry('members')!;
const bookings = findCatalogEntry('bookings')!;
const everyone = (): boolean => true;

const records: DemoRecord[] = [
  { id: 'mem_000001', status: 'active', city: 'London', fullName: 'Ada Lovelace', checkedIn: true, dateOfBirth: '1990-01-01', notes: 'Likes tea' },
  { id: 'mem_000002', status: 'archived', city: 'Bristol', fullName: 'Alan Turing', checkedIn: false, dateOfBirth: '1980-06-23', notes: null },
  { id: 'mem_000003', status: 'active', city: 'Bristol', fullName: 'Grace Hopper', checkedIn: false, dateOfBirth: null, notes: 'Tea and cobol' },
];

const ids = (body: unknown): string[] => runSearch(members, records, parseSearch(members, body), everyone).records.map((r) => r.id);

describe('parseSearch and runSearch', () => {
  it.each([
    ['no filter', {}, ['mem_000001', 'mem_000002', 'mem_000003']],
    ['scalar equality', { filter: { city: 'Bristol' } }, ['mem_000002', 'mem_000003']],
    ['boolean equality', { filter: { checkedIn: true } }, ['mem_000001']],
    ['eq null', { filter: { dateOfBirth: null } }, ['mem_000003']],
    ['ne', { filter: { status: { ne: 'active' } } }, ['mem_000002']],
    ['in', { filter: { city: { in: ['London', 'Paris'] } } }, ['mem_000001']],
    ['contains, any case', { filter: { fullName: { contains: 'TUR' } } }, ['mem_000002']],
    ['gte and lt on dates', { filter: { dateOfBirth: { gte: '1985-01-01', lt: '2000-01-01' } } }, ['mem_000001']],
    ['two fields', { filter: { city: 'Bristol', status: 'active' } }, ['mem_000003']],
    ['q over text fields, any case', { q: 'TEA' }, ['mem_000001', 'mem_000003']],
    ['sort descending', { sort: '-fullName' }, ['mem_000003', 'mem_000002', 'mem_000001']],
    ['sort with nulls last', { sort: 'dateOfBirth' }, ['mem_000002', 'mem_000001', 'mem_000003']],
    ['sort by id descending', { sort: '-id' }, ['mem_000003', 'mem_000002', 'mem_000001']],
    ['pagination', { pageSize: 2, page: 2 }, ['mem_000003']],
  ])('%s', (_name, body, expected) => {
    expect(ids(body)).toEqual(expected);
  });

  it('reports total and hasMore', () => {
    const page = runSearch(members, records, parseSearch(members, { pageSize: 2 }), everyone);
    expect(page).toMatchObject({ page: 1, pageSize: 2, total: 3, hasMore: true });
  });

  it('keeps records the account cannot see out of results and totals', () => {
    const page = runSearch(members, records, parseSearch(members, {}), (r) => r.city === 'London');
    expect(page.total).toBe(1);
  });

  it.each([
    ['an unknown field', { filter: { shoeSize: 42 } }, /shoeSize/],
    ['a non-filterable field', { filter: { notes: 'x' } }, /notes.*cannot be filtered/],
    ['an unknown operator', { filter: { city: { like: 'x' } } }, /unknown operator 'like'/],
    ['in without an array', { filter: { city: { in: 'London' } } }, /city\.in/],
    ['a non-string contains', { filter: { city: { contains: 3 } } }, /city\.contains/],
    ['an object as value', { filter: { city: { eq: { x: 1 } } } }, /city\.eq/],
    ['a page size over 2000', { pageSize: 2001 }, /pageSize/],
    ['page 0', { page: 0 }, /page must/],
    ['an unknown sort field', { sort: '-shoeSize' }, /sort.*shoeSize/],
    ['an unknown option', { limit: 5 }, /Unknown search option 'limit'/],
    ['a non-object body', [1, 2], /JSON object/],
  ])('refuses %s with a message naming it', (_name, body, message) => {
    expect(() => parseSearch(members, body)).toThrow(message);
  });

  it('filters and pages 20,000 bookings in a few milliseconds', () => {
    const all = generateDataset().bookings;
    const search = parseSearch(bookings, {
      filter: { status: 'confirmed', start: { gte: '2025-05-01' }, locationId: { in: ['loc_01', 'loc_02'] } },
      page: 3,
      pageSize: 100,
    });
    runSearch(bookings, all, search, everyone);
    const rounds = 20;
    const started = performance.now();
    let total = 0;
    for (let i = 0; i < rounds; i++) total = runSearch(bookings, all, search, everyone).total;
    const perSearch = (performance.now() - started) / rounds;
    const sorted = parseSearch(bookings, { sort: '-start', pageSize: 50 });
    const sortStarted = performance.now();
    runSearch(bookings, all, sorted, everyone);
    console.log(
      `search over ${all.length} bookings: filter+page ${perSearch.toFixed(2)} ms (${total} matches), full sort ${(performance.now() - sortStarted).toFixed(2)} ms`,
    );
    expect(total).toBeGreaterThan(0);
  });
});
