/**
 * The failed sign-in limits (5 per account, 30 per address, 15 minutes) through the real page, a
 * real upstream behind a proxy that can slow it down or take it away, and both stores: an attempt
 * is counted before the upstream sees the password, and given back unless the password was wrong
 * (only within the window it was counted in, and never at the cost of the sign-in).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { createMemoryStore, createRedisStore, StoreUnavailableError, type Store } from '../../src/store/index.js';
import { createHttpUpstream, type Upstream } from '../../src/upstream/index.js';
import { FAST_ARGON2, startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, newPkce, openSignInPage, REDIRECT_URI, registerClient, submitSignIn } from '../helpers/oauth-flow.js';
import { startRedisServer, type RunningRedis } from '../helpers/redis-server.js';
import { startSwitchableProxy, type SwitchableProxy } from '../helpers/switchable-proxy.js';

const ACCOUNT_LIMIT = 5;

let upstream: Awaited<ReturnType<typeof startDemoUpstream>>;
let proxy: SwitchableProxy;
let redis: RunningRedis;

beforeAll(async () => {
  upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
  proxy = await startSwitchableProxy(upstream.url);
  redis = await startRedisServer();
});
afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await redis?.stop();
});

/** The upstream client of one Gatehouse, noting the password checks it sends and the tokens it gets back. */
function watchedUpstream(timeoutMs = 10_000) {
  const client = createHttpUpstream({ baseUrl: proxy.url, timeoutMs });
  const upstream: Upstream = Object.create(client) as Upstream;
  const seen = { signIns: 0, tokens: [] as string[] };
  upstream.signIn = async (email, password) => {
    seen.signIns++;
    const signedIn = await client.signIn(email, password);
    seen.tokens.push(signedIn.accessToken);
    return signedIn;
  };
  return { upstream, seen, close: () => client.close() };
}

/** Each test opens tens of sign-in pages from one address: GET /authorize has a limit of its own. */
const ENV = { RATE_LIMIT_AUTHORIZE: '100000' };

async function attempts(server: RunningGatehouse, clientId: string, count: number, form: Record<string, string>) {
  const pages = await Promise.all(
    Array.from({ length: count }, () =>
      openSignInPage(
        authorizeUrl(server.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: newPkce().challenge, code_challenge_method: 'S256', state: 's' }),
      ),
    ),
  );
  return Promise.all(
    pages.map(async (page) => {
      const response = await submitSignIn(server.url, page, { accept_disclaimer: 'yes', action: 'sign_in', ...form });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
    }),
  );
}

const statuses = (answers: Array<{ status: number }>) => answers.map((answer) => answer.status).sort((a, b) => a - b);

// Attempts in progress count too (that is what stops a parallel burst), so these come one after another.
async function oneByOneOn(server: RunningGatehouse, clientId: string, count: number, form: Record<string, string>) {
  const seen: number[] = [];
  for (let attempt = 0; attempt < count; attempt++) seen.push(...statuses(await attempts(server, clientId, 1, form)));
  return seen;
}

describe.each([
  ['the memory store', () => createMemoryStore()],
  ['the Redis store', () => createRedisStore({ url: redis.url, prefix: `sign-in-limits-${randomUUID()}:` })],
])('failed sign-in limits on %s', (_name, makeStore: () => Store) => {
  let store: Store;
  let watched: ReturnType<typeof watchedUpstream>;
  let server: RunningGatehouse;
  let clientId: string;

  beforeAll(async () => {
    store = makeStore();
    watched = watchedUpstream();
    server = await startGatehouse({ env: { ...ENV, UPSTREAM_URL: proxy.url }, deps: { store, upstream: watched.upstream } });
    clientId = await registerClient(server.url);
  });
  afterAll(async () => {
    proxy.setMode('pass');
    await server?.close();
    await watched?.close();
    await store?.close();
  });

  it('lets at most 5 of 20 concurrent wrong passwords for one account reach the upstream; the rest get 429', async () => {
    // A slow upstream keeps every post in flight together: a limit checked before any is counted lets them all through.
    proxy.setMode({ delayMs: 100 });
    const before = watched.seen.signIns;
    try {
      const answers = await attempts(server, clientId, 20, { email: 'location-admin@example.com', password: 'wrong-password' });
      expect(statuses(answers)).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), ...Array<number>(20 - ACCOUNT_LIMIT).fill(429)]);
      expect(watched.seen.signIns - before).toBe(ACCOUNT_LIMIT);
      for (const answer of answers.filter((a) => a.status === 429)) {
        expect(answer.body).toContain('Too many failed sign-in attempts');
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      }
    } finally {
      proxy.setMode('pass');
    }
    // The right password is refused too until the window ends.
    expect(statuses(await attempts(server, clientId, 1, { email: 'location-admin@example.com', password: 'demo-password' }))).toEqual([429]);
  });

  const oneByOne = (count: number, form: Record<string, string>) => oneByOneOn(server, clientId, count, form);

  it('does not count successful sign-ins, nor a right password of an account that may not sign in', async () => {
    expect(await oneByOne(8, { email: 'admin@example.com', password: 'demo-password' })).toEqual(Array<number>(8).fill(303));
    expect(await oneByOne(6, { email: 'member@example.com', password: 'demo-password' })).toEqual(Array<number>(6).fill(403));
    // The whole limit is still there for failures.
    expect(await oneByOne(ACCOUNT_LIMIT, { email: 'admin@example.com', password: 'wrong-password' })).toEqual(Array<number>(ACCOUNT_LIMIT).fill(401));
    expect(await oneByOne(1, { email: 'admin@example.com', password: 'demo-password' })).toEqual([429]);
  });

  it('does not count attempts the upstream could not answer', async () => {
    proxy.setMode('down');
    try {
      expect(await oneByOne(6, { email: 'readonly@example.com', password: 'wrong-password' })).toEqual(Array<number>(6).fill(503));
    } finally {
      proxy.setMode('pass');
    }
    expect(await oneByOne(ACCOUNT_LIMIT, { email: 'readonly@example.com', password: 'wrong-password' })).toEqual(Array<number>(ACCOUNT_LIMIT).fill(401));
    expect(await oneByOne(1, { email: 'readonly@example.com', password: 'wrong-password' })).toEqual([429]);
  });
});

describe('a sign-in attempt given back late, on the memory store', () => {
  afterEach(() => {
    vi.useRealTimers();
    proxy.setMode('pass');
  });

  it('takes nothing off the next window: an upstream answering after the window ended buys no extra guess', async () => {
    // Only Date is faked, and only the store and the limits read it: the app's own clock stays real.
    const store = createMemoryStore({ now: () => Date.now() });
    const watched = watchedUpstream(1_000);
    const server = await startGatehouse({ env: { ...ENV, UPSTREAM_URL: proxy.url }, deps: { store, upstream: watched.upstream } });
    try {
      const clientId = await registerClient(server.url);
      const form = { email: 'location-admin@example.com', password: 'wrong-password' };
      vi.useFakeTimers({ toFake: ['Date'] });

      // Counted in the first window, then held at the upstream until the client gives up (unreachable: given back).
      proxy.resetCounts();
      proxy.setMode('hang');
      const late = attempts(server, clientId, 1, form);
      while (proxy.maxInFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      vi.setSystemTime(Date.now() + 15 * 60_000 + 1_000);
      proxy.setMode('pass');

      // The next window starts before the late attempt is given back.
      expect(statuses(await attempts(server, clientId, 1, form))).toEqual([401]);
      expect(statuses(await late)).toEqual([503]);
      expect(await oneByOneOn(server, clientId, ACCOUNT_LIMIT, form)).toEqual([...Array<number>(ACCOUNT_LIMIT - 1).fill(401), 429]);
    } finally {
      await server.close();
      await watched.close();
      await store.close();
    }
  });
});

describe('a throttled sign-in, on the memory store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says how long is left of the window that refused it, in Retry-After and on the page', async () => {
    const store = createMemoryStore({ now: () => Date.now() });
    const watched = watchedUpstream();
    const server = await startGatehouse({ env: { ...ENV, UPSTREAM_URL: proxy.url }, deps: { store, upstream: watched.upstream } });
    try {
      const clientId = await registerClient(server.url);
      const form = { email: 'location-admin@example.com', password: 'wrong-password' };
      vi.useFakeTimers({ toFake: ['Date'] });
      expect(await oneByOneOn(server, clientId, ACCOUNT_LIMIT, form)).toEqual(Array<number>(ACCOUNT_LIMIT).fill(401));

      vi.setSystemTime(Date.now() + 10 * 60_000 + 30_000);
      const [refused] = await attempts(server, clientId, 1, form);
      expect(refused!.status).toBe(429);
      // 15-minute window, 10.5 minutes gone: about 270 seconds left, shown rounded up.
      expect(Number(refused!.retryAfter)).toBeGreaterThan(240);
      expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(270);
      expect(refused!.body).toContain('Wait 5 minutes and try again');
    } finally {
      await server.close();
      await watched.close();
      await store.close();
    }
  });
});

/** Revocation runs after the answer, so the upstream may need a moment. */
async function expectRevokedUpstream(token: string) {
  const upstreamStatus = async () => (await fetch(`${upstream.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;
  let status = await upstreamStatus();
  for (let tries = 0; status !== 401 && tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await upstreamStatus();
  }
  expect(status).toBe(401);
}

describe('a sign-in when the store fails after the password was checked', () => {
  let failing: { decrement: boolean; sessions: boolean; codes: boolean; ends: boolean };
  let watched: ReturnType<typeof watchedUpstream>;
  let server: RunningGatehouse;
  let clientId: string;

  beforeAll(async () => {
    const store = createMemoryStore();
    failing = { decrement: false, sessions: false, codes: false, ends: false };
    const flaky: Store = {
      ...store,
      decrement: (key) => (failing.decrement ? Promise.reject(new StoreUnavailableError()) : store.decrement(key)),
      set: (key, value, ttlMs) =>
        (failing.sessions && key.startsWith('session:')) || (failing.codes && key.startsWith('code:')) ? Promise.reject(new StoreUnavailableError()) : store.set(key, value, ttlMs),
      delete: (key) => (failing.ends && key.startsWith('session:') ? Promise.reject(new StoreUnavailableError()) : store.delete(key)),
    };
    watched = watchedUpstream();
    server = await startGatehouse({ env: { ...ENV, UPSTREAM_URL: proxy.url }, deps: { store: flaky, upstream: watched.upstream } });
    clientId = await registerClient(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await watched?.close();
  });

  const right = { email: 'admin@example.com', password: 'demo-password' };

  /** One sign-in with the right password while the store fails at these steps: its status. */
  async function signInWhileFailing(...steps: Array<keyof typeof failing>) {
    for (const step of steps) failing[step] = true;
    try {
      return await oneByOneOn(server, clientId, 1, right);
    } finally {
      for (const step of steps) failing[step] = false;
    }
  }

  it('still signs the person in when the attempt cannot be given back, and logs it without the e-mail', async () => {
    expect(await signInWhileFailing('decrement')).toEqual([303]);
    const warnings = server.logs.filter((line) => line.includes('sign-in attempt not given back'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain(right.email);
    expect(warnings[0]).not.toContain(right.password);
  });

  it('revokes the upstream token when the session cannot be stored', async () => {
    const before = watched.seen.tokens.length;
    expect(await signInWhileFailing('sessions')).toEqual([503]);
    expect(watched.seen.tokens).toHaveLength(before + 1);
    await expectRevokedUpstream(watched.seen.tokens[before]!);
  });

  it('ends the new session and revokes its upstream token when the code cannot be stored', async () => {
    const before = watched.seen.tokens.length;
    const logsBefore = server.logs.length;
    expect(await signInWhileFailing('codes')).toEqual([503]);
    expect(watched.seen.tokens).toHaveLength(before + 1);
    const ended = server.logs.slice(logsBefore).filter((line) => line.includes('session.ended'));
    expect(ended).toHaveLength(1);
    expect(ended[0]).toContain('"reason":"revoked"');
    await expectRevokedUpstream(watched.seen.tokens[before]!);
  });

  it('still revokes the upstream token when that session cannot be ended either', async () => {
    const before = watched.seen.tokens.length;
    const logsBefore = server.logs.length;
    expect(await signInWhileFailing('codes', 'ends')).toEqual([503]);
    expect(watched.seen.tokens).toHaveLength(before + 1);
    expect(server.logs.slice(logsBefore).filter((line) => line.includes('session of an unfinished sign-in not ended'))).toHaveLength(1);
    await expectRevokedUpstream(watched.seen.tokens[before]!);
  });
});
