/**
 * The behaviour every Store implementation promises, run against each of them (memory here, Redis in
 * test/integration/store). Real clocks and short TTLs: the Redis server keeps its own time, so fake
 * timers cannot drive it. Every test uses fresh keys, so one store serves the whole suite.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function describeStoreContract(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store;
    const key = (label: string) => `${label}:${randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('returns undefined for a key never set', async () => {
      expect(await store.get(key('missing'))).toBeUndefined();
    });

    it('round-trips JSON values, nested objects included', async () => {
      const values: unknown[] = [
        'text',
        42,
        0,
        false,
        null,
        [1, 'two', { three: 3 }],
        { id: 'c_1', scopes: ['mcp:read'], nested: { deep: { list: [{ a: null }], unicode: 'é—✓' } }, n: 1.5 },
      ];
      for (const value of values) {
        const k = key('json');
        await store.set(k, value, 10_000);
        expect(await store.get(k)).toEqual(value);
      }
    });

    it('forgets a value when its TTL has passed', async () => {
      const k = key('ttl');
      await store.set(k, { v: 1 }, 80);
      expect(await store.get(k)).toEqual({ v: 1 });
      await sleep(160);
      expect(await store.get(k)).toBeUndefined();
    });

    it('overwrites the value and the TTL on set', async () => {
      const k = key('overwrite');
      await store.set(k, 'first', 80);
      await store.set(k, 'second', 10_000);
      await sleep(160);
      expect(await store.get(k)).toBe('second');
    });

    it('stores with setIfAbsent only when the key is absent or expired', async () => {
      const k = key('nx');
      expect(await store.setIfAbsent(k, 'first', 80)).toBe(true);
      expect(await store.setIfAbsent(k, 'second', 80)).toBe(false);
      expect(await store.get(k)).toBe('first');
      await sleep(160);
      expect(await store.setIfAbsent(k, 'third', 10_000)).toBe(true);
      expect(await store.get(k)).toBe('third');
    });

    it('lets exactly one of concurrent setIfAbsent calls win', async () => {
      const k = key('nx-race');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, i, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(results.indexOf(true));
    });

    it('takes a value once: the second take gets undefined', async () => {
      const k = key('take');
      await store.set(k, { code: 'abc' }, 10_000);
      expect(await store.take(k)).toEqual({ code: 'abc' });
      expect(await store.take(k)).toBeUndefined();
      expect(await store.get(k)).toBeUndefined();
    });

    it('hands a value to exactly one of 20 concurrent takes', async () => {
      const k = key('take-race');
      await store.set(k, { code: 'single-use' }, 10_000);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.take(k)));
      expect(results.filter((r) => r !== undefined)).toEqual([{ code: 'single-use' }]);
    });

    it('takes nothing from a missing or expired key', async () => {
      const k = key('take-expired');
      expect(await store.take(k)).toBeUndefined();
      await store.set(k, 'v', 50);
      await sleep(120);
      expect(await store.take(k)).toBeUndefined();
    });

    it('deletes a key, and deleting a missing key is fine', async () => {
      const k = key('delete');
      await store.set(k, 'v', 10_000);
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
      await expect(store.delete(key('never-set'))).resolves.toBeUndefined();
    });

    it('counts within a window that starts at the first hit and does not move', async () => {
      const k = key('count');
      const before = Date.now();
      const first = await store.increment(k, 1_000);
      expect(first.count).toBe(1);
      expect(first.resetAt).toBeGreaterThanOrEqual(before + 1_000 - 20);
      expect(first.resetAt).toBeLessThanOrEqual(Date.now() + 1_000 + 20);
      await sleep(50);
      const second = await store.increment(k, 1_000);
      const third = await store.increment(k, 1_000);
      expect([second.count, third.count]).toEqual([2, 3]);
      // Later hits neither extend nor restart the window (a few ms of clock rounding allowed).
      expect(Math.abs(third.resetAt - first.resetAt)).toBeLessThanOrEqual(20);
    });

    it('starts a new window after the old one expires', async () => {
      const k = key('count-expiry');
      const first = await store.increment(k, 80);
      await store.increment(k, 80);
      await sleep(160);
      const next = await store.increment(k, 80);
      expect(next.count).toBe(1);
      expect(next.resetAt).toBeGreaterThan(first.resetAt);
    });

    it('counts every one of concurrent increments', async () => {
      const k = key('count-race');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.increment(k, 10_000)));
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('takes a count back within the same window, keeping its end', async () => {
      const k = key('decrement');
      // A store may read resetAt at any moment of its round trip, so each is known only to within the
      // time its call took; the two windows' ends must agree within those bounds (and ms rounding).
      const timed = async () => {
        const before = Date.now();
        const result = await store.increment(k, 10_000);
        return { ...result, took: Date.now() - before };
      };
      const first = await timed();
      await store.increment(k, 10_000);
      await store.increment(k, 10_000);
      // A decrement that restarted the window would move its end by at least this much.
      await sleep(300);
      await store.decrement(k);
      const next = await timed();
      expect(next.count).toBe(3);
      expect(next.resetAt).toBeGreaterThanOrEqual(first.resetAt - first.took - 2);
      expect(next.resetAt).toBeLessThanOrEqual(first.resetAt + next.took + 2);
    });

    it('never takes a count below zero', async () => {
      const k = key('decrement-floor');
      await store.increment(k, 10_000);
      await store.decrement(k);
      await store.decrement(k);
      expect((await store.increment(k, 10_000)).count).toBe(1);
    });

    it('creates no counter when taking back from a missing or expired one', async () => {
      const missing = key('decrement-missing');
      await store.decrement(missing);
      expect(await store.get(missing)).toBeUndefined();
      const expired = key('decrement-expired');
      await store.increment(expired, 80);
      await sleep(160);
      await store.decrement(expired);
      expect(await store.get(expired)).toBeUndefined();
      expect((await store.increment(expired, 10_000)).count).toBe(1);
    });

    it('loses none of concurrent increments and decrements', async () => {
      const k = key('decrement-race');
      for (let i = 0; i < 20; i++) await store.increment(k, 10_000);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store.decrement(k) : store.increment(k, 10_000))));
      expect((await store.increment(k, 10_000)).count).toBe(21);
    });

    it('keeps keys apart', async () => {
      const a = key('a');
      const b = key('b');
      await store.set(a, 'A', 10_000);
      await store.set(b, 'B', 10_000);
      await store.delete(a);
      expect(await store.get(a)).toBeUndefined();
      expect(await store.get(b)).toBe('B');
    });

    it('appends to a list in order and lets it expire after the latest append', async () => {
      const list = key('list');
      expect(await store.list(list)).toEqual([]);
      await store.append(list, ['a', 'b'], 150);
      await store.append(list, ['c'], 150);
      expect(await store.list(list)).toEqual(['a', 'b', 'c']);
      expect(await store.list(list, 1)).toEqual(['b', 'c']);
      expect(await store.list(list, 3)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await store.list(list)).toEqual([]);
    });
  });
}
