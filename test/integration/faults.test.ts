/** Upstream outages and slowness, and a graceful stop on SIGTERM. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { FAST_ARGON2, startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { connectWithToken, structured } from '../helpers/mcp-client.js';
import { authorizeUrl, newPkce, openSignInPage, REDIRECT_URI, registerClient, signIn, submitSignIn } from '../helpers/oauth-flow.js';
import { startSwitchableProxy } from '../helpers/switchable-proxy.js';

describe('an unavailable or slow upstream', () => {
  let upstream: Awaited<ReturnType<typeof startDemoUpstream>>;
  let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let server: RunningGatehouse;

  beforeAll(async () => {
    upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
    proxy = await startSwitchableProxy(upstream.url);
    server = await startGatehouse({ env: { UPSTREAM_URL: proxy.url, UPSTREAM_TIMEOUT: '500ms' } });
  });
  afterAll(async () => {
    await server.close();
    await proxy.close();
    await upstream.close();
  });

  it('gives a clear tool error within the timeout and keeps the session', async () => {
    const { accessToken } = await signIn(server.url);
    const client = await connectWithToken(server.resourceUrl, accessToken);
    try {
      proxy.setMode('hang');
      const started = Date.now();
      const slow = await client.callTool({ name: 'search_records', arguments: { type: 'bookings' } });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(slow.isError).toBe(true);
      expect(structured<{ code: string; error: string }>(slow)).toMatchObject({ code: 'upstream_unavailable', error: expect.stringContaining('session is still active') });

      proxy.setMode('down');
      const down = await client.callTool({ name: 'get_record', arguments: { type: 'members', id: 'mem_000001' } });
      expect(structured<{ code: string }>(down).code).toBe('upstream_unavailable');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

      proxy.setMode('pass');
      const back = await client.callTool({ name: 'get_record', arguments: { type: 'members', id: 'mem_000001' } });
      expect(back.isError).toBeFalsy();
    } finally {
      proxy.setMode('pass');
      await client.close();
    }
  });

  it('shows a clear message on the sign-in page when the upstream is down', async () => {
    proxy.setMode('down');
    try {
      await expect(signIn(server.url)).rejects.toThrow(/503[\s\S]*cannot be reached/);
    } finally {
      proxy.setMode('pass');
    }
  });
});

const authorizeParams = (clientId: string) => ({
  response_type: 'code',
  client_id: clientId,
  redirect_uri: REDIRECT_URI,
  code_challenge: newPkce().challenge,
  code_challenge_method: 'S256',
  state: 's',
});

describe('many sign-ins at once', () => {
  it('sends at most SIGNIN_CONCURRENCY password checks upstream, and tells the rest to retry when the line is full', async () => {
    const upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
    const proxy = await startSwitchableProxy(upstream.url);
    // 75 sign-ins of one account from one address at once: past the per-address limit of GET /authorize
    // and past the attempts in progress that the failed sign-in limits allow (test/integration/sign-in-limits.test.ts).
    const server = await startGatehouse({
      env: { UPSTREAM_URL: proxy.url, SIGNIN_CONCURRENCY: '2', RATE_LIMIT_AUTHORIZE: '1000', RATE_LIMIT_SIGNIN_ACCOUNT: '1000', RATE_LIMIT_SIGNIN_ADDRESS: '1000' },
    });
    try {
      const clientId = await registerClient(server.url);
      // 2 checking + 64 waiting fill the line; the rest are refused at once. A slow upstream (50 ms a
      // request, two requests a sign-in) keeps the line full while the 75 posts arrive, and still
      // drains it in ≈ 3.5 s, well within the 10 s a sign-in may wait.
      const pages = await Promise.all(Array.from({ length: 75 }, () => openSignInPage(authorizeUrl(server.url, authorizeParams(clientId)))));
      proxy.setMode({ delayMs: 50 });
      proxy.resetCounts();
      const answers = await Promise.all(
        pages.map(async (page) => {
          const response = await submitSignIn(server.url, page, { email: 'admin@example.com', password: 'demo-password', accept_disclaimer: 'yes', action: 'sign_in' });
          return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
        }),
      );
      const busy = answers.filter((answer) => answer.status === 503);
      expect(busy.length).toBeGreaterThanOrEqual(1);
      for (const answer of busy) {
        expect(answer.body).toContain('Many people are signing in right now');
        expect(answer.retryAfter).toBe('5');
      }
      expect(answers.filter((answer) => answer.status === 303).length).toBeGreaterThanOrEqual(64);
      expect(proxy.maxInFlight()).toBeLessThanOrEqual(2);
    } finally {
      proxy.setMode('pass');
      await server.close();
      await proxy.close();
      await upstream.close();
    }
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, and exits 0', async () => {
    const upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
    const proxy = await startSwitchableProxy(upstream.url);
    try {
      const gateway = await spawnGateway({ UPSTREAM_URL: proxy.url, DATA_DIR: `/tmp/gatehouse-sigterm-${process.pid}`, RATE_LIMIT_REGISTER: '100' });
      const { accessToken } = await signIn(gateway.url.replace('127.0.0.1', 'localhost'));
      proxy.setMode({ delayMs: 800 });
      const inFlight = fetch(`${gateway.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_record', arguments: { type: 'members', id: 'mem_000001' } } }),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const exit = gateway.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('mem_000001');
      expect(await exit).toBe(0);
      expect(gateway.output.join('')).toContain('"msg":"stopped"');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  }, 30_000);
});
