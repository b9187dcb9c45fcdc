/**
 * mcp-remote (npm) as the stdio proxy that local-only MCP clients use for remote servers: it runs
 * the OAuth flow itself (discovery, registration, PKCE, a loopback callback on a fixed port), prints
 * the sign-in URL, and Chromium signs in there. The SDK's stdio client then lists tools and calls
 * whoami through the proxy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../helpers/gatehouse.js';
import { structured } from '../../helpers/mcp-client.js';
import { launchChromium, signInInBrowser } from '../browser/chromium.js';
import { freePort } from '../../helpers/free-port.js';
import { BIN, waitForOutput } from './processes.js';

let server: RunningGatehouse;
let browser: Browser;
let configDir: string;

beforeAll(async () => {
  [server, browser, configDir] = await Promise.all([startGatehouse(), launchChromium(), mkdtemp(path.join(os.tmpdir(), 'gatehouse-mcp-remote-'))]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

describe('mcp-remote as a stdio proxy', () => {
  it('signs in through the browser, then lists tools and calls whoami over stdio', async () => {
    const callbackPort = await freePort();
    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN('mcp-remote'), server.resourceUrl, String(callbackPort), '--host', '127.0.0.1', '--allow-http', '--transport', 'http-only'],
      // Its own token cache, and a browser opener that does nothing: the test is the browser.
      env: { ...env, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: 'true' },
      stderr: 'pipe',
    });
    const stderr = transport.stderr as Readable;
    let printed = '';
    stderr.on('data', (chunk) => (printed += String(chunk)));
    const authorizationUrl = waitForOutput(stderr, /Please authorize this client by visiting:\s+(\S+)/, 30_000);

    const client = new Client({ name: 'stdio-client-behind-mcp-remote', version: '1.0.0' });
    const connected = client.connect(transport);
    try {
      const [, url] = await authorizationUrl;
      const requested = new URL(url!);
      expect(requested.origin + requested.pathname).toBe(`${server.url}/authorize`);
      expect(requested.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${callbackPort}/oauth/callback`);
      expect(requested.searchParams.get('code_challenge_method')).toBe('S256');

      const landedOn = await signInInBrowser(browser, url!, { sharePii: true });
      expect(new URL(landedOn).searchParams.get('error')).toBeNull();
      await connected;

      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['whoami', 'search_records', 'create_record']));
      const me = structured<{ account: { email: string }; piiRedaction: string; scopes: string[] }>(await client.callTool({ name: 'whoami', arguments: {} }));
      expect(me.account.email).toBe('admin@example.com');
      expect(me.piiRedaction).toBe('off');
      expect(me.scopes).toEqual(['mcp:read', 'mcp:write']);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- mcp-remote stderr ---\n${printed.slice(-4000)}`);
    } finally {
      await client.close();
    }
  }, 60_000);
});
