/**
 * Redis Store: the shared implementation for several Gatehouse instances (or tenants on one Redis,
 * kept apart by the key prefix). Values are JSON, TTLs are milliseconds (`PX`), `take` is GETDEL and
 * `increment` and `decrement` small Lua scripts, so all are atomic on the server.
 *
 * It fails closed: when Redis is down or slow every operation rejects with a StoreUnavailableError,
 * as soon as a connection attempt fails and within `commandTimeoutMs` at worst. Nothing is queued
 * for later (a write the caller saw fail must not land after a reconnect), and the client
 * reconnects by itself with capped backoff.
 * It does not log: keys and values never leave this module except to Redis, and error messages name
 * the server without the URL's credentials. (ioredis's own `DEBUG=ioredis:*` tracing prints command
 * arguments; never enable it in production.)
 */
import { Redis } from 'ioredis';
import { StoreUnavailableError } from './errors.js';
import type { Store } from './store.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Prepended to every key; default `gatehouse:`. */
  prefix?: string;
  /** TCP connect timeout; default 2000 ms. */
  connectTimeoutMs?: number;
  /** Upper bound for one operation, waiting for a (re)connection included; default 1000 ms. */
  commandTimeoutMs?: number;
}

/** Reconnect delays 100, 200, 400, 800, 1000, 1000… ms: quick after a blip, cheap during an outage. */
const MAX_RECONNECT_DELAY_MS = 1_000;
const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS);

/**
 * Starts the window at the first hit: PEXPIRE only when the key has no TTL yet (new, or left
 * without one), so later hits never extend it. Returns the count and the remaining ms.
 */
const INCREMENT_LUA = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** DECR only a counter above 0: a missing key stays missing (DECR alone would create it at -1); the TTL is kept. */
const DECREMENT_LUA = `
local count = tonumber(redis.call('GET', KEYS[1]))
if count ~= nil and count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

/** GETDEL for servers older than 6.2. */
const TAKE_LUA = `
local value = redis.call('GET', KEYS[1])
if value then redis.call('DEL', KEYS[1]) end
return value
`;

interface ScriptedRedis extends Redis {
  gatehouseIncrement(key: string, ttlMs: number): Promise<[number, number]>;
  gatehouseDecrement(key: string): Promise<number>;
  gatehouseTake(key: string): Promise<string | null>;
}

export function createRedisStore(options: RedisStoreOptions): Store {
  const prefix = options.prefix ?? 'gatehouse:';
  const commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
  const target = describeTarget(options.url);

  const client = new Redis(options.url, {
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: commandTimeoutMs,
    // Nothing waits inside ioredis: a command is sent only once connected (see `whenReady`), and one
    // that was in flight when the connection dropped is failed, not replayed after the caller gave up.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
    // RESP2: every Redis understands it and we use no RESP3 reply types.
    protocol: 2,
  }) as ScriptedRedis;
  client.defineCommand('gatehouseIncrement', { numberOfKeys: 1, lua: INCREMENT_LUA });
  client.defineCommand('gatehouseDecrement', { numberOfKeys: 1, lua: DECREMENT_LUA });
  client.defineCommand('gatehouseTake', { numberOfKeys: 1, lua: TAKE_LUA });

  // Connection errors surface as rejected operations; without a listener ioredis prints them itself.
  // `failing` (an error since the last ready) lets operations reject at once during an outage
  // instead of each waiting commandTimeoutMs for a reconnect that already failed.
  let lastError: unknown;
  let failing = false;
  const waiters = new Set<(error?: unknown) => void>();
  const wake = (error?: unknown) => {
    for (const waiter of waiters) waiter(error);
    waiters.clear();
  };
  client.on('error', (error: unknown) => {
    lastError = error;
    failing = true;
    wake(error);
  });
  client.on('ready', () => {
    failing = false;
    wake();
  });
  client.on('end', () => wake());

  const unavailable = (cause: unknown) =>
    new StoreUnavailableError(`The store at ${target} is unavailable.`, { cause: cause ?? lastError });

  /**
   * Waits for a connection for at most commandTimeoutMs (start-up, or a reconnect after a blip);
   * rejects as soon as a connection attempt fails, and at once while the last one has failed.
   */
  const whenReady = (): Promise<void> => {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') return Promise.reject(unavailable(new Error('The store is closed.')));
    if (failing && client.status === 'reconnecting') return Promise.reject(unavailable(lastError));
    return new Promise((resolve, reject) => {
      const waiter = (error?: unknown) => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(unavailable(error));
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(unavailable(lastError ?? new Error('Timed out waiting for a connection.')));
      }, commandTimeoutMs);
      waiters.add(waiter);
    });
  };

  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    await whenReady();
    try {
      return await command();
    } catch (error) {
      throw unavailable(error);
    }
  };

  let getdelMissing = false;
  const take = async (key: string): Promise<string | null> => {
    if (!getdelMissing) {
      try {
        return await client.getdel(key);
      } catch (error) {
        if (!isUnknownCommand(error)) throw error;
        getdelMissing = true;
      }
    }
    return client.gatehouseTake(key);
  };

  const k = (key: string) => prefix + key;

  return {
    async get<T>(key: string) {
      const raw = await run(() => client.get(k(key)));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlMs) {
      const raw = serialize(value);
      const px = toPx(ttlMs);
      await run(() => client.set(k(key), raw, 'PX', px));
    },
    async setIfAbsent(key, value, ttlMs) {
      const raw = serialize(value);
      const px = toPx(ttlMs);
      return (await run(() => client.set(k(key), raw, 'PX', px, 'NX'))) === 'OK';
    },
    async take<T>(key: string) {
      const raw = await run(() => take(k(key)));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async delete(key) {
      await run(() => client.del(k(key)));
    },
    async increment(key, ttlMs) {
      const px = toPx(ttlMs);
      const [count, remainingMs] = await run(() => client.gatehouseIncrement(k(key), px));
      return { count, resetAt: Date.now() + remainingMs };
    },
    async decrement(key) {
      await run(() => client.gatehouseDecrement(k(key)));
    },
    async append(key, values, ttlMs) {
      if (values.length === 0) return;
      const px = toPx(ttlMs);
      await run(() => client.multi().rpush(k(key), ...values).pexpire(k(key), px).exec());
    },
    async list(key, from = 0) {
      return run(() => client.lrange(k(key), Math.max(0, from), -1));
    },
    async ping() {
      await run(() => client.ping());
    },
    async close() {
      if (client.status === 'end') return;
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch {
          // Fall through: the connection went away while quitting.
        }
      }
      client.disconnect();
    },
  };
}

function serialize(value: unknown): string {
  const raw = JSON.stringify(value);
  if (raw === undefined) throw new TypeError('Store values must be JSON-serializable.');
  return raw;
}

/** Redis refuses PX 0 and fractions; a TTL under 1 ms is a caller bug, not "expire now". */
function toPx(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('Store TTLs must be positive numbers of milliseconds.');
  return Math.ceil(ttlMs);
}

function isUnknownCommand(error: unknown): boolean {
  return error instanceof Error && /^ERR unknown command/i.test(error.message);
}

/** `redis://host:port/db` without user or password, for error messages. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the configured Redis URL';
  }
}
