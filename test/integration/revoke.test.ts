/** POST /revoke (RFC 7009): who may revoke what, and what the answer reveals. */
import { SignJWT } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../../src/sessions/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { mcpStatus } from '../helpers/mcp-client.js';
import { exchangeCode, registerClient, signIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
/** Refresh tokens on: access tokens shorter than the session. */
let refreshing: RunningGatehouse;
beforeAll(async () => {
  [server, refreshing] = await Promise.all([startGatehouse(), startGatehouse({ env: { ACCESS_TOKEN_TTL: '1m' } })]);
});
afterAll(() => Promise.all([server.close(), refreshing.close()]));

const revoke = (gatehouse: RunningGatehouse, params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${gatehouse.url}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });

const basic = (clientId: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:`).toString('base64')}` });

describe('POST /revoke', () => {
  it('ends the session of a token the client names itself for in the body', async () => {
    const { accessToken, clientId } = await signIn(server.url);
    const response = await revoke(server, { token: accessToken, client_id: clientId });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await mcpStatus(server.resourceUrl, accessToken)).toBe(401);
  });

  it('accepts the client id in HTTP Basic with an empty password, as /token does', async () => {
    const { accessToken, clientId } = await signIn(server.url);
    expect((await revoke(server, { token: accessToken }, basic(clientId))).status).toBe(200);
    expect(await mcpStatus(server.resourceUrl, accessToken)).toBe(401);
  });

  it('refuses an access token issued to another client with unauthorized_client, and the token keeps working', async () => {
    const victim = await signIn(server.url);
    const other = await registerClient(server.url);
    for (const request of [revoke(server, { token: victim.accessToken, client_id: other }), revoke(server, { token: victim.accessToken }, basic(other))]) {
      const response = await request;
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unauthorized_client', error_description: expect.any(String) });
    }
    expect(await mcpStatus(server.resourceUrl, victim.accessToken)).toBe(200);
  });

  it('refuses a refresh token issued to another client, and it keeps working', async () => {
    const victim = await signIn(refreshing.url);
    const other = await registerClient(refreshing.url);
    const response = await revoke(refreshing, { token: victim.refreshToken!, token_type_hint: 'refresh_token', client_id: other });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unauthorized_client' });
    expect(await mcpStatus(refreshing.resourceUrl, victim.accessToken)).toBe(200);
    const refreshed = await exchangeCode(refreshing.url, { grant_type: 'refresh_token', refresh_token: victim.refreshToken!, client_id: victim.clientId });
    expect(refreshed.status).toBe(200);
  });

  it('revokes a refresh token of its own client', async () => {
    const first = await signIn(refreshing.url);
    expect((await revoke(refreshing, { token: first.refreshToken!, client_id: first.clientId })).status).toBe(200);
    expect(await mcpStatus(refreshing.resourceUrl, first.accessToken)).toBe(401);
  });

  it('answers 400 invalid_request when the client does not identify itself, and revokes nothing', async () => {
    const { accessToken } = await signIn(server.url);
    const response = await revoke(server, { token: accessToken });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(await mcpStatus(server.resourceUrl, accessToken)).toBe(200);
  });

  it('answers 401 invalid_client for an unknown client, and revokes nothing', async () => {
    const { accessToken } = await signIn(server.url);
    const response = await revoke(server, { token: accessToken, client_id: 'unknownclient0000000' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    expect(await mcpStatus(server.resourceUrl, accessToken)).toBe(200);
  });

  it('answers 400 invalid_request when the body and HTTP Basic name different clients', async () => {
    const { accessToken, clientId } = await signIn(server.url);
    const other = await registerClient(server.url);
    const response = await revoke(server, { token: accessToken, client_id: clientId }, basic(other));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    expect(await mcpStatus(server.resourceUrl, accessToken)).toBe(200);
  });

  it('answers 400 invalid_request without a token', async () => {
    const clientId = await registerClient(server.url);
    const response = await revoke(server, { client_id: clientId });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  // RFC 7009 §2.2: an invalid token is no error; the answer says nothing about it.
  it('answers 200 for an unknown, malformed or expired token', async () => {
    const clientId = await registerClient(server.url);
    const keys = await loadSigningKeys({ signingKey: undefined, dataDir: server.config.dataDir, log: pino({ level: 'silent' }) });
    const expired = await new SignJWT({ client_id: clientId, scope: 'mcp:read', sid: 's' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: keys.current.kid })
      .setIssuer(server.url)
      .setAudience(server.resourceUrl)
      .setSubject('acc')
      .setIssuedAt()
      .setJti('j')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(keys.current.privateKey);
    for (const token of ['not-a-token', 'A'.repeat(43), expired]) {
      const response = await revoke(server, { token, client_id: clientId });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
  });

  it('never writes the token to the logs', async () => {
    const { accessToken, clientId } = await signIn(server.url);
    const other = await registerClient(server.url);
    await revoke(server, { token: accessToken, client_id: other });
    await revoke(server, { token: accessToken });
    await revoke(server, { token: accessToken, client_id: clientId });
    expect(server.logs.join('\n')).not.toContain(accessToken);
  });
});
