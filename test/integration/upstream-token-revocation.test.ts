/**
 * Gatehouse gives back upstream tokens it no longer needs: when a session ends on purpose, and when
 * a sign-in is refused for the account's role. Seen from the account system, behind a proxy that
 * notes the bearer tokens Gatehouse sends it.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUpstream } from '../../src/demo-upstream/index.js';
import { FAST_ARGON2, startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { connectWithToken } from '../helpers/mcp-client.js';
import { authorizeUrl, newPkce, openSignInPage, REDIRECT_URI, registerClient, signIn, submitSignIn } from '../helpers/oauth-flow.js';

let upstream: Awaited<ReturnType<typeof startDemoUpstream>>;
let proxy: Server;
let server: RunningGatehouse;
/** Bearer tokens Gatehouse sent the upstream, in order. */
const seen: string[] = [];

beforeAll(async () => {
  upstream = await startDemoUpstream({ port: 0, argon2: FAST_ARGON2 });
  const target = new URL(upstream.url);
  proxy = createServer((req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && !seen.includes(bearer)) seen.push(bearer);
    const outbound = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(outbound);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  server = await startGatehouse({ env: { UPSTREAM_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } });
});
afterAll(async () => {
  await server?.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await upstream?.close();
});

/** The account system's answer to the token: 200 while it lives. */
const upstreamStatus = async (token: string) => (await fetch(`${upstream.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;

/** Revocation runs after the answer, so wait a little for it. */
async function eventually401(token: string): Promise<number> {
  let status = await upstreamStatus(token);
  for (let tries = 0; status !== 401 && tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await upstreamStatus(token);
  }
  return status;
}

describe('upstream tokens Gatehouse no longer needs', () => {
  it('are revoked when the session ends (reauthenticate, then /revoke)', async () => {
    for (const end of ['reauthenticate', 'revoke'] as const) {
      const before = seen.length;
      const { accessToken, clientId } = await signIn(server.url);
      const token = seen[before]!;
      expect(seen.length).toBe(before + 1);
      expect(await upstreamStatus(token)).toBe(200);
      if (end === 'reauthenticate') {
        const client = await connectWithToken(server.resourceUrl, accessToken);
        expect((await client.callTool({ name: 'reauthenticate', arguments: {} })).isError).toBeFalsy();
        await client.close();
      } else {
        const revoked = await fetch(`${server.url}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: accessToken, client_id: clientId }) });
        expect(revoked.status).toBe(200);
      }
      expect(await eventually401(token), end).toBe(401);
    }
  });

  it('are revoked when a sign-in is refused for the role', async () => {
    const before = seen.length;
    const clientId = await registerClient(server.url);
    const page = await openSignInPage(
      authorizeUrl(server.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: newPkce().challenge, code_challenge_method: 'S256', state: 's' }),
    );
    const refused = await submitSignIn(server.url, page, { email: 'member@example.com', password: 'demo-password', accept_disclaimer: 'yes', action: 'sign_in' });
    expect(refused.status).toBe(403);
    expect(seen.length).toBe(before + 1);
    expect(await eventually401(seen[before]!)).toBe(401);
  });

  it('leave a live session alone', async () => {
    const before = seen.length;
    const { accessToken } = await signIn(server.url);
    const client = await connectWithToken(server.resourceUrl, accessToken);
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await upstreamStatus(seen[before]!)).toBe(200);
  });
});
