import { describe, expect, it } from 'vitest';
import { checkRedirectUri, redirectUriMatches } from '../../../src/oauth/index.js';

describe('checkRedirectUri', () => {
  it.each([
    'https://claude.ai/api/mcp/auth_callback',
    'https://chatgpt.com/connector_platform_oauth_redirect',
    'http://127.0.0.1:33418/callback',
    'http://localhost/callback',
    'http://[::1]:8080/cb',
    'cursor://anysphere.cursor-retrieval/oauth/user-gatehouse/callback',
    'vscode://vscode.github-authentication/did-authenticate',
  ])('accepts %s', (uri) => {
    expect(checkRedirectUri(uri)).toBeUndefined();
  });

  it.each([
    ['javascript:alert(1)', 'scheme'],
    ['data:text/html,hi', 'scheme'],
    ['http://evil.example.com/cb', 'https'],
    ['https://claude.ai/cb#fragment', 'fragment'],
    ['https://user:pw@claude.ai/cb', 'credentials'],
    ['/relative/callback', 'absolute'],
  ])('refuses %s', (uri, reason) => {
    expect(checkRedirectUri(uri)).toContain(reason);
  });
});

describe('redirectUriMatches', () => {
  it('matches https URIs exactly', () => {
    expect(redirectUriMatches('https://claude.ai/cb', 'https://claude.ai/cb')).toBe(true);
    expect(redirectUriMatches('https://claude.ai/cb', 'https://claude.ai/cb/')).toBe(false);
    expect(redirectUriMatches('https://claude.ai/cb', 'https://claude.ai:8443/cb')).toBe(false);
    expect(redirectUriMatches('https://claude.ai/cb', 'https://claude.ai/cb?x=1')).toBe(false);
  });

  it('matches loopback http on any port, but nothing else about it', () => {
    expect(redirectUriMatches('http://127.0.0.1/callback', 'http://127.0.0.1:49152/callback')).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1:3000/callback', 'http://127.0.0.1:49152/callback')).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1/callback', 'http://127.0.0.1:49152/other')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/callback', 'http://localhost:49152/callback')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/callback', 'https://127.0.0.1:49152/callback')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/callback', 'http://127.0.0.1:49152/callback#x')).toBe(false);
  });
});
