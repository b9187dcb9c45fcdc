/**
 * Two Gatehouse processes sharing one real Redis and one upstream, as behind a load balancer
 * without sticky sessions: consecutive requests of one client alternate between them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { FAST_ARGON2 } from '../helpers/gatehouse.js';
import { freePort } from '../helpers/free-port.js';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { mcpStatus, structured } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';
import { startRedisServer, type RunningRedis } from '../helpers/redis-server.js';

let redis: RunningRedis;
let upstream: Awaited<ReturnType<typeof startDemoUpstream>>;
let env: Record<string, string>;
let ports: [number, number];
let a: GatewayProcess;
let b: GatewayProcess;

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
  ports = [await freePort(), await freePort()];
  env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'replicas-test:',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    UPSTREAM_URL: upstream.url,
    // Behind a load balancer both replicas answer for one public URL.
    PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
    SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    DATA_DIR: '/nonexistent-data-dir-for-replicas',
    RATE_LIMIT_REGISTER: '1000',
  };
  [a, b] = await Promise.all([spawnGateway(env, ports[0]), spawnGateway(env, ports[1])]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await upstream?.close();
  await redis?.stop();
});

/** A client whose consecutive requests land on alternating replicas. */
async function alternatingClient(accessToken: string): Promise<{ client: Client; hits: number[] }> {
  const hits = [0, 0];
  let turn = 0;
  const fetchAlternating = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const replica = turn++ % 2;
    hits[replica]!++;
    url.port = String(ports[replica]);
    return fetch(url, init);
  };
  const client = new Client({ name: 'alternating', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${env.PUBLIC_URL}/mcp`), { fetch: fetchAlternating, requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }),
  );
  return { client, hits };
}

const status = (replica: GatewayProcess, token: string) => mcpStatus(`${replica.url}/mcp`, token);

describe('two replicas sharing Redis', () => {
  it('serves one client from both replicas, PII tokens included', async () => {
    const { accessToken } = await signIn(a.url);
    const { client, hits } = await alternatingClient(accessToken);
    const page = structured<{ records: Array<{ id: string; email: string }> }>(await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 5 } }));
    const target = page.records[2]!;
    expect(target.email).toMatch(/^«PII:EMAIL:/);
    // The next call lands on the other replica, which must resolve a token it never issued.
    const found = structured<{ records: Array<{ id: string }> }>(await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: target.email } } }));
    expect(found.records.map((record) => record.id)).toEqual([target.id]);
    for (let call = 0; call < 4; call++) expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    expect(hits[0]).toBeGreaterThan(2);
    expect(hits[1]).toBeGreaterThan(2);
    await client.close();
  });

  it('registers on one replica and signs in on the other', async () => {
    const register = await fetch(`${b.url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb'] }) });
    const { client_id } = (await register.json()) as { client_id: string };
    const page = await fetch(`${a.url}/authorize?response_type=code&client_id=${client_id}&redirect_uri=http://127.0.0.1:9/cb&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
    expect(page.status).toBe(200);
  });

  it('refuses on one replica at once a token revoked on the other', async () => {
    const { accessToken, clientId } = await signIn(a.url);
    expect(await status(b, accessToken)).toBe(200);
    await fetch(`${a.url}/revoke`, { method: 'POST', body: new URLSearchParams({ token: accessToken, client_id: clientId }) });
    expect(await status(b, accessToken)).toBe(401);
  });

  it('keeps no readable upstream token or personal data in Redis', async () => {
    await signIn(a.url);
    const inspector = new Redis(redis.url);
    try {
      const keys = await inspector.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith('replicas-test:'))).toBe(true);
      const sessionKeys = keys.filter((key) => key.startsWith('replicas-test:session:'));
      expect(sessionKeys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const value = (await inspector.type(key)) === 'list' ? (await inspector.lrange(key, 0, -1)).join('\n') : ((await inspector.get(key)) ?? '');
        expect(value, key).not.toMatch(/upstreamToken|piiSecret/);
        expect(value, key).not.toMatch(/[\w.+-]+@example\.(com|org|net)/);
      }
      for (const key of sessionKeys) expect(JSON.parse((await inspector.get(key))!).sealed).toMatch(/^g1\./);
    } finally {
      inspector.disconnect();
    }
  });

  it('keeps registrations and sessions across a restart of both processes', async () => {
    const { accessToken } = await signIn(a.url);
    expect(await status(a, accessToken)).toBe(200);
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    [a, b] = await Promise.all([spawnGateway(env, ports[0]), spawnGateway(env, ports[1])]);
    expect(await status(a, accessToken)).toBe(200);
    expect(await status(b, accessToken)).toBe(200);
  }, 60_000);

  it('fails closed with 503 while Redis is down and recovers by itself', async () => {
    const { accessToken, clientId } = await signIn(a.url);
    await redis.stop();
    const mcp = await fetch(`${b.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(503);
    expect(await mcp.json()).toMatchObject({ error: { message: expect.stringContaining('unavailable') } });
    const token = await fetch(`${a.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: clientId, code_verifier: 'v'.repeat(43) }) });
    expect(token.status).toBe(503);
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${a.url}/readyz`)).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
    // This Redis keeps nothing on disk, so the old session is gone: the client is asked to sign in again.
    expect(await status(b, accessToken)).toBe(401);
    const fresh = await signIn(a.url);
    expect(await status(b, fresh.accessToken)).toBe(200);
  }, 60_000);
});
