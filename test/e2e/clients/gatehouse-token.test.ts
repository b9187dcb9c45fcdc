/**
 * `gatehouse token` as a developer runs it: the real CLI process discovers the server, registers,
 * prints the sign-in URL on stderr (no browser opener here: --no-browser), Chromium signs in, and
 * only the access token comes out on stdout, ready for curl.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../helpers/gatehouse.js';
import { connectWithToken, structured } from '../../helpers/mcp-client.js';
import { launchChromium, signInInBrowser } from '../browser/chromium.js';
import { runNode, waitForOutput } from './processes.js';

let server: RunningGatehouse;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startGatehouse(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const cli = (...args: string[]) => runNode(['--import', 'tsx', 'src/cli/main.ts', ...args]);

describe('gatehouse token', () => {
  it('prints only an access token that works for tools/list and tools/call', async () => {
    const { child, done } = cli('token', '--url', server.resourceUrl, '--no-browser');
    const [url] = await waitForOutput(child.stderr!, /http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    const authorizationUrl = new URL(url);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorizationUrl.searchParams.get('resource')).toBe(server.resourceUrl);

    const landedOn = await signInInBrowser(browser, url, { sharePii: false });
    expect(landedOn).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(result.stderr).toContain('Signed in (scope: mcp:read mcp:write)');

    const client = await connectWithToken(server.resourceUrl, result.stdout.trim());
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('whoami');
      const me = structured<{ piiRedaction: string; scopes: string[] }>(await client.callTool({ name: 'whoami', arguments: {} }));
      expect(me).toMatchObject({ piiRedaction: 'on', scopes: ['mcp:read', 'mcp:write'] });
    } finally {
      await client.close();
    }
  });

  it('exits non-zero with nothing on stdout when the person cancels', async () => {
    const { child, done } = cli('token', '--url', server.resourceUrl, '--no-browser');
    const [url] = await waitForOutput(child.stderr!, /http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((landed) => landed.pathname === '/callback');
    await expect(page.locator('h1').innerText()).resolves.toBe('Not signed in');
    await context.close();
    const result = await done;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Not signed in: access_denied');
  });

  it('says what is wrong when the URL is not a protected MCP endpoint', async () => {
    const result = await cli('token', '--url', `${server.url}/healthz`).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('did not ask for a token');
  });

  it('refuses plain http to a host that is not loopback', async () => {
    const result = await cli('token', '--url', 'http://mcp.example.com/mcp').done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must use https');
  });
});
