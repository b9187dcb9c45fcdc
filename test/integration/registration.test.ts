import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, newPkce, openSignInPage } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse();
});
afterAll(() => server.close());

const register = (url: string, body: unknown) =>
  fetch(`${url}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /register', () => {
  it('accepts what real clients send: several redirect URIs of every kind, application_type, no scope', async () => {
    const response = await register(server.url, {
      client_name: 'Claude',
      application_type: 'native',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'http://127.0.0.1/callback', 'http://localhost:33418/callback', 'cursor://anysphere.cursor-retrieval/oauth/user-gatehouse/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ client_name: 'Claude', token_endpoint_auth_method: 'none', application_type: 'native', grant_types: ['authorization_code'] });
    expect(body.client_id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(body.client_secret).toBeUndefined();
  });

  // RFC 7591 §3.2.1: the answer names the grants the client will get, which the server may narrow.
  it('answers with the grant types the client will get: refresh_token only when refresh tokens are on', async () => {
    const asked = { redirect_uris: ['http://127.0.0.1/cb'], grant_types: ['authorization_code', 'refresh_token'] };
    const withoutRefresh = (await (await register(server.url, asked)).json()) as { grant_types: string[] };
    expect(withoutRefresh.grant_types).toEqual(['authorization_code']);
    const refreshing = await startGatehouse({ env: { ACCESS_TOKEN_TTL: '1m' } });
    try {
      const withRefresh = (await (await register(refreshing.url, asked)).json()) as { grant_types: string[] };
      expect(withRefresh.grant_types).toEqual(['authorization_code', 'refresh_token']);
      const authorizationCodeOnly = (await (await register(refreshing.url, { ...asked, grant_types: ['authorization_code'] })).json()) as { grant_types: string[] };
      expect(authorizationCodeOnly.grant_types).toEqual(['authorization_code']);
    } finally {
      await refreshing.close();
    }
  });

  it.each([
    [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['data:text/html,x'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://app.example.com/cb#frag'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['http://app.example.com/cb'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: [] }, 'invalid_client_metadata'],
    [{}, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example.com/cb'], grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example.com/cb'], response_types: ['token'] }, 'invalid_client_metadata'],
    [{ redirect_uris: ['https://a.example.com/cb'], logo_uri: 'http://insecure.example.com/logo.png' }, 'invalid_client_metadata'],
    ['[1,2,3]', 'invalid_client_metadata'],
    ['{not json', 'invalid_client_metadata'],
  ])('refuses %j with %s', async (body, error) => {
    const response = await register(server.url, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
  });

  it('keeps registrations across a restart (DATA_DIR)', async () => {
    const second = await startGatehouse({ env: { DATA_DIR: server.config.dataDir } });
    const third = await startGatehouse({ env: { DATA_DIR: server.config.dataDir } });
    try {
      const { client_id: kept } = (await (await register(second.url, { redirect_uris: ['http://127.0.0.1/cb'] })).json()) as { client_id: string };
      await second.close();
      const page = await openSignInPage(
        authorizeUrl(third.url, { response_type: 'code', client_id: kept, redirect_uri: 'http://127.0.0.1:5000/cb', code_challenge: newPkce().challenge, code_challenge_method: 'S256' }),
      );
      expect(page.status).toBe(200);
    } finally {
      await third.close();
    }
  });

  it('limits registrations to 5 a minute per client address by default, with Retry-After', async () => {
    const limited = await startGatehouse({ env: { RATE_LIMIT_REGISTER: '5' } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let attempt = 0; attempt < 7; attempt++) {
        last = await register(limited.url, { redirect_uris: ['http://127.0.0.1/cb'] });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await last!.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await limited.close();
    }
  });
});

describe('rate limits behind a proxy (TRUST_PROXY)', () => {
  const from = (url: string, address: string) =>
    fetch(`${url}/register`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ redirect_uris: ['http://127.0.0.1/cb'] }) });

  it('keys on the real client address when the proxy is trusted', async () => {
    const proxied = await startGatehouse({ env: { RATE_LIMIT_REGISTER: '2', TRUST_PROXY: '1' } });
    try {
      expect([(await from(proxied.url, '203.0.113.1')).status, (await from(proxied.url, '203.0.113.1')).status, (await from(proxied.url, '203.0.113.1')).status]).toEqual([201, 201, 429]);
      expect((await from(proxied.url, '203.0.113.2')).status).toBe(201);
    } finally {
      await proxied.close();
    }
  });

  it('ignores X-Forwarded-For from an untrusted peer, so it cannot be used to dodge limits', async () => {
    const direct = await startGatehouse({ env: { RATE_LIMIT_REGISTER: '2' } });
    try {
      const statuses = [];
      for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) statuses.push((await from(direct.url, address)).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await direct.close();
    }
  });
});
