/**
 * Large upstream bodies are read into buffers that come back once read, so a megabyte page does
 * not take fresh memory on every call. On this VM that cost the event loop 100–250 page faults a
 * page, and glibc handing the memory back to the system between calls (bench/HISTORY.md, item 22).
 *
 * A body read here has its ArrayBuffer to itself, from byte 0 (with room behind it when reused), so
 * it can be transferred to a result worker as it is. It is given back by whoever reads it last:
 * after parsing it on the event loop, or once the worker it was transferred to returns it. Given
 * back, it will hold another body: nothing may read it after that.
 */
import { SpareBuffers } from '../spare-buffers.js';

/** Smaller bodies are read as they come (Node's own pool, or a small allocation). */
const POOLED_FROM = 64 * 1024;
/** ≈ 16 one-megabyte pages waiting to be read into; in flight ones are not counted. */
const spares = new SpareBuffers(16 * 1024 * 1024);
/** A spare more than this many times a body's size is left for a larger one. */
const MAX_SPARE_OVERSIZE = 4;
/**
 * Buffers that hold one body each, with the view that body is: only that view gives the buffer
 * back, so a stale view of a body whose buffer was given back and reused cannot give it back again.
 */
const owners = new WeakMap<ArrayBufferLike, Uint8Array>();

/** Is this size worth a pooled buffer? */
const isPooledSize = (length: number) => length >= POOLED_FROM;

/** `chunks` (`length` bytes in all) in one buffer: a spare one when one fits. */
export function readBody(chunks: readonly Uint8Array[], length: number): Buffer {
  if (!isPooledSize(length)) return Buffer.concat(chunks, length);
  const buffer = spares.take(length, MAX_SPARE_OVERSIZE * length) ?? new ArrayBuffer(length);
  const body = Buffer.from(buffer, 0, length);
  owners.set(buffer, body);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** Does `body` have its ArrayBuffer to itself (read by readBody, or returned by a worker), so it can be transferred as it is? */
export const ownsItsBuffer = (body: Uint8Array): boolean => owners.get(body.buffer) === body;

/**
 * `body` will not be read again, here or anywhere: its buffer may hold the next body. Ignored for a
 * body that does not own its buffer (a small one shares Node's pool), or whose buffer was
 * transferred away (detached).
 */
export function giveBackBody(body: Uint8Array): void {
  const buffer = body.buffer;
  if (owners.get(buffer) !== body) return;
  // Ownerless now: a second give-back of the same body is ignored, not a buffer handed out twice.
  owners.delete(buffer);
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
  spares.give(buffer);
}

/** A body back from a worker it was transferred to (so nothing here has another view of its buffer), as a body read here. */
export function adoptReturnedBody(body: Uint8Array): Buffer {
  const adopted = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  owners.set(body.buffer, adopted);
  return adopted;
}
