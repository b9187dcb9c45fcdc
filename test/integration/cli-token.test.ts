/**
 * `getToken` of the CLI against the real server, with a scripted browser: it opens the sign-in page,
 * posts the form and delivers the redirect to the CLI's loopback callback, optionally altered on the
 * way, as a mix-up attacker or a confused browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/discover.js';
import { getToken } from '../../src/cli/token.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { mcpStatus } from '../helpers/mcp-client.js';
import { openSignInPage, submitSignIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
beforeAll(async () => {
  server = await startGatehouse();
});
afterAll(() => server.close());

/** Signs in on the page at `url` and hands the callback URL, changed by `alter`, to the loopback. */
const browser = (alter: (callback: URL) => void) => async (url: string) => {
  const page = await openSignInPage(url);
  const response = await submitSignIn(server.url, page, { email: 'admin@example.com', password: 'demo-password', accept_disclaimer: 'yes' });
  const callback = new URL(response.headers.get('location')!);
  alter(callback);
  await (await fetch(callback)).arrayBuffer();
  return true;
};

const run = (alter: (callback: URL) => void) => getToken({ url: server.resourceUrl, openBrowser: browser(alter), say: () => {}, timeoutMs: 10_000 });

describe('getToken and the authorization response (RFC 9207)', () => {
  it('accepts the response carrying our issuer', async () => {
    const token = await run(() => {});
    expect(await mcpStatus(server.resourceUrl, token.accessToken)).toBe(200);
  });

  it('refuses a response without iss, as the server advertises authorization_response_iss_parameter_supported', async () => {
    const failure = await run((callback) => callback.searchParams.delete('iss')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).message).toContain('carried no issuer');
  });

  it('refuses a response from another issuer', async () => {
    await expect(run((callback) => callback.searchParams.set('iss', 'https://attacker.example.com'))).rejects.toThrow(`not ${server.url}`);
  });
});
