import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse();
});
afterAll(() => server.close());

describe('discovery', () => {
  it('serves RFC 8414 metadata whose issuer is exactly PUBLIC_URL', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: server.url,
      authorization_endpoint: `${server.url}/authorize`,
      token_endpoint: `${server.url}/token`,
      registration_endpoint: `${server.url}/register`,
      revocation_endpoint: `${server.url}/revoke`,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['mcp:read', 'mcp:write'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(String(metadata.issuer).endsWith('/')).toBe(false);
  });

  it('serves the same document at the OpenID configuration path', async () => {
    const a = await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json();
    const b = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    expect(b).toEqual(a);
  });

  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])('serves RFC 9728 metadata at %s', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as { resource: string; authorization_servers: string[] };
    expect(metadata.resource).toBe(`${server.url}/mcp`);
    expect(metadata.authorization_servers).toEqual([server.url]);
  });

  it('publishes the signing key in the JWKS without private parts', async () => {
    const { keys } = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]!.kid).toBeTruthy();
    expect(keys[0]!.d).toBeUndefined();
  });

  it('answers CORS preflight on metadata, registration and token endpoints', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/register', '/token']) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it('keeps a signing key across restarts through DATA_DIR', async () => {
    const first = await startGatehouse({ env: { DATA_DIR: server.config.dataDir } });
    const second = await startGatehouse({ env: { DATA_DIR: server.config.dataDir } });
    try {
      const kid = async (url: string) => ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
      expect(await kid(first.url)).toBe(await kid(second.url));
      expect(await kid(first.url)).toBe(await kid(server.url));
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('lets caches keep what is public (metadata, keys, stylesheets) and nothing else', async () => {
    const cacheControl = async (path: string) => (await fetch(`${server.url}${path}`)).headers.get('cache-control');
    expect(await cacheControl('/.well-known/oauth-authorization-server')).toBe('public, max-age=3600');
    expect(await cacheControl('/.well-known/oauth-protected-resource/mcp')).toBe('public, max-age=3600');
    expect(await cacheControl('/.well-known/jwks.json')).toBe('public, max-age=300');
    expect(await cacheControl('/assets/style.css')).toBe('public, max-age=3600');
    expect(await cacheControl('/assets/brand.css')).toBe('public, max-age=3600');
    for (const path of ['/healthz', '/readyz', '/mcp', '/authorize', '/no-such-route']) expect(await cacheControl(path), path).toBe('no-store');
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ store: 'ok', upstream: 'ok' });
  });
});
