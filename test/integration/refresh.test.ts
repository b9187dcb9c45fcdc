import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore, StoreUnavailableError, type Store } from '../../src/store/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { connectWithToken, mcpStatus, PROTOCOL_REVISIONS, structured } from '../helpers/mcp-client.js';
import { exchangeCode, signIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse({ env: { ACCESS_TOKEN_TTL: '1m', REFRESH_GRACE: '1s' } });
});
afterAll(() => server.close());

const refresh = (clientId: string, refreshToken: string, extra: Record<string, string> = {}) =>
  exchangeCode(server.url, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...extra });

const status = (token: string) => mcpStatus(server.resourceUrl, token);

/** HTTP status of a write tool call: 403 when the token lacks mcp:write, whatever the tool then does. */
async function writeCallStatus(token: string): Promise<number> {
  const response = await fetch(server.resourceUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_record', arguments: { type: 'members', id: 'mem_does_not_exist' } } }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('refresh tokens (ACCESS_TOKEN_TTL shorter than SESSION_TTL)', () => {
  it('advertises the refresh_token grant', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
  });

  it('rotates on use, and a retry within the grace window gets the same new pair', async () => {
    const first = await signIn(server.url);
    expect(first.expiresIn).toBe(60);
    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [a, b] = await Promise.all([refresh(first.clientId, first.refreshToken!), refresh(first.clientId, first.refreshToken!)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-store');
    const pairA = (await a.json()) as { access_token: string; refresh_token: string };
    const pairB = (await b.json()) as { access_token: string; refresh_token: string };
    expect(pairB).toEqual(pairA);
    expect(pairA.refresh_token).not.toBe(first.refreshToken);
    expect(await status(pairA.access_token)).toBe(200);

    const next = await refresh(first.clientId, pairA.refresh_token);
    expect(next.status).toBe(200);
  });

  it('ends the whole session when a used refresh token comes back after the grace window', async () => {
    const first = await signIn(server.url);
    const rotated = (await (await refresh(first.clientId, first.refreshToken!)).json()) as { access_token: string; refresh_token: string };
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const reuse = await refresh(first.clientId, first.refreshToken!);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await status(rotated.access_token)).toBe(401);
    expect((await refresh(first.clientId, rotated.refresh_token)).status).toBe(400);
    expect(server.logs.join('\n')).toContain('refresh_token.reuse_detected');
  });

  it('refuses a refresh by another client or one that widens the scope', async () => {
    const readOnly = await signIn(server.url, { readOnly: true });
    const other = await signIn(server.url);
    expect((await refresh(other.clientId, readOnly.refreshToken!)).status).toBe(400);
    const widened = await refresh(readOnly.clientId, readOnly.refreshToken!, { scope: 'mcp:read mcp:write' });
    expect(await widened.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('narrows only the access token: the rotated refresh token keeps the whole grant (RFC 6749 §6)', async () => {
    const first = await signIn(server.url);
    expect(first.scope).toBe('mcp:read mcp:write');
    const narrowed = await refresh(first.clientId, first.refreshToken!, { scope: 'mcp:read' });
    const narrow = (await narrowed.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(narrow.scope).toBe('mcp:read');
    expect(await writeCallStatus(narrow.access_token)).toBe(403);
    // What a narrowed token is shown matches what it may call: no write tools, and whoami says read only.
    for (const revision of PROTOCOL_REVISIONS) {
      const client = await connectWithToken(server.resourceUrl, narrow.access_token, revision);
      const { tools } = await client.listTools();
      const whoami = structured<{ scopes: string[]; readOnly: boolean }>(await client.callTool({ name: 'whoami', arguments: {} }));
      await client.close();
      expect(tools.map((tool) => tool.name), revision).not.toContain('delete_record');
      expect(tools.map((tool) => tool.name), revision).toContain('search_records');
      expect(whoami, revision).toMatchObject({ scopes: ['mcp:read'], readOnly: true });
    }

    const widenedAgain = await refresh(first.clientId, narrow.refresh_token, { scope: 'mcp:read mcp:write' });
    expect(widenedAgain.status).toBe(200);
    const full = (await widenedAgain.json()) as { access_token: string; refresh_token: string; scope: string };
    expect(full.scope).toBe('mcp:read mcp:write');
    expect(await writeCallStatus(full.access_token)).not.toBe(403);
    const unnamed = (await (await refresh(first.clientId, full.refresh_token)).json()) as { scope: string };
    expect(unnamed.scope).toBe('mcp:read mcp:write');
  });

  it('stops working once the session is revoked', async () => {
    const first = await signIn(server.url);
    await fetch(`${server.url}/revoke`, { method: 'POST', body: new URLSearchParams({ token: first.accessToken, client_id: first.clientId }) });
    expect((await refresh(first.clientId, first.refreshToken!)).status).toBe(400);
  });
});

describe('revoking a refresh token', () => {
  it('ends the session behind it', async () => {
    const first = await signIn(server.url);
    const response = await fetch(`${server.url}/revoke`, { method: 'POST', body: new URLSearchParams({ token: first.refreshToken!, token_type_hint: 'refresh_token', client_id: first.clientId }) });
    expect(response.status).toBe(200);
    expect(await status(first.accessToken)).toBe(401);
  });

  // RFC 7009 §2.1: a token not found under the hint's type is searched for under every type.
  it.each([
    ['refresh token', 'access_token'],
    ['refresh token', 'no_such_type'],
    ['access token', 'refresh_token'],
    ['access token', 'no_such_type'],
  ])('revokes a %s sent with token_type_hint=%s', async (kind, hint) => {
    const first = await signIn(server.url);
    const token = kind === 'refresh token' ? first.refreshToken! : first.accessToken;
    const response = await fetch(`${server.url}/revoke`, { method: 'POST', body: new URLSearchParams({ token, token_type_hint: hint, client_id: first.clientId }) });
    expect(response.status).toBe(200);
    expect(await status(first.accessToken)).toBe(401);
    expect((await refresh(first.clientId, first.refreshToken!)).status).toBe(400);
  });
});

/** The memory store with one write that can be made to fail, as a shared store does when it drops out for a moment. */
function storeWithFailingWrite(): Store & { failNextWrite(afterMs?: number): void } {
  const store = createMemoryStore();
  let failing: number | undefined;
  return {
    ...store,
    async set(key, value, ttlMs) {
      if (failing !== undefined) {
        const delay = failing;
        failing = undefined;
        await new Promise((resolve) => setTimeout(resolve, delay));
        throw new StoreUnavailableError();
      }
      return store.set(key, value, ttlMs);
    },
    failNextWrite(afterMs = 0) {
      failing = afterMs;
    },
  };
}

describe('a refresh whose rotation fails', () => {
  const store = storeWithFailingWrite();
  let flaky: RunningGatehouse;
  beforeAll(async () => {
    flaky = await startGatehouse({ env: { ACCESS_TOKEN_TTL: '1m', REFRESH_GRACE: '5s' }, deps: { store } });
  });
  afterAll(() => flaky.close());

  const refreshFlaky = (clientId: string, refreshToken: string) => exchangeCode(flaky.url, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

  it('can be retried: nothing was handed out, so the retry rotates instead of ending the session', async () => {
    const first = await signIn(flaky.url);
    store.failNextWrite();
    const failed = await refreshFlaky(first.clientId, first.refreshToken!);
    expect(failed.status).toBe(503);
    const retried = await refreshFlaky(first.clientId, first.refreshToken!);
    expect(retried.status).toBe(200);
    const pair = (await retried.json()) as { access_token: string; refresh_token: string };
    expect(await mcpStatus(flaky.resourceUrl, pair.access_token)).toBe(200);
    expect(flaky.logs.join('\n')).not.toContain('refresh_token.reuse_detected');
  });

  it('lets a concurrent request that was waiting for it rotate instead', async () => {
    const first = await signIn(flaky.url);
    store.failNextWrite(300);
    const responses = await Promise.all([refreshFlaky(first.clientId, first.refreshToken!), refreshFlaky(first.clientId, first.refreshToken!)]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 503]);
    const pair = (await responses.find((response) => response.status === 200)!.json()) as { access_token: string; refresh_token: string };
    expect(await mcpStatus(flaky.resourceUrl, pair.access_token)).toBe(200);
    // The client whose request failed retries within the grace window and gets the same pair.
    const retried = await refreshFlaky(first.clientId, first.refreshToken!);
    expect(await retried.json()).toEqual(pair);
    expect(flaky.logs.join('\n')).not.toContain('refresh_token.reuse_detected');
  });
});

describe('the absolute session end', () => {
  it('is not extended by access tokens or refreshes', async () => {
    const short = await startGatehouse({ env: { SESSION_TTL: '4s', ACCESS_TOKEN_TTL: '2s' } });
    try {
      const signedInAt = Date.now();
      const first = await signIn(short.url);
      expect(first.expiresIn).toBeLessThanOrEqual(2);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const refreshed = await exchangeCode(short.url, { grant_type: 'refresh_token', refresh_token: first.refreshToken!, client_id: first.clientId });
      const pair = (await refreshed.json()) as { access_token: string; expires_in: number; refresh_token: string };
      expect(pair.expires_in).toBeLessThanOrEqual(2);
      const exp = JSON.parse(Buffer.from(pair.access_token.split('.')[1]!, 'base64url').toString()).exp as number;
      const iat = JSON.parse(Buffer.from(first.accessToken.split('.')[1]!, 'base64url').toString()).iat as number;
      expect(exp - iat).toBeLessThanOrEqual(4);
      // Past the session's absolute end, whatever the refresh said.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, signedInAt + 4_300 - Date.now())));
      const afterEnd = await exchangeCode(short.url, { grant_type: 'refresh_token', refresh_token: pair.refresh_token, client_id: first.clientId });
      expect(await afterEnd.json()).toMatchObject({ error: 'invalid_grant' });
      expect(await mcpStatus(short.resourceUrl, pair.access_token)).toBe(401);
    } finally {
      await short.close();
    }
  });
});
