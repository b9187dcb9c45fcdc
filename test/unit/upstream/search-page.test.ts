import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../../src/upstream/errors.js';
import { parseSearchPage, searchPageOf } from '../../../src/upstream/schemas.js';

const page = { records: [{ id: 'm1', name: 'Ada' }], page: 1, pageSize: 25, total: 1, hasMore: false };

describe('searchPageOf', () => {
  it("keeps a page's five fields, in their order, and drops the rest", () => {
    const checked = searchPageOf({ hasMore: true, extra: 'x', total: 40, pageSize: 20, page: 2, records: page.records, type: 'other' });
    expect(JSON.stringify(checked)).toBe(JSON.stringify({ records: page.records, page: 2, pageSize: 20, total: 40, hasMore: true }));
    expect(searchPageOf({ ...page, records: [], total: 0 }).records).toEqual([]);
  });

  it.each([
    ['null', null],
    ['an array', [page]],
    ['a string', 'page'],
    ['no records', { ...page, records: undefined }],
    ['records that are not an array', { ...page, records: { 0: { id: 'm1' } } }],
    ['a record without a string id', { ...page, records: [{ id: 7 }] }],
    ['a record that is an array', { ...page, records: [['m1']] }],
    ['a null record', { ...page, records: [null] }],
    ['a fractional page', { ...page, page: 1.5 }],
    ['a page number beyond safe integers', { ...page, page: 2 ** 60 }],
    ['a string pageSize', { ...page, pageSize: '25' }],
    ['no total', { ...page, total: undefined }],
    ['a hasMore that is not a boolean', { ...page, hasMore: 'false' }],
  ])('refuses %s as UpstreamUnavailableError', (_what, value) => {
    expect(() => searchPageOf(value)).toThrow(UpstreamUnavailableError);
  });

  it('reads the bytes of a page as JSON first', () => {
    expect(parseSearchPage(Buffer.from(JSON.stringify(page)))).toEqual(page);
    expect(() => parseSearchPage(Buffer.from('{"records": ['))).toThrow(UpstreamUnavailableError);
  });
});
