/**
 * A result worker's answer bytes: the JSON written in pieces must be exactly JSON.stringify's, and
 * the bytes, in ASCII, exactly that JSON and JSON.stringify of it with every character outside ASCII
 * written as a \u escape, in a fresh buffer, a reused one holding an earlier page, or one too small
 * for the escapes; and spare buffers stay within their budget.
 */
import { describe, expect, it } from 'vitest';
import { answerBytes, answerBytesOpenAt, elementBytes, jsonPieces } from '../../../src/mcp/answer-bytes.js';
import { SpareBuffers } from '../../../src/spare-buffers.js';

const decode = (answer: ReturnType<typeof answerBytes>) => ({
  structured: Buffer.from(answer.buffer, 0, answer.structuredBytes).toString('latin1'),
  text: Buffer.from(answer.buffer, answer.structuredBytes, answer.length - answer.structuredBytes).toString('latin1'),
});

/** `json` with each UTF-16 unit outside ASCII as `\uXXXX`, as Python's json.dumps writes it: the same JSON value, in ASCII. */
const ascii = (json: string) => json.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** What an answer for `json` must hold. */
const expected = (json: string) => ({ structured: ascii(json), text: ascii(JSON.stringify(json)) });
const isAscii = (answer: ReturnType<typeof answerBytes>) => new Uint8Array(answer.buffer, 0, answer.length).every((byte) => byte < 0x80);

/** Strings that stress escaping: quotes, backslashes, control characters, non-ASCII, astral and lone surrogates. */
const AWKWARD = ['"', '\\', '\\"', '\n\r\t\b\f', '\u0000\u001f', '«PII:NAME:0a1b2c3d»', 'é中', '😀', '\ud800', '\udc00x', '\u2028\u2029', '</script>', ''];

function randomValue(seed: number): Record<string, unknown> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const text = () => Array.from({ length: Math.floor(next() * 6) }, () => AWKWARD[Math.floor(next() * AWKWARD.length)]).join(next() < 0.5 ? '' : 'a b');
  return {
    ...(next() < 0.5 ? { type: text() } : {}),
    records: Array.from({ length: Math.floor(next() * 20) }, (_, i) => ({ id: `rec_${i}`, [text()]: text(), nested: [text(), { [text()]: next() }], n: null })),
    note: text(),
    ...(next() < 0.5 ? { [text()]: [] } : {}),
    piiRedaction: 'on',
  };
}

describe('answer bytes', () => {
  it('write the JSON and its text content as JSON.stringify does, in ASCII: the same values when parsed', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const value = randomValue(seed);
      const json = JSON.stringify(value);
      expect(jsonPieces(value).join(''), `seed ${seed}`).toBe(json);
      const answer = answerBytes(value, new SpareBuffers(1 << 20));
      const { structured, text } = decode(answer);
      expect({ structured, text }, `seed ${seed}`).toEqual(expected(json));
      expect(isAscii(answer), `seed ${seed}: every byte ASCII`).toBe(true);
      expect(JSON.parse(text), `seed ${seed}: the text content`).toBe(json);
      expect(JSON.parse(structured), `seed ${seed}: the structured content`).toEqual(JSON.parse(json));
    }
  });

  it('escape characters of two, three and four UTF-8 bytes, in the JSON and in its literal', () => {
    const value = { token: '«PII:EMAIL:0a1b2c3d»', name: 'Zoë 中村', smile: '😀', quoted: '"«"\\', piiRedaction: 'on' };
    const answer = answerBytes(value, new SpareBuffers(0));
    const { structured, text } = decode(answer);
    expect(structured).toBe(
      '{"token":"\\u00abPII:EMAIL:0a1b2c3d\\u00bb","name":"Zo\\u00eb \\u4e2d\\u6751","smile":"\\ud83d\\ude00","quoted":"\\"\\u00ab\\"\\\\","piiRedaction":"on"}',
    );
    expect(text).toBe(JSON.stringify(structured).replace(/\\\\u/g, '\\u'));
    expect(JSON.parse(text)).toBe(JSON.stringify(value));
  });

  it('tell where the elements of an array start, in the JSON and in its literal, when the rest grows with escapes', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ id: `rec_${i}`, name: i % 3 === 0 ? '中文«»' : '"plain"' }));
    const value = { type: '«members»', records, piiRedaction: 'on' };
    const answer = answerBytesOpenAt(value, new SpareBuffers(0), 'records');
    const bytes = Buffer.from(answer.buffer, 0, answer.length);
    const [structuredAt, textAt] = answer.opened;
    const elements = ascii(JSON.stringify(records).slice(1, -1));
    expect(bytes.subarray(structuredAt, answer.structuredBytes).toString('latin1')).toBe(`${elements}],"piiRedaction":"on"}`);
    expect(bytes.subarray(textAt, answer.length).toString('latin1')).toBe(ascii(JSON.stringify(`${JSON.stringify(records).slice(1, -1)}],"piiRedaction":"on"}`).slice(1)));
    const alone = elementBytes(records, new SpareBuffers(0));
    expect(decode(alone)).toEqual({ structured: elements, text: ascii(JSON.stringify(JSON.stringify(records).slice(1, -1))) });
  });

  it('write many records a piece, and large records alone, so no piece nears V8\'s large-object size', () => {
    const small = Array.from({ length: 1000 }, (_, i) => ({ id: `rec_${i}`, name: 'n'.repeat(500) }));
    const large = Array.from({ length: 12 }, (_, i) => ({ id: `big_${i}`, notes: 'x'.repeat(60_000) }));
    for (const records of [small, large, [...small.slice(0, 5), ...large]]) {
      const value = { records, piiRedaction: 'on' };
      const pieces = jsonPieces(value);
      expect(pieces.join('')).toBe(JSON.stringify(value));
      const longest = Math.max(...pieces.map((piece) => piece.length));
      expect(longest, 'the longest piece').toBeLessThan(128 * 1024);
      if (records === small) expect(pieces.length, 'pieces for 1000 small records').toBeLessThan(60);
    }
  });

  it('size the buffer by the bytes a character of the longest piece takes, and grow it when the rest takes more', () => {
    const cjk = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: '中文'.repeat(100), note: '"é"' }));
    // Three bytes a character: of two spares, the one sized for the characters is passed over for the one that fits.
    const value = { records: cjk, piiRedaction: 'on' };
    const json = JSON.stringify(value);
    const [units, utf8] = [json.length, Buffer.byteLength(json)];
    // What the answer takes while it is written: the UTF-8 and four bytes more for each beyond one a unit, then the literal.
    const least = 2 * utf8 + 8 * (utf8 - units) + 2;
    const spares = new SpareBuffers(1 << 26);
    const [tooSmall, fits] = [new ArrayBuffer(3 * units), new ArrayBuffer(least + (utf8 >> 2))];
    spares.give(tooSmall);
    spares.give(fits);
    const answer = answerBytes(value, spares);
    expect(decode(answer)).toEqual(expected(json));
    // Compared by identity as booleans: a failing toBe would print both megabyte buffers.
    expect(answer.buffer === fits, 'the spare that fits was taken').toBe(true);
    // The longest piece is ASCII and the rest is not: the buffer, sized as if all were ASCII, is outgrown while the JSON is written.
    const mixed = { records: [{ id: 'ascii', note: 'a'.repeat(40_000) }, ...cjk], piiRedaction: 'on' };
    const mixedJson = JSON.stringify(mixed);
    expect(decode(answerBytes(mixed, new SpareBuffers(0)))).toEqual(expected(mixedJson));
  });

  it('leave out the members JSON.stringify leaves out, and write null for such array elements', () => {
    const value = { a: undefined, list: [1, undefined, () => 0, 'x'], f: () => 0, nested: { u: undefined, d: new Date(0) }, empty: [], z: null };
    expect(jsonPieces(value).join('')).toBe(JSON.stringify(value));
    expect(jsonPieces({}).join('')).toBe('{}');
    expect(jsonPieces({ only: undefined }).join('')).toBe('{}');
  });

  it('reuse a spare that fits, and read none of the earlier page left in it', () => {
    const spares = new SpareBuffers(1 << 20);
    const first = answerBytes({ secret: 'x'.repeat(5000) }, spares);
    spares.give(first.buffer);
    const value = { smaller: 'y'.repeat(2000) };
    const json = JSON.stringify(value);
    const second = answerBytes(value, spares);
    expect(second.buffer, 'the same buffer').toBe(first.buffer);
    expect(spares.size).toBe(0);
    expect(decode(second)).toEqual(expected(json));
  });

  it('write into a spare with exactly the room for the escapes, and move to a larger buffer when it is a byte short', () => {
    const values = {
      quotes: { quotes: Array.from({ length: 500 }, () => '"\\') },
      'two- and four-byte characters': { tokens: Array.from({ length: 300 }, () => '«"»😀\\') },
      'three-byte characters': { names: Array.from({ length: 300 }, () => '中"""""""""') },
    };
    for (const [name, value] of Object.entries(values)) {
      const json = JSON.stringify(value);
      const [units, utf8] = [json.length, Buffer.byteLength(json)];
      // Written after the UTF-8 and the room for its growth, then the JSON in ASCII is read back from it.
      const exact = utf8 + 4 * (utf8 - units) + ascii(JSON.stringify(json)).length;
      const least = 2 * utf8 + 8 * (utf8 - units) + 2;
      expect(exact - 1, `${name}: a spare a byte short is still taken`).toBeGreaterThanOrEqual(least);
      for (const [size, fits] of [[exact, true], [exact - 1, false], [least, false]] as const) {
        const spares = new SpareBuffers(1 << 20);
        const spare = new ArrayBuffer(size);
        spares.give(spare);
        const answer = answerBytes(value, spares);
        expect(decode(answer), `${name}: a spare of ${size} bytes`).toEqual(expected(json));
        if (fits) {
          expect(answer.buffer === spare, `${name}: a spare of exactly ${size} bytes taken`).toBe(true);
          expect(spares.size).toBe(0);
        } else {
          expect(answer.buffer === spare, `${name}: a spare of ${size} bytes taken`).toBe(false);
          expect(spares.take(1) === spare, `${name}: the spare kept`).toBe(true);
        }
      }
    }
  });

  it('leave a spare that cannot hold even the unescaped text, or is far larger than the page needs', () => {
    const value = { small: 'page' };
    const least = 2 * Buffer.byteLength(JSON.stringify(value)) + 2;
    for (const size of [least - 1, 4 * least + 1]) {
      const spares = new SpareBuffers(1 << 20);
      const spare = new ArrayBuffer(size);
      spares.give(spare);
      expect(answerBytes(value, spares).buffer, `a spare of ${size} bytes`).not.toBe(spare);
      expect(spares.size).toBe(1);
    }
    // Beside a spare that fits, the one too small is not tried first.
    const spares = new SpareBuffers(1 << 20);
    const [tooSmall, fits] = [new ArrayBuffer(least - 1), new ArrayBuffer(2 * least)];
    spares.give(tooSmall);
    spares.give(fits);
    expect(answerBytes(value, spares).buffer).toBe(fits);
  });

  it('keep spares within the budget: the smallest go first, and one larger than the budget is not kept', () => {
    const spares = new SpareBuffers(1000);
    const [a, b, c] = [new ArrayBuffer(300), new ArrayBuffer(500), new ArrayBuffer(400)];
    spares.give(a);
    spares.give(b);
    spares.give(c); // 1200 bytes: the 300 goes
    expect(spares.size).toBe(2);
    spares.give(new ArrayBuffer(1001));
    expect(spares.size).toBe(2);
    expect(spares.take(350), 'the smallest that fits').toBe(c);
    expect(spares.take(350)).toBe(b);
    expect(spares.take(1)).toBeUndefined();
  });
});
