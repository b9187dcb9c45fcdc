/**
 * How a result worker writes a presented page for the event loop: the structured JSON, then the text
 * content's (the same JSON text as a JSON string literal), both in ASCII, in one buffer that is
 * transferred, written to the socket as it is, and given back for a later page.
 *
 * Traced on the demo's 1 MB page (bench/HISTORY.md, items 18 and 19): `JSON.stringify` of the JSON
 * text, a fresh megabyte string, and encoding both as UTF-8 took a worker 9.8 ms; encoding the JSON
 * once and escaping the bytes written, 6.0 ms, of which 3.3 were V8 flattening the JSON text (a
 * rope, as `JSON.stringify` returns it) into fresh memory. Writing the JSON a member or ≈ 32 KB of
 * records at a time makes no megabyte string at all: 2–4 ms less a page in the pool
 * (bench/worker-pool.ts), and 1.3–1.7 ms more with the changes of bench/HISTORY.md, "Cheaper answer
 * bytes".
 */

import type { SpareBuffers } from '../spare-buffers.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const HEX_DIGITS = Buffer.from('0123456789abcdef');

/** Writes `\u` and the four hex digits of the UTF-16 unit `unit` at `at` (lower case, as JSON.stringify writes its escapes). */
function writeUnitEscape(bytes: Uint8Array, at: number, unit: number): number {
  bytes[at] = BACKSLASH;
  bytes[at + 1] = LETTER_U;
  bytes[at + 2] = HEX_DIGITS[unit >> 12]!;
  bytes[at + 3] = HEX_DIGITS[(unit >> 8) & 15]!;
  bytes[at + 4] = HEX_DIGITS[(unit >> 4) & 15]!;
  bytes[at + 5] = HEX_DIGITS[unit & 15]!;
  return at + 6;
}

/** Where the next byte of the JSON in ASCII and of its literal go. */
interface Cursor {
  json: number;
  literal: number;
}

/**
 * One pass over `bytes[from, to)`, UTF-8 of a JSON text made by `JSON.stringify`, that writes the
 * same JSON in ASCII at `at.json` and it as the body of a JSON string literal, in ASCII too, at
 * `at.literal`; moves the cursor on, or returns false when the literal would not fit in `bytes`.
 * Every character outside ASCII becomes `\uXXXX` (two of them outside the BMP), in both; in the
 * literal `"` and `\` also get a backslash. Nothing else needs an escape: such a text holds no
 * control character and no lone surrogate, and neither `"` nor `\` occurs inside a multi-byte
 * sequence. `from` and `to` are at character boundaries.
 *
 * The JSON is written over what was read: `at.json` must trail `from` by at least what the
 * characters from `from` on grow by (four bytes for each beyond one a UTF-16 unit is enough), so a
 * write never reaches a byte not yet read. The literal is written ahead, at or after `to`.
 */
function escapeRun(bytes: Uint8Array, from: number, to: number, at: Cursor): boolean {
  let json = at.json;
  let literal = at.literal;
  // Room beyond a byte written for each byte read; checked only when an escape is written, so the loop over plain bytes stays a copy.
  let room = bytes.length - literal - (to - from);
  if (room < 0) return false;
  let i = from;
  const fourFrom = to - 3;
  while (i < to) {
    // Four ASCII bytes a turn (bench/HISTORY.md, "Cheaper answer bytes": 1.4 ms a megabyte against 1.8 a byte at a time).
    if (i < fourFrom) {
      const b0 = bytes[i]!;
      const b1 = bytes[i + 1]!;
      const b2 = bytes[i + 2]!;
      const b3 = bytes[i + 3]!;
      if (((b0 | b1 | b2 | b3) & 0x80) === 0) {
        // Where nothing before grew, the JSON is already where it goes (an ASCII page: all of it).
        if (json !== i) {
          bytes[json] = b0;
          bytes[json + 1] = b1;
          bytes[json + 2] = b2;
          bytes[json + 3] = b3;
        }
        json += 4;
        if (b0 === QUOTE || b0 === BACKSLASH) {
          if (--room < 0) return false;
          bytes[literal++] = BACKSLASH;
        }
        bytes[literal++] = b0;
        if (b1 === QUOTE || b1 === BACKSLASH) {
          if (--room < 0) return false;
          bytes[literal++] = BACKSLASH;
        }
        bytes[literal++] = b1;
        if (b2 === QUOTE || b2 === BACKSLASH) {
          if (--room < 0) return false;
          bytes[literal++] = BACKSLASH;
        }
        bytes[literal++] = b2;
        if (b3 === QUOTE || b3 === BACKSLASH) {
          if (--room < 0) return false;
          bytes[literal++] = BACKSLASH;
        }
        bytes[literal++] = b3;
        i += 4;
        continue;
      }
    }
    const b = bytes[i]!;
    if (b < 0x80) {
      bytes[json++] = b;
      if (b === QUOTE || b === BACKSLASH) {
        if (--room < 0) return false;
        bytes[literal++] = BACKSLASH;
      }
      bytes[literal++] = b;
      i += 1;
      continue;
    }
    let unit: number;
    if (b < 0xe0) {
      if ((room -= 4) < 0) return false;
      unit = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      i += 2;
    } else if (b < 0xf0) {
      if ((room -= 3) < 0) return false;
      unit = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += 3;
    } else {
      if ((room -= 8) < 0) return false;
      const point = (((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f)) - 0x10000;
      i += 4;
      const high = 0xd800 | (point >> 10);
      json = writeUnitEscape(bytes, json, high);
      literal = writeUnitEscape(bytes, literal, high);
      unit = 0xdc00 | (point & 0x3ff);
    }
    json = writeUnitEscape(bytes, json, unit);
    literal = writeUnitEscape(bytes, literal, unit);
  }
  at.json = json;
  at.literal = literal;
  return true;
}

/** The bytes escapeRun adds to the literal of `bytes[from, to)`: one a `"` or `\`, and what each character outside ASCII grows by. */
function literalGrowth(bytes: Uint8Array, from: number, to: number): number {
  let growth = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === QUOTE || b === BACKSLASH) growth += 1;
    else if (b >= 0xf0) growth += 8;
    else if (b >= 0xe0) growth += 3;
    else if (b >= 0xc0) growth += 4;
  }
  return growth;
}

export interface AnswerBytes {
  /** The structured JSON in `[0, structuredBytes)`, the text content's JSON string literal in `[structuredBytes, length)`, both ASCII. */
  buffer: ArrayBuffer;
  structuredBytes: number;
  length: number;
}

/**
 * While an answer is written, its JSON's UTF-8 (`utf8` bytes, `extra` of them beyond one a UTF-16
 * unit) sits after room for what its characters outside ASCII grow by as escapes, at most four bytes
 * for each of those extra bytes (a two-byte character becomes six), and the literal comes after it.
 */
const growthRoom = (extra: number) => 4 * extra;
/** The least an answer takes while it is written (the room, the UTF-8, the literal): every character outside ASCII of two bytes, and no `"` or `\`. */
const leastSize = (utf8: number, extra: number) => 2 * (utf8 + growthRoom(extra)) + 2;
/** A fresh buffer: room for an escape every fourth byte as well (search pages have ≈ 12 %). */
const freshSize = (utf8: number, extra: number) => leastSize(utf8, extra) + (utf8 >> 2);
/**
 * A spare larger than this many times what a page needs is left for a larger page: a small page
 * would hold it, and lose it when its answer is not given back (the SDK's path).
 */
const MAX_SPARE_OVERSIZE = 4;

/**
 * `JSON.stringify(value)` in pieces whose concatenation is exactly that text: one per member, and one
 * per PIECE_UNITS or so of the elements of a member that is an array (a page's records), with the
 * commas between them. Each piece is small and flat; the whole text as one string would be a rope V8
 * flattens into fresh memory to encode it. For plain data (parsed JSON, the PII filter's output): a
 * `toJSON` would be called with another key.
 * `opened`, when given, gets for each array member the index of the piece its elements start at.
 */
export function jsonPieces(value: Record<string, unknown>, opened?: Map<string, number>): string[] {
  const pieces = ['{'];
  let separator = '';
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (Array.isArray(member)) {
      pieces.push(`${separator}${JSON.stringify(key)}:[`);
      opened?.set(key, pieces.length);
      pushElements(pieces, member);
      pieces.push(']');
    } else {
      const text = JSON.stringify(member);
      if (text === undefined) continue; // a member JSON.stringify leaves out
      pieces.push(`${separator}${JSON.stringify(key)}:${text}`);
    }
    separator = ',';
  }
  pieces.push('}');
  return pieces;
}

/**
 * About how long a piece of array elements is made: one JSON.stringify call for many records costs
 * less than one each (a 1 MB page 2.4 ms against 3.1 here, with ≈ 64 records of ≈ 600 bytes a
 * piece), and a piece this long stays well inside V8's young generation. How many elements make a
 * piece is learned from the pieces before it, starting from one and at most doubling, so a page of
 * large records does not make megabyte strings (records that suddenly grow make one large piece).
 */
const PIECE_UNITS = 32 * 1024;

/** The elements of an array as JSON pieces, with the commas between them. */
function pushElements(pieces: string[], elements: readonly unknown[]): void {
  let count = 1;
  for (let i = 0; i < elements.length; ) {
    if (i > 0) pieces.push(',');
    const made = Math.min(count, elements.length - i);
    // An array's text writes null for an element it cannot represent (undefined, a function), as a whole array's would.
    const text = JSON.stringify(elements.slice(i, i + made));
    pieces.push(text.slice(1, -1));
    i += made;
    count = Math.max(1, Math.min(2 * made, Math.floor((PIECE_UNITS * made) / text.length)));
  }
}

/** `value`'s JSON text and its text content in one buffer, a spare one when one fits. */
export function answerBytes(value: Record<string, unknown>, spares: SpareBuffers): AnswerBytes {
  return bytesOfPieces(jsonPieces(value), spares);
}

/**
 * As answerBytes, and where the elements of `value[key]` (an array) start: in the structured JSON,
 * and in the whole buffer (inside the text content). Where a page presented in two parts takes the
 * other part's records.
 */
export function answerBytesOpenAt(value: Record<string, unknown>, spares: SpareBuffers, key: string): AnswerBytes & { opened: [structured: number, text: number] } {
  const opened = new Map<string, number>();
  const pieces = jsonPieces(value, opened);
  const at = opened.get(key);
  if (at === undefined) throw new TypeError(`no array member ${JSON.stringify(key)} to open at`);
  const { marked, ...answer } = bytesOfPieces(pieces, spares, at);
  return { ...answer, opened: marked! };
}

/**
 * The text held by `body`, the inside of a JSON string literal answerBytes wrote (without its
 * quotes), or a run of it cut between two pieces (never inside an escape). For the few who need the
 * text itself rather than its bytes: tokens rewritten to the vault's, and the SDK's path.
 */
export function literalText(body: Buffer): string {
  return JSON.parse(`"${body.toString('utf8')}"`) as string;
}

/**
 * The elements of an array, with commas between them and no brackets, as answerBytes writes the
 * structured JSON; then the same as a JSON string literal (its quotes included, so the text without
 * them is at `[structuredBytes + 1, length - 1)`).
 */
export function elementBytes(elements: readonly unknown[], spares: SpareBuffers): AnswerBytes {
  const pieces: string[] = [];
  pushElements(pieces, elements);
  return bytesOfPieces(pieces, spares);
}

/**
 * The pieces' JSON text, then the same as a JSON string literal, both in ASCII (below), in one
 * buffer; `marked` is where the piece at index `mark` starts in each.
 *
 * ASCII because a client reads it faster: V8 decodes UTF-8 that holds any character outside ASCII
 * at a fraction of the speed of ASCII, and the tokens' guillemets put some in every few dozen bytes
 * of a redacted page. A 1 MB page's answer cost autocannon 6.0 ms to read as UTF-8 and 1.8 as ASCII,
 * and TextDecoder with JSON.parse 8.9 ms against 6.9 (bench/read-cost.ts; bench/HISTORY.md, "Answers
 * in ASCII"). The price is four more bytes a guillemet: 14 % more bytes for that page.
 *
 * The pieces are written as UTF-8 (native), moved up by the room their escapes need, and escaped
 * from there in one pass, the JSON back over them and the literal after them. The buffer is sized
 * from the UTF-16 units and the bytes a unit of the longest piece takes (a page's records are
 * alike), and grown when the rest differs: counting every piece's bytes first cost 0.45 ms a 1 MB
 * page. A size too small would take a spare only to outgrow it, and allocate a fresh buffer for
 * every such page.
 */
function bytesOfPieces(pieces: readonly string[], spares: SpareBuffers, mark = -1): AnswerBytes & { marked?: [structured: number, text: number] } {
  let units = 0;
  let longest = '';
  for (const piece of pieces) {
    units += piece.length;
    if (piece.length > longest.length) longest = piece;
  }
  const expected = longest.length === 0 ? 0 : Math.ceil((units * Buffer.byteLength(longest)) / longest.length);
  const least = leastSize(expected, expected - units);
  let buffer = spares.take(least, MAX_SPARE_OVERSIZE * least) ?? new ArrayBuffer(freshSize(expected, expected - units));
  let view = Buffer.from(buffer);
  let utf8 = 0;
  let markedUtf8 = -1;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i === mark) markedUtf8 = utf8;
    // A piece takes at most 3 bytes a unit; only near the end, or for text far from ASCII, are its bytes counted.
    if (view.length - utf8 < 3 * piece.length && view.length - utf8 < Buffer.byteLength(piece)) {
      let rest = 0;
      for (let k = i; k < pieces.length; k++) rest += Buffer.byteLength(pieces[k]!);
      const larger = new ArrayBuffer(freshSize(utf8 + rest, utf8 + rest - units));
      new Uint8Array(larger).set(new Uint8Array(buffer, 0, utf8));
      spares.give(buffer);
      buffer = larger;
      view = Buffer.from(buffer);
    }
    utf8 += view.write(piece, utf8);
  }
  const growth = growthRoom(utf8 - units);
  const literalStart = growth + utf8;
  let bytes = new Uint8Array(buffer);
  if (!escapeAll(bytes, utf8, growth, markedUtf8)) {
    // More escapes than the buffer has room for: the UTF-8 written again (the pass wrote over it), and counted, into one that has.
    for (let i = 0, written = 0; i < pieces.length; i++) written += view.write(pieces[i]!, written);
    const need = literalStart + utf8 + 2 + literalGrowth(bytes, 0, utf8);
    const larger = new ArrayBuffer(Math.max(need, freshSize(utf8, utf8 - units)));
    new Uint8Array(larger).set(bytes.subarray(0, utf8));
    spares.give(buffer);
    buffer = larger;
    bytes = new Uint8Array(buffer);
    escapeAll(bytes, utf8, growth, markedUtf8);
  }
  const structuredBytes = ended.json;
  let length = ended.literal + 1;
  let splitAt = splitTo.literal;
  // Characters of three bytes grow by less than the room left for them: the literal moves down to the JSON.
  if (structuredBytes < literalStart) {
    bytes.copyWithin(structuredBytes, literalStart, length);
    length -= literalStart - structuredBytes;
    splitAt -= literalStart - structuredBytes;
  }
  return { buffer, structuredBytes, length, ...(markedUtf8 < 0 ? {} : { marked: [splitTo.json, splitAt] }) };
}

/** Cursors of escapeAll: where it ended, and where the bytes from its `split` went. Module-wide: no object a page. */
const ended: Cursor = { json: 0, literal: 0 };
const splitTo: Cursor = { json: 0, literal: 0 };

/**
 * The UTF-8 `bytes[0, utf8)` moved up by `growth` and escaped from there in two runs split at `splitAt`
 * (-1: none), the JSON from 0 and the literal, with its quotes, right after the UTF-8; the cursors
 * `ended` and `splitTo` tell where they went. False when the literal does not fit: the UTF-8 is then
 * partly written over.
 */
function escapeAll(bytes: Uint8Array, utf8: number, growth: number, splitAt: number): boolean {
  const literalStart = growth + utf8;
  if (literalStart + utf8 + 2 > bytes.length) return false;
  if (growth > 0) bytes.copyWithin(growth, 0, utf8);
  bytes[literalStart] = QUOTE;
  ended.json = 0;
  ended.literal = literalStart + 1;
  const cut = growth + (splitAt < 0 ? utf8 : splitAt);
  if (!escapeRun(bytes, growth, cut, ended)) return false;
  splitTo.json = ended.json;
  splitTo.literal = ended.literal;
  if (!escapeRun(bytes, cut, literalStart, ended) || ended.literal >= bytes.length) return false;
  bytes[ended.literal] = QUOTE;
  return true;
}
