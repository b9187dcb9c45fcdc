/**
 * The callback URLs that the MCP clients in the README's guides register (and the URL they then
 * request), each accepted by default: registrable, and matched at /authorize.
 */
import { describe, expect, it } from 'vitest';
import { checkRedirectUri, redirectUriMatches } from '../../../src/oauth/redirect-uri.js';
import { localRedirectTarget } from '../../../src/interaction/sign-in-view.js';

const CALLBACKS: Array<{ client: string; registered: string; requested?: string; local: boolean }> = [
  { client: 'Claude (claude.ai, Claude Desktop)', registered: 'https://claude.ai/api/mcp/auth_callback', local: false },
  { client: 'Claude (claude.com)', registered: 'https://claude.com/api/mcp/auth_callback', local: false },
  { client: 'ChatGPT developer mode', registered: 'https://chatgpt.com/connector_platform_oauth_redirect', local: false },
  { client: 'Claude Code', registered: 'http://localhost:54212/callback', requested: 'http://localhost:61234/callback', local: true },
  { client: 'VS Code (web redirect)', registered: 'https://vscode.dev/redirect', local: false },
  { client: 'VS Code Insiders (web redirect)', registered: 'https://insiders.vscode.dev/redirect', local: false },
  { client: 'VS Code (loopback, default port)', registered: 'http://127.0.0.1:33418/', local: true },
  { client: 'VS Code (loopback, port taken)', registered: 'http://127.0.0.1:33418/', requested: 'http://127.0.0.1:59656/', local: true },
  { client: 'Cursor (current)', registered: 'cursor://anysphere.cursor-mcp/oauth/callback', local: true },
  { client: 'Cursor (older)', registered: 'cursor://anysphere.cursor-retrieval/oauth/user-gatehouse/callback', local: true },
  { client: 'Cursor agents', registered: 'https://www.cursor.com/agents/mcp/oauth/callback', local: false },
  { client: 'mcp-remote', registered: 'http://127.0.0.1:3334/oauth/callback', requested: 'http://127.0.0.1:41000/oauth/callback', local: true },
  { client: 'gatehouse token', registered: 'http://127.0.0.1:40123/callback', local: true },
];

describe('callback URLs of the documented clients', () => {
  it.each(CALLBACKS)('accepts $client: $registered', ({ registered, requested, local }) => {
    expect(checkRedirectUri(registered)).toBeUndefined();
    expect(redirectUriMatches(registered, requested ?? registered)).toBe(true);
    expect(localRedirectTarget(requested ?? registered) !== undefined).toBe(local);
  });

  it.each([
    ['another path on a loopback port', 'http://127.0.0.1:33418/', 'http://127.0.0.1:59656/other'],
    ['another https host', 'https://claude.ai/api/mcp/auth_callback', 'https://claude.ai.example.com/api/mcp/auth_callback'],
    ['another custom-scheme path', 'cursor://anysphere.cursor-mcp/oauth/callback', 'cursor://anysphere.cursor-mcp/oauth/other'],
  ])('still refuses %s', (_name, registered, requested) => {
    expect(redirectUriMatches(registered, requested)).toBe(false);
  });
});
