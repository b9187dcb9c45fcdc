import { describe, expect, it } from 'vitest';
import { adoptReturnedBody, giveBackBody, ownsItsBuffer, readBody } from '../../../src/upstream/body-buffers.js';

const chunksOf = (length: number, fill: number) => {
  const whole = Buffer.alloc(length, fill);
  return [whole.subarray(0, 1000), whole.subarray(1000, length - 7), whole.subarray(length - 7)];
};
const LARGE = 200_000;

// Buffers are compared by identity as booleans: a failing toBe on megabyte buffers makes vitest diff them for minutes.
describe('body buffers', () => {
  it('reads a large body into a buffer of its own, and a later one into that buffer once it is given back', () => {
    const first = readBody(chunksOf(LARGE, 1), LARGE);
    expect(first.byteLength).toBe(LARGE);
    expect(first.every((byte) => byte === 1)).toBe(true);
    expect(ownsItsBuffer(first)).toBe(true);
    expect(first.byteOffset).toBe(0);
    const buffer = first.buffer;
    giveBackBody(first);
    const second = readBody(chunksOf(LARGE - 100, 2), LARGE - 100);
    expect(second.buffer === buffer).toBe(true);
    expect(second.byteLength).toBe(LARGE - 100);
    expect(second.every((byte) => byte === 2)).toBe(true);
    giveBackBody(second);
  });

  it('hands a buffer given back twice to one body only', () => {
    const body = readBody(chunksOf(LARGE, 3), LARGE);
    giveBackBody(body);
    giveBackBody(body);
    const a = readBody(chunksOf(LARGE, 4), LARGE);
    const b = readBody(chunksOf(LARGE, 5), LARGE);
    expect(a.buffer === b.buffer).toBe(false);
    expect(a.every((byte) => byte === 4)).toBe(true);
    giveBackBody(a);
    giveBackBody(b);
  });

  it('ignores a stale view of a body whose buffer was given back and now holds another', () => {
    const size = 5 * LARGE; // no spare of another test fits it
    const first = readBody(chunksOf(size, 11), size);
    const stale = Buffer.from(first.buffer, 0, size);
    giveBackBody(stale); // not the body's own view
    giveBackBody(first);
    const second = readBody(chunksOf(size, 12), size);
    expect(second.buffer === first.buffer).toBe(true);
    giveBackBody(first); // late: the buffer is second's now
    const third = readBody(chunksOf(size, 13), size);
    expect(third.buffer === second.buffer).toBe(false);
    expect(second.every((byte) => byte === 12)).toBe(true);
    giveBackBody(second);
    giveBackBody(third);
  });

  it('keeps small bodies and bodies it did not read out of the pool', () => {
    const small = readBody(chunksOf(2000, 6), 2000);
    expect(small.toString('latin1')).toBe('\u0006'.repeat(2000));
    expect(ownsItsBuffer(small)).toBe(false);
    giveBackBody(small);
    const foreign = Buffer.alloc(LARGE, 7);
    giveBackBody(foreign);
    const next = readBody(chunksOf(LARGE, 8), LARGE);
    expect(next.buffer === foreign.buffer).toBe(false);
    expect(next.buffer === small.buffer).toBe(false);
    expect(foreign.every((byte) => byte === 7)).toBe(true);
    giveBackBody(next);
  });

  it('takes a body back from a worker it was transferred to, and ignores one transferred away', async () => {
    const size = 20 * LARGE; // no spare of the tests above fits it
    const body = readBody(chunksOf(size, 9), size);
    const { port1, port2 } = new MessageChannel();
    const returned = new Promise<Uint8Array>((resolve) => port2.once('message', resolve));
    port1.postMessage(body, [body.buffer as ArrayBuffer]); // as to a worker, and back
    expect(body.byteLength).toBe(0);
    giveBackBody(body); // detached: nothing to keep
    const back = await returned;
    port1.close();
    expect(ownsItsBuffer(back)).toBe(false);
    giveBackBody(adoptReturnedBody(back));
    expect(readBody(chunksOf(size, 10), size).buffer === back.buffer).toBe(true);
  });
});
