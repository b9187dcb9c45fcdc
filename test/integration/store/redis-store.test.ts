import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, StoreUnavailableError, type Store } from '../../../src/store/index.js';
import { startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';
import { describeStoreContract } from '../../unit/store/store-contract.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describeStoreContract('createRedisStore', () => createRedisStore({ url: redis.url, prefix: `contract-${randomUUID()}:` }));

describe('createRedisStore', () => {
  const opened: Store[] = [];
  const open = (options: Partial<Parameters<typeof createRedisStore>[0]> = {}) => {
    const store = createRedisStore({ url: redis.url, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('keeps the keys of two prefixes apart', async () => {
    const a = open({ prefix: `tenant-a-${randomUUID()}:` });
    const b = open({ prefix: `tenant-b-${randomUUID()}:` });
    await a.set('code', 'from a', 10_000);
    await b.set('code', 'from b', 10_000);
    expect(await a.get('code')).toBe('from a');
    expect(await b.take('code')).toBe('from b');
    expect(await a.get('code')).toBe('from a');
    expect(await a.setIfAbsent('nx', 1, 10_000)).toBe(true);
    expect(await b.setIfAbsent('nx', 1, 10_000)).toBe(true);
    expect((await a.increment('hits', 10_000)).count).toBe(1);
    expect((await b.increment('hits', 10_000)).count).toBe(1);
  });

  it('writes only prefixed keys with JSON values and millisecond TTLs', async () => {
    const own = await startRedisServer();
    const raw = new Redis(own.url, { lazyConnect: true });
    try {
      const store = open({ url: own.url });
      await store.set('auth_code:x', { clientId: 'c1', scopes: ['mcp:read'] }, 60_000);
      await store.setIfAbsent('jti:y', true, 60_000);
      await store.increment('rate:z', 60_000);
      await store.set('gone', 1, 60_000);
      await store.take('gone');

      await raw.connect();
      expect((await raw.keys('*')).sort()).toEqual(['gatehouse:auth_code:x', 'gatehouse:jti:y', 'gatehouse:rate:z']);
      expect(JSON.parse((await raw.get('gatehouse:auth_code:x')) ?? '')).toEqual({ clientId: 'c1', scopes: ['mcp:read'] });
      expect(await raw.get('gatehouse:jti:y')).toBe('true');
      expect(await raw.get('gatehouse:rate:z')).toBe('1');
      for (const k of ['gatehouse:auth_code:x', 'gatehouse:jti:y', 'gatehouse:rate:z']) {
        const ttl = await raw.pttl(k);
        expect(ttl).toBeGreaterThan(59_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      raw.disconnect();
      await own.stop();
    }
  });

  it('takes once under concurrency when the server has no GETDEL (Lua fallback)', async () => {
    const old = await startRedisServer({ args: ['--rename-command', 'GETDEL', ''] });
    try {
      const store = open({ url: old.url });
      await store.set('code', { v: 1 }, 10_000);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.take('code')));
      expect(results.filter((r) => r !== undefined)).toEqual([{ v: 1 }]);
      await store.set('code2', 'x', 10_000);
      expect(await store.take('code2')).toBe('x');
      expect(await store.get('code2')).toBeUndefined();
    } finally {
      await old.stop();
    }
  });

  it('refuses values JSON cannot carry and TTLs Redis cannot store', async () => {
    const store = open();
    await expect(store.set('k', undefined, 1_000)).rejects.toThrow(TypeError);
    await expect(store.set('k', 'v', 0)).rejects.toThrow(RangeError);
    await expect(store.increment('k', Number.NaN)).rejects.toThrow(RangeError);
  });

  it('rejects every operation after close', async () => {
    const store = open();
    await store.ping();
    await store.close();
    await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('createRedisStore when Redis goes away', () => {
  const password = `pw-${randomUUID()}`;
  let down: RunningRedis;
  let store: Store;
  beforeAll(async () => {
    down = await startRedisServer({ args: ['--requirepass', password] });
    store = createRedisStore({ url: `redis://:${password}@127.0.0.1:${down.port}` });
  });
  afterAll(async () => {
    await store?.close();
    await down?.stop();
  });

  it('fails closed within 2 s with StoreUnavailableError, then recovers by itself after a restart', async () => {
    await store.set('before', 'v', 60_000);
    await down.stop();

    const started = Date.now();
    const outcomes = await Promise.allSettled([
      store.get('before'),
      store.set('k', 'v', 1_000),
      store.setIfAbsent('k', 'v', 1_000),
      store.take('before'),
      store.delete('k'),
      store.increment('n', 1_000),
      store.ping(),
    ]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as StoreUnavailableError;
      expect(reason).toBeInstanceOf(StoreUnavailableError);
      expect(reason.code).toBe('store_unavailable');
      expect(reason.message).not.toContain(password);
      expect(reason.message).toContain(`127.0.0.1:${down.port}`);
    }

    // Once a reconnect attempt has failed, operations reject at once instead of waiting.
    await sleep(300);
    const again = Date.now();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - again).toBeLessThan(500);

    await down.restart();
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await store.ping();
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        if (Date.now() > deadline) throw new Error('the store did not reconnect within 5 s');
        await sleep(50);
      }
    }
    await store.set('after', { ok: true }, 10_000);
    expect(await store.get('after')).toEqual({ ok: true });
  });

  it('rejects a wrong password without echoing it', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const bad = createRedisStore({ url: `redis://default:${wrong}@127.0.0.1:${down.port}` });
    try {
      const error = await bad.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).not.toContain(wrong);
      expect((error as Error).message).not.toContain(password);
    } finally {
      await bad.close();
    }
  });
});
