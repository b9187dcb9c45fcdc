/**
 * A search page in two parts, for two result workers at once (docs/decisions/006): where the event
 * loop cuts it, and the text each part's worker parses. One module for both threads, so the cut and
 * the parts it makes cannot drift apart; it loads nothing else (a worker imports it).
 *
 * The cut is a guess, which the first part checks, with no scan of the page on the event loop. The
 * first part is the page's text up to the `}` of a `},{`, closed by `]}`: an object of records only.
 * JSON.parse lexes it as it lexes the page up to the cut, and takes `]}` there only if the cut ends a
 * whole element of the records array (inside a string they would be text, inside a record they
 * would not close it). Once the first part parses, the second (`{"records":[` and the page's text
 * from the `{`) is the page with those records taken out, and the page parses exactly when both
 * parts do. The second must be parsed refusing a key twice, so its records are the rest of the same
 * array (another `records` member would be the one JSON.parse keeps).
 */

/** How JSON.stringify writes a page that starts with its records, and what it writes between two of them. */
const RECORDS_FIRST = Buffer.from('{"records":[');
const BETWEEN_RECORDS = Buffer.from('},{');
const RECORDS_CLOSED = Buffer.from(']}');

export type PagePart = { which: 'first' | 'second'; cut: number };

/** Where to split `page`: a `},{` after its middle, in a page whose text starts with its records; -1 when there is none. */
export function splitPoint(page: Uint8Array): number {
  const text = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  if (text.byteLength < RECORDS_FIRST.length || !text.subarray(0, RECORDS_FIRST.length).equals(RECORDS_FIRST)) return -1;
  return text.indexOf(BETWEEN_RECORDS, text.byteLength >> 1);
}

/** Where a part's text is put together, reused (a page in shared memory cannot be decoded where it is). */
let partBuffer = Buffer.alloc(0);

/** The text of one part of `page` split at `cut`, in a buffer reused by the next call. */
export function partText(page: Uint8Array, { which, cut }: PagePart): Buffer {
  const first = which === 'first';
  const [from, to] = first ? [0, cut + 1] : [cut + 2, page.byteLength];
  const length = to - from + (first ? RECORDS_CLOSED.length : RECORDS_FIRST.length);
  if (partBuffer.length < length) partBuffer = Buffer.allocUnsafeSlow(length + (length >> 3));
  if (first) {
    partBuffer.set(page.subarray(from, to), 0);
    RECORDS_CLOSED.copy(partBuffer, to - from);
  } else {
    RECORDS_FIRST.copy(partBuffer, 0);
    partBuffer.set(page.subarray(from, to), RECORDS_FIRST.length);
  }
  return partBuffer.subarray(0, length);
}
