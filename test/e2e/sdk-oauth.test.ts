/**
 * The whole product path with the official MCP SDK client and its OAuth support, against a real
 * listening Gatehouse: 401 → discovery → dynamic registration → /authorize (the sign-in form posted
 * as a browser would) → code with PKCE → token → tools/list → tools/call.
 */
import { Client, StreamableHTTPClientTransport, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { openSignInPage, submitSignIn } from '../helpers/oauth-flow.js';
import { clientOptionsFor, PROTOCOL_REVISIONS, structured } from '../helpers/mcp-client.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse();
});
afterAll(() => server.close());

class TestOAuthProvider implements OAuthClientProvider {
  clientInfo: unknown;
  savedTokens: unknown;
  verifier = '';
  authorizationUrl: URL | undefined;

  get redirectUrl() {
    return 'http://127.0.0.1:43117/oauth/callback';
  }
  get clientMetadata() {
    return {
      client_name: 'SDK e2e client',
      redirect_uris: ['http://127.0.0.1:43117/oauth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.clientInfo as never;
  }
  saveClientInformation(info: unknown) {
    this.clientInfo = info;
  }
  tokens() {
    return this.savedTokens as never;
  }
  saveTokens(tokens: unknown) {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** What the person does in the browser: open the page, fill in the form, submit; returns the callback URL. */
async function personSignsIn(authorizationUrl: URL, email: string): Promise<URL> {
  const page = await openSignInPage(authorizationUrl.toString());
  expect(page.status).toBe(200);
  expect(page.html).toContain('SDK e2e client');
  const response = await submitSignIn(server.url, page, { email, password: 'demo-password', accept_disclaimer: 'yes', action: 'sign_in' });
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

async function connectThroughOAuth(revision: (typeof PROTOCOL_REVISIONS)[number], email = 'admin@example.com') {
  const provider = new TestOAuthProvider();
  const url = new URL(server.resourceUrl);
  const first = new Client({ name: 'sdk-e2e', version: '1.0.0' }, clientOptionsFor(revision));
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).toBeDefined();
  const authorizationUrl = provider.authorizationUrl!;
  expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${server.url}/authorize`);
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorizationUrl.searchParams.get('resource')).toBe(server.resourceUrl);

  const callback = await personSignsIn(authorizationUrl, email);
  expect(callback.searchParams.get('iss')).toBe(server.url);
  await transport.finishAuth(callback.searchParams);

  const client = new Client({ name: 'sdk-e2e', version: '1.0.0' }, clientOptionsFor(revision));
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return { client, provider };
}

describe('the official MCP SDK client with OAuth', () => {
  it.each(PROTOCOL_REVISIONS)('signs in as the admin and searches members with personal data redacted (%s)', async (revision) => {
    const { client } = await connectThroughOAuth(revision);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['search_records', 'whoami', 'create_record']));
      const result = await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 20 } });
      expect(result.isError).toBeFalsy();
      const text = JSON.stringify(result);
      expect(text).not.toMatch(/[\w.+-]+@example\.(com|org|net)/);
      expect(text).not.toMatch(/\+\d{1,3}[ \d-]{8,}/);
      const page = structured<{ records: Array<{ fullName: string; mobilePhone: string }> }>(result);
      expect(page.records).toHaveLength(20);
      for (const record of page.records) {
        expect(record.fullName).toMatch(/^«PII:NAME:[0-9a-f]+»$/);
        expect(record.mobilePhone).toMatch(/^«PII:PHONE:[0-9a-f]+»$/);
      }
    } finally {
      await client.close();
    }
  });

  it('lets the member account not sign in at all', async () => {
    const provider = new TestOAuthProvider();
    const transport = new StreamableHTTPClientTransport(new URL(server.resourceUrl), { authProvider: provider });
    await expect(new Client({ name: 'sdk-e2e', version: '1.0.0' }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await openSignInPage(provider.authorizationUrl!.toString());
    const response = await submitSignIn(server.url, page, { email: 'member@example.com', password: 'demo-password', accept_disclaimer: 'yes' });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });
});
