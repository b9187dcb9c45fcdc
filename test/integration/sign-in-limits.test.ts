/**
 * The failed sign-in limits (5 per account, 30 per address, 15 minutes) through the real page, a
 * real upstream behind a proxy that can slow it down or take it away, and both stores: an attempt
 * is counted before the upstream sees the password, and given back unless the password was wrong.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { createMemoryStore, createRedisStore, type Store } from '../../src/store/index.js';
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

describe.each([
  ['the memory store', () => createMemoryStore()],
  ['the Redis store', () => createRedisStore({ url: redis.url, prefix: `sign-in-limits-${randomUUID()}:` })],
])('failed sign-in limits on %s', (_name, makeStore: () => Store) => {
  let store: Store;
  let server: RunningGatehouse;
  let clientId: string;

  beforeAll(async () => {
    store = makeStore();
    server = await startGatehouse({ env: { UPSTREAM_URL: proxy.url }, deps: { store } });
    clientId = await registerClient(server.url);
  });
  afterAll(async () => {
    proxy.setMode('pass');
    await server?.close();
    await store?.close();
  });

  it('lets at most 5 of 20 concurrent wrong passwords for one account reach the upstream; the rest get 429', async () => {
    // A slow upstream keeps every post in flight together: a limit checked before any is counted lets them all through.
    proxy.setMode({ delayMs: 100 });
    try {
      const answers = await attempts(server, clientId, 20, { email: 'location-admin@example.com', password: 'wrong-password' });
      expect(statuses(answers)).toEqual([...Array<number>(ACCOUNT_LIMIT).fill(401), ...Array<number>(20 - ACCOUNT_LIMIT).fill(429)]);
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

  // Attempts in progress count too (that is what stops a parallel burst), so these come one after another.
  const oneByOne = async (count: number, form: Record<string, string>) => {
    const seen: number[] = [];
    for (let attempt = 0; attempt < count; attempt++) seen.push(...statuses(await attempts(server, clientId, 1, form)));
    return seen;
  };

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
