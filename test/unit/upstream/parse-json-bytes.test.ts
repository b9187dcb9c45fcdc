import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCatalogEntry } from '../../../src/demo-upstream/catalog.js';
import { createDataStore } from '../../../src/demo-upstream/data-store.js';
import { generateDataset } from '../../../src/demo-upstream/generate.js';
import { parseSearch, runSearch } from '../../../src/demo-upstream/search.js';
import { parseJsonBytes } from '../../../src/upstream/parse-json-bytes.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** JSON.parse's value of the same text, compared with its key order too. */
function expectSameAsJsonParse(text: string) {
  const expected: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const actual = parseJsonBytes(utf8(text));
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** What JSON.parse says of the text: the same error class, or the same value. */
function expectRejectedLikeJsonParse(text: string) {
  expect(() => JSON.parse(text)).toThrow(SyntaxError);
  expect(() => parseJsonBytes(utf8(text))).toThrow(SyntaxError);
}

/** A page of `count` records of about `recordBytes` each, so the records array is cut into several slices. */
function page(count: number, record: (i: number) => unknown = (i) => ({ id: `m_${i}`, name: `Member ${i}`, notes: 'x'.repeat(200) })): string {
  return JSON.stringify({ records: Array.from({ length: count }, (_, i) => record(i)), page: 1, pageSize: count, total: count, hasMore: false });
}

describe('parseJsonBytes', () => {
  it("parses the demo's 1 MB page of members as JSON.parse does, ASCII or not", () => {
    const entry = findCatalogEntry('members')!;
    const text = JSON.stringify(runSearch(entry, createDataStore(generateDataset()).all('members'), parseSearch(entry, { pageSize: 1700 }), () => true));
    expect(text.length).toBeGreaterThan(900_000);
    expectSameAsJsonParse(text);
    expectSameAsJsonParse(text.replace(/"firstName":"(.)/g, '"firstName":"Ö$1'));
    expectSameAsJsonParse(`\uFEFF${text.replace(/"firstName":"(.)/g, '"firstName":"東$1')}`);
  });

  it('reads small and empty texts, and views into a larger buffer', () => {
    expect(parseJsonBytes(utf8('{"a":[1,2],"b":"é"}'))).toStrictEqual({ a: [1, 2], b: 'é' });
    expect(parseJsonBytes(new Uint8Array())).toBeUndefined();
    expect(parseJsonBytes(utf8('\uFEFF'))).toBeUndefined();
    const text = page(2000);
    const shared = Buffer.concat([utf8('xx'), utf8(text), utf8('yy')]);
    expect(parseJsonBytes(shared.subarray(2, shared.length - 2))).toStrictEqual(JSON.parse(text));
  });

  it('keeps what a blind cut at "},{" would break: the separator inside strings and nested arrays', () => {
    // Strings that hold `},{`, quotes and backslashes, at every offset a cut may land on.
    const tricky = (i: number) => ({
      id: `r${i}`,
      text: `${'},{'.repeat(i % 7)}"\\${'\\'.repeat(i % 3)}},{"x":[${i}]},{`,
      inner: [{ a: i }, { b: '},{' }, [[], {}]],
    });
    expectSameAsJsonParse(page(3000, tricky));
    // Top-level arrays of scalars, of arrays, several large members, an empty one, whitespace around everything.
    expectSameAsJsonParse(
      ` { "ids" : [ ${Array.from({ length: 40_000 }, (_, i) => i).join(' , ')} ] ,\n "empty": [ ], "nested": ${JSON.stringify(Array.from({ length: 9000 }, (_, i) => [i, [`${i}`]]))}, "more": ${page(600)} } `,
    );
    expectSameAsJsonParse(`{"records":[${Array.from({ length: 3000 }, (_, i) => `{"i":${i}}`).join(',\n  ')}],"total":3000}`);
  });

  it('parses many small arrays before a large one without searching the rest of the text for each', () => {
    // Each small array once searched for a cut to the end of the text: 30 s for 260 KB.
    const small = Array.from({ length: 20_000 }, (_, i) => `"k${i}":[]`).join(',');
    expectSameAsJsonParse(`{${small},"z":[{"a":1},{"a":2}]}`);
    expectSameAsJsonParse(`{${small},"z":${JSON.stringify(JSON.parse(page(1500)).records)}}`);
  });

  it('gives the last value of a key that occurs twice, and keeps "__proto__" an own property', () => {
    const records = JSON.stringify(JSON.parse(page(2000)).records);
    expectSameAsJsonParse(`{"records":${records},"records":5}`);
    expectSameAsJsonParse(`{"records":5,"records":${records}}`);
    const value = parseJsonBytes(utf8(`{"__proto__":${records},"x":1}`)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'x']);
    expect((value['__proto__'] as unknown[]).length).toBe(2000);
  });

  it('rejects what JSON.parse rejects, wherever in a large array it is', () => {
    const records = page(3000).slice(0, page(3000).indexOf('],"page"'));
    const at = Math.floor(records.length * 0.6);
    const cut = records.indexOf('},{', at) + 1; // a comma between two records, past the first slices
    const before = records.slice(0, cut);
    const after = records.slice(cut + 1);
    const end = '],"total":3000}';
    expectRejectedLikeJsonParse(`${before},,${after}${end}`); // an empty element
    expectRejectedLikeJsonParse(`${before}, ,${after}${end}`);
    expectRejectedLikeJsonParse(`${records},${end}`); // a trailing comma
    expectRejectedLikeJsonParse(`${records}, ${end}`);
    expectRejectedLikeJsonParse(`{"records":[,${records.slice('{"records":['.length)}${end}`);
    expectRejectedLikeJsonParse(`${before} ${after}${end}`); // a missing comma
    expectRejectedLikeJsonParse(`${records}}${end.slice(1)}`); // closed by a brace
    expectRejectedLikeJsonParse(`${records}${end}x`); // trailing text
    expectRejectedLikeJsonParse(`${records}${end.slice(0, -1)}`); // unclosed
    expectRejectedLikeJsonParse(`${before},\u00a0${after}${end}`); // not JSON whitespace
    expectRejectedLikeJsonParse(`${before},\uFEFF${after}${end}`); // a byte order mark after the start is data
    expectRejectedLikeJsonParse(`${before},"unterminated${end}`);
    expectRejectedLikeJsonParse(`${before}],${after}${end}`); // closed early
  });

  it('rejects an empty element or a byte order mark right after a comma where the array is cut', () => {
    // A slice ends at the first comma 48 KB or more past its start: here the first comma.
    const long = JSON.stringify('x'.repeat(70_000));
    const large = `{"pad":${long},"records":[${long}`;
    expect(JSON.parse(`${large},1]}`).records).toHaveLength(2);
    expectSameAsJsonParse(`${large},1]}`);
    expectRejectedLikeJsonParse(`${large},]}`);
    expectRejectedLikeJsonParse(`${large},${' '.repeat(60_000)},1]}`);
    expectRejectedLikeJsonParse(`${large},\uFEFF1]}`);
    expectSameAsJsonParse(`${large},"\uFEFF"]}`);
  });

  it('equals JSON.parse on generated pages with awkward strings', () => {
    const awkward = fc.string({ unit: fc.constantFrom('a', '"', '\\', '}', '{', ',', '[', ']', ':', 'é', '😀', '\u2028', ' ', '\n', '},{'), maxLength: 12 });
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, awkward, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('any'), { maxLength: 3 }),
      object: fc.dictionary(awkward, tie('any'), { maxKeys: 3 }),
    }));
    fc.assert(
      fc.property(fc.array(value.object, { minLength: 1, maxLength: 40 }), fc.integer({ min: 500, max: 2500 }), (records, repeat) => {
        // Repeated and padded so the array is cut into several slices (200–1000 KB).
        const all = Array.from({ length: repeat }, (_, i) => ({ ...records[i % records.length], pad: 'p'.repeat(400) }));
        expectSameAsJsonParse(JSON.stringify({ records: all, total: all.length }));
      }),
      { numRuns: 40 },
    );
  });
});
