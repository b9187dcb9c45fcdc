/** Per-address limits of GET /authorize (each valid one stores a pending request) and POST /revoke. */
import { afterEach, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, hiddenFields, newPkce, REDIRECT_URI, registerClient } from '../helpers/oauth-flow.js';

const started: RunningGatehouse[] = [];
const start = async (env: Record<string, string> = {}) => {
  const server = await startGatehouse({ env });
  started.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

const authorize = (server: RunningGatehouse, clientId: string, headers: Record<string, string> = {}) =>
  fetch(
    authorizeUrl(server.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: newPkce().challenge, code_challenge_method: 'S256', state: 's' }),
    { redirect: 'manual', headers },
  );

/** A known client revoking a token that is not one: 200, and counted. */
const revoke = (server: RunningGatehouse, clientId: string) =>
  fetch(`${server.url}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: 'not-a-token', client_id: clientId }) });

describe('GET /authorize limit', () => {
  it('allows 60 a minute per client address by default, then shows a 429 page with Retry-After and no sign-in form', async () => {
    const server = await start();
    const clientId = await registerClient(server.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 60; attempt++) statuses.push((await authorize(server, clientId)).status);
    expect(statuses).toEqual(Array<number>(60).fill(200));

    const refused = await authorize(server, clientId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('location')).toBeNull();
    const html = await refused.text();
    expect(html).toContain('Too many sign-in requests');
    expect(html).toContain('temporarily_unavailable');
    expect(hiddenFields(html)).not.toHaveProperty('interaction');
  });

  it('counts per client address (RATE_LIMIT_AUTHORIZE, behind a trusted proxy)', async () => {
    const server = await start({ RATE_LIMIT_AUTHORIZE: '2', TRUST_PROXY: '1' });
    const clientId = await registerClient(server.url);
    const from = (address: string) => authorize(server, clientId, { 'x-forwarded-for': address });
    expect([(await from('203.0.113.1')).status, (await from('203.0.113.1')).status, (await from('203.0.113.1')).status]).toEqual([200, 200, 429]);
    expect((await from('203.0.113.2')).status).toBe(200);
    // An IPv6 client holds a /64: its addresses share one budget, the next /64 has its own.
    expect([(await from('2001:db8:1:2::1')).status, (await from('2001:db8:1:2:aaaa::9')).status, (await from('2001:db8:1:2:ffff::1')).status]).toEqual([200, 200, 429]);
    expect((await from('2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('POST /revoke limit', () => {
  it('allows 60 a minute per client address by default, then 429 with Retry-After', async () => {
    const server = await start();
    const clientId = await registerClient(server.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 60; attempt++) statuses.push((await revoke(server, clientId)).status);
    expect(statuses).toEqual(Array<number>(60).fill(200));
    const refused = await revoke(server, clientId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('takes its limit from RATE_LIMIT_REVOKE', async () => {
    const server = await start({ RATE_LIMIT_REVOKE: '2' });
    const clientId = await registerClient(server.url);
    expect([(await revoke(server, clientId)).status, (await revoke(server, clientId)).status, (await revoke(server, clientId)).status]).toEqual([200, 200, 429]);
  });
});
