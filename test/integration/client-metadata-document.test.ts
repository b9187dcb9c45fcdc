import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/oauth/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, exchangeCode, newPkce, openSignInPage, REDIRECT_URI, submitSignIn } from '../helpers/oauth-flow.js';

/** A client's own web server publishing its metadata documents. */
let documents: Server;
let documentsUrl: string;
const hits: Record<string, number> = {};
const bodies: Record<string, (url: string) => unknown> = {
  '/good/client.json': (url) => ({ client_id: url, client_name: 'Metadata Document Client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
  '/mismatch/client.json': () => ({ client_id: 'https://someone-else.example.com/client.json', redirect_uris: [REDIRECT_URI] }),
  '/dangerous/client.json': (url) => ({ client_id: url, redirect_uris: ['javascript:alert(1)'] }),
  '/huge/client.json': (url) => ({ client_id: url, redirect_uris: [REDIRECT_URI], client_name: 'x'.repeat(100), padding: 'y'.repeat(64 * 1024) }),
};

let server: RunningGatehouse;
let strict: RunningGatehouse;

beforeAll(async () => {
  documents = createServer((req, res) => {
    hits[req.url!] = (hits[req.url!] ?? 0) + 1;
    const body = bodies[req.url!];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(JSON.stringify(body(`${documentsUrl}${req.url}`)));
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  documentsUrl = `http://127.0.0.1:${(documents.address() as { port: number }).port}`;
  server = await startGatehouse({ env: { DANGEROUSLY_ALLOW_PRIVATE_CLIENT_METADATA: 'true' } });
  strict = await startGatehouse();
});
afterAll(async () => {
  await server.close();
  await strict.close();
  documents.close();
});

const open = (gatehouse: RunningGatehouse, clientId: string, pkce = newPkce()) =>
  openSignInPage(authorizeUrl(gatehouse.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 's' }));

describe('client ID metadata documents', () => {
  it('is advertised', async () => {
    const metadata = (await (await fetch(`${strict.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it('signs in a client identified by its metadata URL, fetching the document once', async () => {
    const clientId = `${documentsUrl}/good/client.json`;
    const pkce = newPkce();
    const page = await open(server, clientId, pkce);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Metadata Document Client');
    const response = await submitSignIn(server.url, page, { email: 'admin@example.com', password: 'demo-password', accept_disclaimer: 'yes' });
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    const token = await exchangeCode(server.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier, client_id: clientId });
    expect(token.status).toBe(200);
    const claims = JSON.parse(Buffer.from(((await token.json()) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString());
    expect(claims.client_id).toBe(clientId);
    expect(hits['/good/client.json']).toBe(1);
  });

  it.each([
    ['a document whose client_id is another URL', '/mismatch/client.json'],
    ['a document with a dangerous redirect URI', '/dangerous/client.json'],
    ['a document over the size limit', '/huge/client.json'],
    ['a missing document', '/missing/client.json'],
  ])('refuses %s', async (_name, path) => {
    const page = await open(server, `${documentsUrl}${path}`);
    expect(page.status).toBe(400);
    expect(page.html).not.toContain('name="password"');
  });

  it('never fetches from loopback or private addresses, or over http, by default', async () => {
    const before = hits['/good/client.json'] ?? 0;
    for (const clientId of [`${documentsUrl}/good/client.json`, `https://127.0.0.1:${new URL(documentsUrl).port}/good/client.json`, 'https://10.1.2.3/client.json', 'https://[::1]/client.json']) {
      const page = await open(strict, clientId);
      expect(page.status, clientId).toBe(400);
    }
    expect(hits['/good/client.json'] ?? 0).toBe(before);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.0.0.8', true],
    ['172.20.1.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
  ])('classifies %s as private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
