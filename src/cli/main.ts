#!/usr/bin/env node
/**
 * The `gatehouse` command. `gatehouse token --url https://host/mcp` prints an access token for
 * curl; the process exits 0 with only the token on stdout, or non-zero with the reason on stderr.
 */
import { parseArgs } from 'node:util';
import { CliError } from './discover.js';
import { openBrowser } from './open-browser.js';
import { getToken } from './token.js';

const USAGE = `Usage: gatehouse token --url <MCP URL> [options]

Signs in through the browser and prints an access token (only the token, on stdout):
  TOKEN=$(gatehouse token --url http://localhost:3000/mcp)

Options:
  --url <url>          the server's MCP endpoint, e.g. https://mcp.example.com/mcp (required)
  --scope <scopes>     scopes to ask for (default: what the server offers, e.g. "mcp:read mcp:write")
  --port <port>        fixed loopback port for the browser's answer (default: any free port)
  --client-id <id>     use a registered public client instead of registering one
  --no-browser         do not open a browser; only print the URL to open
  --timeout <seconds>  how long to wait for the sign-in (default 300)
  -h, --help           show this help
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      scope: { type: 'string' },
      port: { type: 'string' },
      'client-id': { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals[0] !== 'token' || positionals.length !== 1) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (!values.url) throw new CliError('--url is required, e.g. --url http://localhost:3000/mcp');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError('--port must be a port number');
  const timeout = values.timeout === undefined ? 300 : Number(values.timeout);
  if (!(timeout > 0)) throw new CliError('--timeout must be a number of seconds');

  const token = await getToken({
    url: values.url,
    scope: values.scope,
    clientId: values['client-id'],
    port,
    timeoutMs: timeout * 1000,
    openBrowser: values['no-browser'] ? undefined : openBrowser,
    say: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(`Signed in${token.scope ? ` (scope: ${token.scope})` : ''}${token.expiresIn ? `; the token is valid for ${Math.round(token.expiresIn / 60)} minutes` : ''}.\n`);
  process.stdout.write(`${token.accessToken}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof CliError || (error instanceof Error && /^(No sign-in arrived|fetch failed)/.test(error.message));
    process.stderr.write(`gatehouse: ${known ? (error as Error).message : String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
    if (error instanceof TypeError && error.message === 'fetch failed') process.stderr.write('Is the server running at that URL?\n');
    process.exit(1);
  },
);
