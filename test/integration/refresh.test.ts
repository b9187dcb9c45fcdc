import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { mcpStatus } from '../helpers/mcp-client.js';
import { exchangeCode, signIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse({ env: { ACCESS_TOKEN_TTL: '1m', REFRESH_GRACE: '1s' } });
});
afterAll(() => server.close());

const refresh = (clientId: string, refreshToken: string, extra: Record<string, string> = {}) =>
  exchangeCode(server.url, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...extra });

const status = (token: string) => mcpStatus(server.resourceUrl, token);

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

  it('stops working once the session is revoked', async () => {
    const first = await signIn(server.url);
    await fetch(`${server.url}/revoke`, { method: 'POST', body: new URLSearchParams({ token: first.accessToken }) });
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
