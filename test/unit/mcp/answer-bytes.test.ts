/**
 * A result worker's answer bytes: the JSON written in pieces must be exactly JSON.stringify's, and
 * the text content escaped from its UTF-8 exactly what JSON.stringify of the JSON text gives, in a
 * fresh buffer, a reused one holding an earlier page, or one too small for the escapes; and spare
 * buffers stay within their budget.
 */
import { describe, expect, it } from 'vitest';
import { answerBytes, jsonPieces } from '../../../src/mcp/answer-bytes.js';
import { SpareBuffers } from '../../../src/spare-buffers.js';

const decode = (answer: ReturnType<typeof answerBytes>) => ({
  structured: Buffer.from(answer.buffer, 0, answer.structuredBytes).toString('utf8'),
  text: Buffer.from(answer.buffer, answer.structuredBytes, answer.length - answer.structuredBytes).toString('utf8'),
});

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
  it('write the JSON as UTF-8 and its text content exactly as JSON.stringify escapes it', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const value = randomValue(seed);
      const json = JSON.stringify(value);
      expect(jsonPieces(value).join(''), `seed ${seed}`).toBe(json);
      const answer = answerBytes(value, new SpareBuffers(1 << 20));
      expect(decode(answer), `seed ${seed}`).toEqual({ structured: json, text: JSON.stringify(json) });
      expect(answer.length).toBe(Buffer.byteLength(json) + Buffer.byteLength(JSON.stringify(json)));
    }
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
    const spares = new SpareBuffers(1 << 24);
    const [tooSmall, fits] = [new ArrayBuffer(3 * json.length), new ArrayBuffer(3 * Buffer.byteLength(json))];
    spares.give(tooSmall);
    spares.give(fits);
    const answer = answerBytes(value, spares);
    expect(decode(answer)).toEqual({ structured: json, text: JSON.stringify(json) });
    // Compared by identity as booleans: a failing toBe would print both megabyte buffers.
    expect(answer.buffer === fits, 'the spare that fits was taken').toBe(true);
    // The longest piece is ASCII and the rest is not: the buffer, sized as if all were ASCII, is outgrown while the JSON is written.
    const mixed = { records: [{ id: 'ascii', note: 'a'.repeat(40_000) }, ...cjk], piiRedaction: 'on' };
    const mixedJson = JSON.stringify(mixed);
    expect(decode(answerBytes(mixed, new SpareBuffers(0)))).toEqual({ structured: mixedJson, text: JSON.stringify(mixedJson) });
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
    expect(decode(second)).toEqual({ structured: json, text: JSON.stringify(json) });
  });

  it('write into a spare with exactly the room for the escapes, and move to a larger buffer when it is a byte short', () => {
    const value = { quotes: Array.from({ length: 500 }, () => '"\\') };
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json);
    const escapes = JSON.stringify(json).length - 2 - json.length;
    const exact = 2 * bytes + 2 + escapes;
    for (const [size, fits] of [[exact, true], [exact - 1, false], [2 * bytes + 2 + 5, false]] as const) {
      const spares = new SpareBuffers(1 << 20);
      const spare = new ArrayBuffer(size);
      spares.give(spare);
      const answer = answerBytes(value, spares);
      expect(decode(answer), `a spare of ${size} bytes`).toEqual({ structured: json, text: JSON.stringify(json) });
      if (fits) {
        expect(answer.buffer, `a spare of exactly ${size} bytes`).toBe(spare);
        expect(spares.size).toBe(0);
      } else {
        expect(answer.buffer, `a spare of ${size} bytes`).not.toBe(spare);
        expect(spares.take(1), 'the spare kept').toBe(spare);
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
