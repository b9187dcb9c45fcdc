import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { mcpStatus } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse({ env: { ADMIN_TOKEN } });
});
afterAll(() => server.close());

const admin = (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });
const status = (token: string) => mcpStatus(server.resourceUrl, token);

describe('the admin API', () => {
  it('refuses calls without the admin token', async () => {
    expect((await fetch(`${server.url}/admin/sessions`)).status).toBe(401);
    expect((await admin('/admin/sessions', {}, 'wrong-token')).status).toBe(401);
  });

  it('lists active sessions without any token, and ends one at once', async () => {
    const first = await signIn(server.url);
    await status(first.accessToken);
    const response = await admin('/admin/sessions');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(first.accessToken);
    const { sessions } = JSON.parse(text) as { sessions: Array<Record<string, unknown>> };
    const mine = sessions.find((session) => session.clientId === first.clientId)!;
    expect(mine).toMatchObject({ account: { email: 'admin@example.com' }, scopes: ['mcp:read', 'mcp:write'], piiMode: 'redacted' });
    expect(mine.lastUsedAt).toBeTruthy();
    expect(Object.keys(mine)).not.toContain('upstreamToken');
    expect(Object.keys(mine)).not.toContain('piiSecret');

    expect((await admin(`/admin/sessions/${String(mine.id)}`, { method: 'DELETE' })).status).toBe(204);
    expect(await status(first.accessToken)).toBe(401);
    expect((await admin(`/admin/sessions/${String(mine.id)}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('ends every session of an account', async () => {
    const a = await signIn(server.url, { email: 'readonly@example.com' });
    const b = await signIn(server.url, { email: 'readonly@example.com' });
    const other = await signIn(server.url);
    const { sessions } = (await (await admin('/admin/sessions')).json()) as { sessions: Array<{ account: { id: string; email: string } }> };
    const accountId = sessions.find((session) => session.account.email === 'readonly@example.com')!.account.id;
    const response = await admin(`/admin/accounts/${accountId}/sessions`, { method: 'DELETE' });
    expect(await response.json()).toEqual({ ended: 2 });
    expect(await status(a.accessToken)).toBe(401);
    expect(await status(b.accessToken)).toBe(401);
    expect(await status(other.accessToken)).toBe(200);
  });

  it('is absent when ADMIN_TOKEN is not set', async () => {
    const plain = await startGatehouse();
    try {
      expect((await fetch(`${plain.url}/admin/sessions`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
