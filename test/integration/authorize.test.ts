import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { authorizeUrl, newPkce, openSignInPage, REDIRECT_URI, registerClient, submitSignIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
let clientId: string;
const pkce = newPkce();

beforeAll(async () => {
  server = await startGatehouse();
  clientId = await registerClient(server.url);
});
afterAll(() => server.close());

const request = (overrides: Record<string, string | undefined> = {}) =>
  authorizeUrl(server.url, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: 'xyz',
    ...overrides,
  });

describe('GET /authorize', () => {
  it('renders the sign-in page contract with restrictive headers', async () => {
    const response = await fetch(request());
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(response.headers.get('set-cookie')).toMatch(/^gatehouse_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(html).toContain('<form method="post" action="/authorize"');
    for (const name of ['email', 'password', 'accept_disclaimer', 'share_pii', 'read_only', 'interaction', 'csrf']) expect(html).toContain(`name="${name}"`);
    expect(html).toMatch(/id="share_pii" name="share_pii" type="checkbox" value="yes" aria-describedby="share-pii-text">/);
    expect(html).toContain('Test client');
    expect(html).toContain('127.0.0.1:8976');
    expect(html).toContain('Create, change and delete records');
    expect(html).toContain('value="cancel"');
    expect(html).not.toContain('<script');
  });

  it('shows an error page, not a redirect, for an unknown client', async () => {
    const response = await fetch(request({ client_id: 'unknownclient0000000' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not registered');
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI', async () => {
    const response = await fetch(request({ redirect_uri: 'https://attacker.example.com/cb' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('does not match');
  });

  it('accepts the registered loopback redirect URI on another port', async () => {
    const response = await fetch(request({ redirect_uri: 'http://127.0.0.1:51234/callback' }));
    expect(response.status).toBe(200);
  });

  /** The request is redirected to the client with `error`, the state and iss, and no code. */
  async function expectErrorRedirect(url: string | URL, error: string) {
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(server.url);
    expect(location.searchParams.get('code')).toBeNull();
  }

  it.each([
    ['a missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['a missing response type', { response_type: undefined }, 'invalid_request'],
    ['a resource we do not serve', { resource: 'https://other.example.com/mcp' }, 'invalid_target'],
  ])('redirects %s back with an error, the state and iss', async (_name, overrides, error) => {
    await expectErrorRedirect(request(overrides), error);
  });

  // RFC 6749 §4.1.2.1: once the client and redirect URI are known good, a repeated parameter is
  // invalid_request for the client to handle; several resources are a target we do not serve
  // (RFC 8707 §2).
  it.each([
    ['scope', 'invalid_request', () => 'mcp:read'],
    ['code_challenge', 'invalid_request', () => newPkce().challenge],
    ['response_type', 'invalid_request', () => 'code'],
    ['resource', 'invalid_target', () => `${server.url}/mcp`],
  ])('redirects a repeated %s back as %s, with the state and iss', async (name, error, value) => {
    const url = new URL(request({ [name]: value() }));
    url.searchParams.append(name, url.searchParams.get(name)!);
    await expectErrorRedirect(url, error);
  });

  it('redirects a repeated state back as invalid_request without a state (it is ambiguous)', async () => {
    const url = new URL(request());
    url.searchParams.append('state', 'other');
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('state');
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.get('iss')).toBe(server.url);
  });

  it.each([
    ['client_id', () => clientId],
    ['redirect_uri', () => REDIRECT_URI],
  ])('shows an error page, not a redirect, for a repeated %s', async (name, value) => {
    const url = new URL(request());
    url.searchParams.append(name, value());
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(name);
  });

  it('shows an error page for a repeated parameter when the redirect URI is not registered', async () => {
    const url = new URL(request({ redirect_uri: 'https://attacker.example.com/cb' }));
    url.searchParams.append('scope', 'mcp:read');
    url.searchParams.append('scope', 'mcp:write');
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('accepts a state of 2048 characters', async () => {
    const response = await fetch(request({ state: 's'.repeat(2048) }), { redirect: 'manual' });
    expect(response.status).toBe(200);
  });

  it('redirects a longer state back as invalid_request, without echoing it', async () => {
    const response = await fetch(request({ state: 's'.repeat(2049) }), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('2048');
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.get('iss')).toBe(server.url);
  });

  it('shows an error page for a long state when the client is unknown (nothing is redirected)', async () => {
    const response = await fetch(request({ client_id: 'unknownclient0000000', state: 's'.repeat(4000) }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('POST /authorize', () => {
  const form = { email: 'admin@example.com', password: 'demo-password', accept_disclaimer: 'yes', action: 'sign_in' };

  it('redirects with a code, the state and iss after a good sign-in', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, page, form);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(server.url);
  });

  it('re-renders with a generic message and no code on a wrong password', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, page, { ...form, password: 'wrong-password' });
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('The email or password is not correct.');
    expect(html).toContain('value="admin@example.com"');
  });

  it('gives the same message for an account that does not exist', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, page, { ...form, email: 'nobody@example.com' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('The email or password is not correct.');
  });

  it('requires the disclaimer', async () => {
    const page = await openSignInPage(request());
    const { accept_disclaimer: _, ...withoutDisclaimer } = form;
    const response = await submitSignIn(server.url, page, withoutDisclaimer);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Tick the box');
  });

  it('refuses a non-admin account with a clear message', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, page, { ...form, email: 'member@example.com' });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('only administrator accounts can sign in');
  });

  it('refuses a post without the browser cookie (CSRF)', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, { ...page, cookie: 'gatehouse_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, form);
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it('returns access_denied with state and iss on cancel', async () => {
    const page = await openSignInPage(request());
    const response = await submitSignIn(server.url, page, { action: 'cancel' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(server.url);
  });

  it('cannot be finished twice', async () => {
    const page = await openSignInPage(request());
    expect((await submitSignIn(server.url, page, form)).status).toBe(303);
    const again = await submitSignIn(server.url, page, form);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('expired');
  });

  it('throttles repeated failures for one account', async () => {
    const email = 'location-admin@example.com';
    let last: Response | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      const page = await openSignInPage(request());
      last = await submitSignIn(server.url, page, { ...form, email, password: `wrong-${attempt}` });
    }
    expect(last!.status).toBe(429);
    expect(await last!.text()).toContain('Too many failed sign-in attempts');
    const page = await openSignInPage(request());
    const correct = await submitSignIn(server.url, page, { ...form, email });
    expect(correct.status).toBe(429);
  });

  it('never writes the password, the code or the e-mail to the logs', async () => {
    const joined = server.logs.join('\n');
    expect(joined).not.toContain('demo-password');
    expect(joined).not.toContain('wrong-password');
    expect(joined).not.toContain('admin@example.com');
    expect(joined).not.toContain('code_challenge=');
    expect(joined).toContain('"msg":"request completed"');
  });
});
