/**
 * How a result worker writes a presented page for the event loop: the structured JSON's UTF-8, then
 * the text content's (the same JSON text as a JSON string literal), in one buffer that is
 * transferred, written to the socket as it is, and given back for a later page.
 *
 * Traced on the demo's 1 MB page (bench/README.md, items 18 and 19): `JSON.stringify` of the JSON
 * text, a fresh megabyte string, and encoding both as UTF-8 took a worker 9.8 ms; encoding the JSON
 * once and escaping the bytes written, 6.0 ms, of which 3.3 were V8 flattening the JSON text (a
 * rope, as `JSON.stringify` returns it) into fresh memory. Writing the JSON a member or ≈ 32 KB of
 * records at a time makes no megabyte string at all: 2–4 ms less a page in the pool
 * (bench/worker-pool.ts), and 1.3–1.7 ms more with the changes of bench/README.md, "Cheaper answer
 * bytes".
 */

import type { SpareBuffers } from '../spare-buffers.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes that escaping adds to `bytes[0, length)`: one for each `"` and `\`. */
function escapesIn(bytes: Uint8Array, length: number): number {
  let count = 0;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE || byte === BACKSLASH) count++;
  }
  return count;
}

/**
 * Writes `bytes[0, length)`, the UTF-8 of a JSON text made by `JSON.stringify`, as a JSON string
 * literal from `at` (at least `length`: the copy runs ahead of what it reads), and returns where it
 * ends, or -1 when it would not fit in `bytes`. What `JSON.stringify` of that text would give: its
 * output holds no control character and no lone surrogate, so only `"` and `\` are escaped, and
 * neither byte occurs inside a multi-byte UTF-8 sequence.
 */
function writeJsonStringOf(bytes: Uint8Array, length: number, at: number): number {
  // Room for escapes; checked only when one is written, so the loop over plain bytes stays a copy.
  let room = bytes.length - at - length - 2;
  if (room < 0) return -1;
  bytes[at++] = QUOTE;
  // Four bytes a turn: 1.4 ms a megabyte here against 1.8 a byte at a time (bench/README.md, "Cheaper answer bytes").
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    const b2 = bytes[i + 2]!;
    const b3 = bytes[i + 3]!;
    if (b0 === QUOTE || b0 === BACKSLASH) {
      if (--room < 0) return -1;
      bytes[at++] = BACKSLASH;
    }
    bytes[at++] = b0;
    if (b1 === QUOTE || b1 === BACKSLASH) {
      if (--room < 0) return -1;
      bytes[at++] = BACKSLASH;
    }
    bytes[at++] = b1;
    if (b2 === QUOTE || b2 === BACKSLASH) {
      if (--room < 0) return -1;
      bytes[at++] = BACKSLASH;
    }
    bytes[at++] = b2;
    if (b3 === QUOTE || b3 === BACKSLASH) {
      if (--room < 0) return -1;
      bytes[at++] = BACKSLASH;
    }
    bytes[at++] = b3;
  }
  for (; i < length; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE || byte === BACKSLASH) {
      if (--room < 0) return -1;
      bytes[at++] = BACKSLASH;
    }
    bytes[at++] = byte;
  }
  bytes[at++] = QUOTE;
  return at;
}

export interface AnswerBytes {
  /** The structured JSON's UTF-8 in `[0, structuredBytes)`, the text content's in `[structuredBytes, length)`. */
  buffer: ArrayBuffer;
  structuredBytes: number;
  length: number;
}

/** A fresh buffer for a JSON text of `structuredBytes`: room for an escape every fourth byte (search pages have ≈ 12 %). */
const freshSize = (structuredBytes: number) => 2 * structuredBytes + (structuredBytes >> 2) + 2;
/** The least an answer takes: the JSON, and its text content without an escape. */
const leastSize = (structuredBytes: number) => 2 * structuredBytes + 2;
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
  const { marked: structured, ...answer } = bytesOfPieces(pieces, spares, at);
  const text = answer.structuredBytes + 1 + structured + escapesIn(new Uint8Array(answer.buffer), structured);
  return { ...answer, opened: [structured, text] };
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
 * The pieces' UTF-8, then the same as a JSON string literal, in one buffer; `marked` is where the
 * piece at index `mark` starts (-1 without one). Sized from the UTF-16 units and the bytes a unit of
 * the longest piece takes (a page's records are alike), and grown when the rest differs: counting
 * every piece's bytes first cost 0.45 ms a 1 MB page. A size too small would take a spare only to
 * outgrow it, and allocate a fresh buffer for every such page.
 */
function bytesOfPieces(pieces: readonly string[], spares: SpareBuffers, mark = -1): AnswerBytes & { marked: number } {
  let units = 0;
  let longest = '';
  for (const piece of pieces) {
    units += piece.length;
    if (piece.length > longest.length) longest = piece;
  }
  const expected = longest.length === 0 ? 0 : Math.ceil((units * Buffer.byteLength(longest)) / longest.length);
  const least = leastSize(expected);
  let buffer = spares.take(least, MAX_SPARE_OVERSIZE * least) ?? new ArrayBuffer(freshSize(expected));
  let view = Buffer.from(buffer);
  let at = 0;
  let marked = -1;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i === mark) marked = at;
    // A piece takes at most 3 bytes a unit; only near the end, or for text far from ASCII, are its bytes counted.
    if (view.length - at < 3 * piece.length && view.length - at < Buffer.byteLength(piece)) {
      let rest = 0;
      for (let k = i; k < pieces.length; k++) rest += Buffer.byteLength(pieces[k]!);
      const larger = new ArrayBuffer(freshSize(at + rest));
      new Uint8Array(larger).set(new Uint8Array(buffer, 0, at));
      spares.give(buffer);
      buffer = larger;
      view = Buffer.from(buffer);
    }
    at += view.write(piece, at);
  }
  const structuredBytes = at;
  let length = writeJsonStringOf(new Uint8Array(buffer), structuredBytes, structuredBytes);
  if (length < 0) {
    // More escapes than the buffer has room for: counted, into one that has.
    const larger = new ArrayBuffer(Math.max(leastSize(structuredBytes) + escapesIn(new Uint8Array(buffer), structuredBytes), freshSize(structuredBytes)));
    new Uint8Array(larger).set(new Uint8Array(buffer, 0, structuredBytes));
    spares.give(buffer);
    buffer = larger;
    length = writeJsonStringOf(new Uint8Array(buffer), structuredBytes, structuredBytes);
  }
  return { buffer, structuredBytes, length, marked };
}
