import { describe, expect, it } from 'vitest';
import type { Branding } from '../../../src/config.js';
import type { PendingAuthorization } from '../../../src/oauth/index.js';
import { buildSignInView, describeDuration, describeWait, localRedirectTarget, safeLogoUrl } from '../../../src/interaction/sign-in-view.js';
import { errorHint } from '../../../src/interaction/error-page.js';

const branding: Branding = { productName: 'Acme <Spaces>', logoUrl: 'https://cdn.example.com/logo.svg', accentColor: '#123456', supportUrl: 'mailto:help@example.com' };
const pending = (overrides: Partial<PendingAuthorization> = {}): PendingAuthorization => ({
  id: 'interaction-id-0001',
  clientId: 'client-1',
  clientName: 'Claude',
  clientUri: undefined,
  logoUri: undefined,
  redirectUri: 'https://claude.ai/api/mcp/auth_callback',
  redirectUriGiven: true,
  redirectHost: 'claude.ai',
  state: 's',
  codeChallenge: 'x'.repeat(43),
  scopes: ['mcp:read', 'mcp:write'],
  resource: 'https://mcp.example.com/mcp',
  expiresAt: 0,
  ...overrides,
});
const view = (overrides: Partial<PendingAuthorization> = {}, extra: Partial<Parameters<typeof buildSignInView>[1]> = {}) =>
  buildSignInView(pending(overrides), { branding, sessionLength: '8 hours', interaction: 'interaction-id-0001', csrf: 'csrf', ...extra });

describe('localRedirectTarget', () => {
  it.each([
    ['http://127.0.0.1:8976/callback', '127.0.0.1'],
    ['http://localhost:3000/cb', 'localhost'],
    ['http://[::1]:3000/cb', '[::1]'],
    ['cursor://anysphere.cursor-mcp/oauth/callback', 'cursor:// link'],
    ['https://claude.ai/api/mcp/auth_callback', undefined],
    ['http://example.com/cb', undefined],
    ['https://127.0.0.1/cb', undefined],
  ])('%s → %s', (uri, expected) => {
    expect(localRedirectTarget(uri)).toBe(expected);
  });
});

describe('safeLogoUrl', () => {
  it.each([
    ['https://claude.ai/logo.png', 'https://claude.ai/logo.png'],
    ['http://claude.ai/logo.png', undefined],
    ['data:image/png;base64,AAAA', undefined],
    ['javascript:alert(1)', undefined],
    ['https://user:pw@example.com/logo.png', undefined],
    [undefined, undefined],
  ])('%s → %s', (uri, expected) => {
    expect(safeLogoUrl(uri)).toBe(expected);
  });
});

describe('buildSignInView', () => {
  it('names the host the browser goes back to for a web client, without the local notice', () => {
    const values = view();
    expect(values.destination).toContain('<strong>claude.ai</strong>');
    expect(values.destination).not.toContain('this computer');
  });

  it('shows the local notice for a loopback redirect', () => {
    expect(view({ redirectUri: 'http://127.0.0.1:8976/callback', redirectHost: '127.0.0.1:8976' }).destination).toContain('This app will receive access on this computer (127.0.0.1)');
  });

  it('escapes the client logo and shows it only over https', () => {
    expect(view({ logoUri: 'https://claude.ai/logo.png?a=1&b="2"' }).clientLogo).toBe('<img class="client-logo" src="https://claude.ai/logo.png?a=1&amp;b=%222%22" alt="" width="48" height="48">');
    expect(view({ logoUri: 'http://claude.ai/logo.png' }).clientLogo).toBe('');
  });

  it('escapes branding and builds the support link', () => {
    const values = view();
    expect(values.productName).toBe('Acme <Spaces>');
    expect(values.brandMark).toContain('src="https://cdn.example.com/logo.svg"');
    expect(values.supportBlock).toContain('<a href="mailto:help@example.com">help@example.com</a>');
  });

  it('ties an error to its fields and focuses the first one', () => {
    const values = view({}, { error: { message: 'Wrong <b>', fields: ['email', 'password'] }, state: { email: 'a@example.com' } });
    expect(values.errorBlock).toBe('<p class="error" role="alert" id="form-error">Wrong &lt;b&gt;</p>');
    expect(values.emailAttributes).toBe(' aria-invalid="true" aria-describedby="form-error" autofocus');
    expect(values.passwordAttributes).toBe(' aria-invalid="true" aria-describedby="form-error"');
    expect(values.disclaimerAttributes).toBe(' aria-describedby="disclaimer-text"');
  });

  it('focuses the password when the email is already filled in and nothing is wrong', () => {
    const values = view({}, { state: { email: 'a@example.com', acceptDisclaimer: true } });
    expect(values.emailAttributes).toBe('');
    expect(values.passwordAttributes).toBe(' autofocus');
    expect(values.disclaimerAttributes).toBe(' aria-describedby="disclaimer-text" checked');
  });

  it('falls back to a neutral name for a client without one', () => {
    expect(view({ clientName: '  ' }).clientName).toBe('An unnamed application');
  });
});

describe('describeDuration', () => {
  it.each([
    [8 * 3_600_000, '8 hours'],
    [3_600_000, '1 hour'],
    [90 * 60_000, '90 minutes'],
    [15 * 60_000, '15 minutes'],
    [30_000, '30 seconds'],
  ])('%s ms → %s', (ms, words) => {
    expect(describeDuration(ms)).toBe(words);
  });
});

describe('describeWait', () => {
  it.each([
    [0.2, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [270, '5 minutes'],
    [900, '15 minutes'],
    [3600, '1 hour'],
  ])('%s s → %s (never less than the wait)', (seconds, words) => {
    expect(describeWait(seconds)).toBe(words);
  });
});

describe('errorHint', () => {
  it.each([
    ['invalid_client', 'This application is not registered with this server (unknown client_id).', /add it again/],
    ['invalid_request', 'The redirect_uri does not match any redirect URI registered for this application.', /Do not sign in from this link/],
    ['invalid_request', 'The sign-in request expired or was already used.', /10 minutes/],
    ['invalid_request', 'The client_id parameter is missing.', undefined],
  ])('%s: %s', (code, message, hint) => {
    const text = errorHint(code, message);
    if (hint === undefined) expect(text).toBeUndefined();
    else expect(text).toMatch(hint);
  });
});
