/**
 * JSON text from bytes, parsed without making one string of a large text.
 *
 * On this VM a fresh megabyte costs ≈ 3.5 ms of page faults (≈ 250 of them at ≈ 14 µs). V8 puts a
 * string over 128 KB in its large-object space, on pages of its own that go back to the system once
 * collected, so decoding a 1 MB search page into one string cost a result worker as much as parsing
 * it (bench/HISTORY.md, item 21). A large array that is a member of the top-level object (a page's
 * `records`) is parsed in slices of its elements instead, each a string the young generation holds
 * on pages it reuses, and the rest of the text around it as one small text.
 *
 * The result is JSON.parse's of the whole text. JSON.parse judges every byte: the scan below only
 * finds where to cut, lexing strings and brackets as JSON does, and whatever it does not expect
 * (another top-level shape, a duplicate key, a cut that leaves an empty element) sends the whole
 * text to JSON.parse, which returns the value or throws its error.
 */
import { isAscii } from 'node:buffer';

/** Below this, one string: nothing to save. */
const PIECES_FROM = 128 * 1024;
/** Bytes of elements a slice gathers: well under the 128 KB of V8's large-object space. */
const SLICE_BYTES = 48 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// A decoder that keeps a byte order mark: only the text's first one is dropped (by the caller), as
// a TextDecoder of the whole text would; one after a cut is data, which JSON.parse rejects.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const hasBom = (bytes: Uint8Array) => bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** Text of `bytes[start, end)`. ASCII (most JSON) is copied as it is, ≈ 10 times faster than decoding UTF-8. */
function textOf(bytes: Buffer, ascii: boolean, start: number, end: number): string {
  return ascii ? bytes.toString('latin1', start, end) : utf8.decode(bytes.subarray(start, end));
}

/** Between two objects of an array, as JSON.stringify writes it: where a slice may end. */
const BETWEEN_OBJECTS = Buffer.from('},{');

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Where the string that opens at `bytes[at]` ends (its closing quote), or -1 when it does not. */
function stringEnd(bytes: Uint8Array, at: number): number {
  for (let i = at + 1; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** `bytes[from, end)` as the elements of an array, or undefined when JSON.parse does not take it (or it holds none). */
function parsedSlice(bytes: Buffer, ascii: boolean, from: number, end: number): unknown[] | undefined {
  try {
    const slice = JSON.parse(`[${textOf(bytes, ascii, from, end)}]`) as unknown[];
    return slice.length > 0 ? slice : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lexes array elements from `from`, where one starts, to the array's closing bracket, collecting
 * the commas between elements; stops at `stop` (close is then -1). Undefined when it is not JSON.
 */
function lexElements(bytes: Uint8Array, from: number, stop = bytes.length): { close: number; commas: number[] } | undefined {
  const commas: number[] = [];
  for (let i = from, depth = 0; i < bytes.length; i++) {
    if (i >= stop) return { close: -1, commas };
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i);
      if (i < 0) return undefined;
    } else if (c === COMMA) {
      if (depth === 0) commas.push(i);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth > 0) depth--;
      else if (c === CLOSE_BRACKET) return { close: i, commas };
      else return undefined;
    }
  }
  return undefined;
}

/**
 * The elements of the array that opens at `bytes[open]`, longer than a slice (its caller lexed
 * that far), and where it closes; undefined when it is not a JSON array.
 *
 * It is cut blind: a slice of about SLICE_BYTES that ends before a
 * `},{` found within the next SLICE_BYTES, kept when JSON.parse takes it as a list of elements. It
 * starts where an element starts, so JSON.parse lexes it as it lexes the whole text; taking it
 * means it ends after a whole element, so the comma after it separates elements, and the next slice
 * starts where one starts again. A `},{` inside a string or an object gives a slice JSON.parse
 * refuses. The rest (the last slice, or all of it once a cut is refused) is lexed here to its
 * closing bracket, and cut at its commas. Each search looks one slice ahead at most, so many small
 * arrays cost what lexing them costs (a search to the end of the text for each was quadratic).
 */
function arrayAt(bytes: Buffer, ascii: boolean, open: number): { elements: unknown[]; close: number } | undefined {
  const elements: unknown[] = [];
  let from = open + 1;
  for (;;) {
    const start = from + SLICE_BYTES;
    const found = bytes.subarray(start, start + SLICE_BYTES).indexOf(BETWEEN_OBJECTS);
    const slice = found < 0 ? undefined : parsedSlice(bytes, ascii, from, start + found + 1);
    if (slice === undefined) break;
    for (const element of slice) elements.push(element);
    from = start + found + 2;
  }
  const lexed = lexElements(bytes, from);
  if (lexed === undefined) return undefined;
  const { close, commas } = lexed;
  // After a cut the rest holds at least one element; then, or with commas, `[ ]` is an empty element.
  const mustHold = elements.length > 0 || commas.length > 0;
  for (let k = 0; k <= commas.length; k++) {
    const end = k < commas.length ? commas[k]! : close;
    if (end !== close && end - from < SLICE_BYTES) continue;
    const slice = mustHold ? parsedSlice(bytes, ascii, from, end) : (JSON.parse(`[${textOf(bytes, ascii, from, end)}]`) as unknown[]);
    if (slice === undefined) return undefined;
    for (const element of slice) elements.push(element);
    from = end + 1;
  }
  return { elements, close };
}

/**
 * The top-level object with its array members parsed by arrayAt and the rest in one text; undefined
 * when the text is not an object, does not lex as JSON, or has a key twice.
 */
function objectInPieces(bytes: Buffer, ascii: boolean, from: number): unknown {
  let i = from;
  while (isSpace(bytes[i])) i++;
  if (bytes[i] !== OPEN_BRACE) return undefined;
  const arrays: Array<{ key: [number, number]; open: number; close: number; elements: unknown[] }> = [];
  let members = 0;
  let lastString: [number, number] = [-1, -1];
  let key = lastString;
  for (let depth = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      const end = stringEnd(bytes, i);
      if (end < 0) return undefined;
      if (depth === 1) lastString = [i, end + 1];
      i = end;
    } else if (c === COLON) {
      if (depth === 1) [key, members] = [lastString, members + 1];
    } else if (c === OPEN_BRACKET && depth === 1) {
      // A short array stays in the rest of the text: parsed apart it would only cost more. A long one is cut.
      const short = lexElements(bytes, i + 1, i + 1 + SLICE_BYTES);
      if (short === undefined) return undefined;
      if (short.close >= 0) {
        i = short.close;
        continue;
      }
      const array = arrayAt(bytes, ascii, i);
      if (array === undefined) return undefined;
      arrays.push({ key, open: i, ...array });
      i = array.close;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) break;
    }
  }
  let rest = '';
  let at = from;
  for (const array of arrays) {
    rest += textOf(bytes, ascii, at, array.open + 1);
    at = array.close;
  }
  rest += textOf(bytes, ascii, at, bytes.length);
  const value = JSON.parse(rest) as Record<string, unknown>;
  // One key twice: JSON.parse keeps the last value, which may not be the array cut out.
  if (Object.keys(value).length !== members) return undefined;
  for (const array of arrays) {
    const name = JSON.parse(textOf(bytes, ascii, array.key[0], array.key[1])) as string;
    // An own property already (JSON.parse made it, `__proto__` too), so this sets its value in its place.
    value[name] = array.elements;
  }
  return value;
}

/**
 * The top-level object in `bytes` (UTF-8, no byte order mark) as JSON.parse would give it, or
 * undefined when the text is not an object, is not JSON, or has a key twice. For a page presented in
 * two parts (result-workers.ts), where a key twice would mean another array than the one cut.
 */
export function parseObjectBytesOnce(bytes: Uint8Array): Record<string, unknown> | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return objectInPieces(buffer, isAscii(buffer), 0) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}

/**
 * JSON.parse of the UTF-8 (or ASCII) text in `bytes`, or undefined when the text is empty; a leading
 * byte order mark is dropped. Throws JSON.parse's SyntaxError.
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = isAscii(buffer);
  const from = !ascii && hasBom(buffer) ? 3 : 0;
  if (from === buffer.length) return undefined;
  if (buffer.length >= PIECES_FROM) {
    try {
      const value = objectInPieces(buffer, ascii, from);
      if (value !== undefined) return value;
    } catch {
      // Not JSON after all, or not as the cuts assumed: JSON.parse of the whole text says which.
    }
  }
  return JSON.parse(textOf(buffer, ascii, from, buffer.length)) as unknown;
}
