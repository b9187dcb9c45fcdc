import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore, type Store } from '../../src/store/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, exchangeCode, newPkce, openSignInPage, REDIRECT_URI, registerClient, signIn, submitSignIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse();
});
afterAll(() => server.close());

async function codeFor(clientId: string, pkce = newPkce(), baseUrl = server.url) {
  const page = await openSignInPage(
    authorizeUrl(baseUrl, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
  );
  const response = await submitSignIn(baseUrl, page, { email: 'admin@example.com', password: 'demo-password', accept_disclaimer: 'yes' });
  return { code: new URL(response.headers.get('location')!).searchParams.get('code')!, pkce };
}

const mcpInit = (token?: string, baseUrl = server.url) =>
  fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });

describe('POST /token', () => {
  it('exchanges a code once, with no-store, for an at+jwt bound to our resource', async () => {
    const clientId = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const response = await exchangeCode(server.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'mcp:read mcp:write' });
    // The session's 8 h started at sign-in, and a token never outlives it: a second boundary crossed
    // between sign-in and this exchange takes a second off.
    expect(body.expires_in).toBeLessThanOrEqual(8 * 3600);
    expect(body.expires_in).toBeGreaterThan(8 * 3600 - 60);
    const payload = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString());
    expect(payload.aud).toBe(`${server.url}/mcp`);
    expect(payload.iss).toBe(server.url);
  });

  it('refuses a replayed code and ends the session the first exchange created', async () => {
    const clientId = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId };
    const first = (await (await exchangeCode(server.url, params)).json()) as { access_token: string };
    expect((await mcpInit(first.access_token)).status).toBe(200);
    const replay = await exchangeCode(server.url, params);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await mcpInit(first.access_token)).status).toBe(401);
  });

  it('treats a presentation racing the first exchange as a replay and ends the session', async () => {
    // Writes that take a while, as with a shared store, widen the window between taking the code and
    // recording that it was used.
    const slowWrites = (store: Store): Store => ({
      ...store,
      async set(key, value, ttlMs) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return store.set(key, value, ttlMs);
      },
    });
    const slow = await startGatehouse({ deps: { store: slowWrites(createMemoryStore()) } });
    try {
      const clientId = await registerClient(slow.url);
      const { code, pkce } = await codeFor(clientId, newPkce(), slow.url);
      const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId };
      const responses = await Promise.all(Array.from({ length: 3 }, () => exchangeCode(slow.url, params)));
      const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<{ access_token?: string; error?: string }>;
      expect(responses.map((response) => response.status).sort()).toEqual([200, 400, 400]);
      expect(bodies.filter((body) => body.error !== undefined)).toEqual([expect.objectContaining({ error: 'invalid_grant' }), expect.objectContaining({ error: 'invalid_grant' })]);
      const issued = bodies.find((body) => body.access_token !== undefined)!.access_token!;
      expect((await mcpInit(issued, slow.url)).status).toBe(401);
      expect(slow.logs.join('\n')).toContain('"reason":"code_replayed"');
    } finally {
      await slow.close();
    }
  });

  it('refuses a wrong code_verifier', async () => {
    const clientId = await registerClient(server.url);
    const { code } = await codeFor(clientId);
    const response = await exchangeCode(server.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: newPkce().verifier, client_id: clientId });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires the redirect_uri when the authorization request named it', async () => {
    const clientId = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const response = await exchangeCode(server.url, { grant_type: 'authorization_code', code, code_verifier: pkce.verifier, client_id: clientId });
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code presented by another client', async () => {
    const clientId = await registerClient(server.url);
    const other = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const response = await exchangeCode(server.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: other });
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  // RFC 8707 §2.2: a resource we do not serve is invalid_target, found before the code is taken, so
  // a client that retries with the right resource still gets its token.
  it.each([
    ['another server', 'https://other.example.com/mcp'],
    ['another path of ours', 'http://placeholder/elsewhere'],
  ])('answers invalid_target for a resource of %s and leaves the code usable', async (_name, resource) => {
    const clientId = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId };
    const refused = await exchangeCode(server.url, { ...params, resource: resource.replace('http://placeholder', server.url) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_target' });
    const retried = await exchangeCode(server.url, { ...params, resource: `${server.url}/mcp` });
    expect(retried.status).toBe(200);
    const { access_token } = (await retried.json()) as { access_token: string };
    expect((await mcpInit(access_token)).status).toBe(200);
  });

  it('answers invalid_request for a repeated resource and leaves the code usable', async () => {
    const clientId = await registerClient(server.url);
    const { code, pkce } = await codeFor(clientId);
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId };
    const body = new URLSearchParams(params);
    body.append('resource', `${server.url}/mcp`);
    body.append('resource', 'https://other.example.com/mcp');
    const refused = await fetch(`${server.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    expect((await exchangeCode(server.url, params)).status).toBe(200);
  });

  it('answers 401 invalid_client for an unknown client so it registers again', async () => {
    const response = await exchangeCode(server.url, { grant_type: 'authorization_code', code: 'x', code_verifier: newPkce().verifier, client_id: 'unknownclient0000000' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    [{ grant_type: 'password', client_id: 'x' }, 'unsupported_grant_type'],
    [{ client_id: 'x' }, 'invalid_request'],
  ])('refuses %j with %s', async (params, error) => {
    const response = await exchangeCode(server.url, params);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error });
  });
});

describe('the /mcp guard', () => {
  const challenge = (response: Response) => response.headers.get('www-authenticate') ?? '';

  it('answers 401 with resource_metadata and scope when no token is sent', async () => {
    const response = await mcpInit();
    expect(response.status).toBe(401);
    expect(challenge(response)).toBe(`Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"`);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a token signed by someone else', 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6IngifQ.eyJzdWIiOiJ4In0.c2ln'],
  ])('answers 401 invalid_token for %s', async (_name, token) => {
    const response = await mcpInit(token);
    expect(response.status).toBe(401);
    expect(challenge(response)).toContain('error="invalid_token"');
    expect(challenge(response)).toContain('resource_metadata=');
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme that only starts like ours', 'Bearerish abc'],
  ])('answers 401 with the bare challenge for %s: no credentials of ours (RFC 6750 §3.1)', async (_name, authorization) => {
    const response = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{}' });
    expect(response.status).toBe(401);
    expect(challenge(response)).toBe(`Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp", scope="mcp:read mcp:write"`);
  });

  it.each(['Bearer two words', 'Bearer', 'bearer  doubled-space'])('answers 401 invalid_token for a malformed bearer credential: %s (RFC 6750 §3.1)', async (authorization) => {
    const response = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{}' });
    expect(response.status).toBe(401);
    expect(challenge(response)).toContain('error="invalid_token"');
    expect(challenge(response)).toContain('resource_metadata=');
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('answers 401 for a token of our key with another audience, and for an expired one', async () => {
    const keys = (await import('../../src/sessions/index.js')).loadSigningKeys;
    const signing = await keys({ signingKey: undefined, dataDir: server.config.dataDir, log: (await import('pino')).default({ level: 'silent' }) });
    const base = () =>
      new SignJWT({ client_id: 'c', scope: 'mcp:read', sid: 's' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: signing.current.kid })
        .setIssuer(server.url)
        .setSubject('acc')
        .setIssuedAt()
        .setJti('j');
    const wrongAudience = await base().setAudience('https://elsewhere.example.com/mcp').setExpirationTime('10m').sign(signing.current.privateKey);
    const expired = await base().setAudience(`${server.url}/mcp`).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(signing.current.privateKey);
    for (const [token, reason] of [
      [wrongAudience, 'not meant for this resource'],
      [expired, 'expired'],
    ] as const) {
      const response = await mcpInit(token);
      expect(response.status).toBe(401);
      expect(challenge(response)).toContain(reason);
    }
  });

  it('answers 401 once the token is revoked (disconnect)', async () => {
    const { accessToken, clientId } = await signIn(server.url);
    expect((await mcpInit(accessToken)).status).toBe(200);
    const revoke = await fetch(`${server.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: accessToken, client_id: clientId }).toString(),
    });
    expect(revoke.status).toBe(200);
    const after = await mcpInit(accessToken);
    expect(after.status).toBe(401);
    expect(challenge(after)).toContain('session behind this access token has ended');
  });

  it('answers 403 to a browser Origin it does not know', async () => {
    const { accessToken } = await signIn(server.url);
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { origin: 'https://evil.example.com', authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it('answers a JSON-RPC parse error for a body that is not JSON', async () => {
    const { accessToken } = await signIn(server.url);
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
  });
});
