/**
 * Runs the official MCP conformance suite's server scenarios that apply to Gatehouse against a real
 * Gatehouse process. The suite cannot sign in, so a loopback proxy adds a bearer token obtained
 * through the real OAuth flow; the scenarios then see exactly what a signed-in client sees.
 * Needs Node 22 for the suite (fetched with npx). Usage: npm run conformance
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnGateway } from '../helpers/gateway-process.js';
import { signIn } from '../helpers/oauth-flow.js';

const SUITE = '@modelcontextprotocol/conformance@0.1.16';
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

const gateway = await spawnGateway({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'gatehouse-conformance-')), LOG_LEVEL: 'warn' });
const base = gateway.url.replace('127.0.0.1', 'localhost');
const { accessToken } = await signIn(base);
const target = new URL(gateway.url);
const proxy = createServer((req, res) => {
  const outbound = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${accessToken}` } }, (reply) => {
    res.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(res);
  });
  req.pipe(outbound);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/mcp`;

let failed = 0;
for (const scenario of SCENARIOS) {
  try {
    // Asynchronous on purpose: the proxy in this process must keep serving while the suite runs.
    const { stdout: output } = await promisify(execFile)('npx', ['-y', '-p', 'node@22', '-p', SUITE, 'conformance', 'server', '--url', proxyUrl, '--scenario', scenario], { encoding: 'utf8' });
    process.stdout.write(output.split('\n').filter((line) => /SUCCESS|FAIL|Passed|WARN/.test(line)).join('\n') + '\n');
    if (!/0 failed/.test(output)) failed++;
  } catch (error) {
    failed++;
    process.stdout.write(`${scenario}: ${String((error as { stdout?: string }).stdout ?? error)}\n`);
  }
}
proxy.close();
await gateway.stop();
process.stdout.write(failed === 0 ? `conformance: all ${SCENARIOS.length} scenarios passed\n` : `conformance: ${failed} scenario(s) failed\n`);
process.exit(failed === 0 ? 0 : 1);
