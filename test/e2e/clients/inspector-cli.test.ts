/**
 * MCP Inspector's CLI mode (npm @modelcontextprotocol/inspector) as a client that already holds a
 * bearer token, the way a developer checks a server: tools/list and tools/call over Streamable HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../helpers/gatehouse.js';
import { signIn } from '../../helpers/oauth-flow.js';
import { BIN, runNode } from './processes.js';

let server: RunningGatehouse;
let catalogDir: string;
let token: string;

beforeAll(async () => {
  [server, catalogDir] = await Promise.all([startGatehouse(), mkdtemp(path.join(os.tmpdir(), 'gatehouse-inspector-'))]);
  token = (await signIn(server.url, { readOnly: true })).accessToken;
});
afterAll(async () => {
  await server?.close();
  if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
});

function inspector(bearer: string, ...method: string[]) {
  return runNode([BIN('mcp-inspector'), '--cli', server.resourceUrl, '--transport', 'http', '--header', `Authorization: Bearer ${bearer}`, ...method], {
    // Its catalog of servers goes to a temporary file, not the home directory.
    env: { MCP_CATALOG_PATH: path.join(catalogDir, 'mcp.json') },
  }).done;
}

describe('MCP Inspector CLI with a bearer token', () => {
  it('lists the tools of a read-only session (no write tools)', async () => {
    const result = await inspector(token, '--method', 'tools/list');
    expect(result.code, result.stderr).toBe(0);
    const names = (JSON.parse(result.stdout) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['whoami', 'search_records', 'get_record']));
    expect(names).not.toContain('delete_record');
  });

  it('calls whoami and search_records', async () => {
    const whoami = await inspector(token, '--method', 'tools/call', '--tool-name', 'whoami');
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout).structuredContent).toMatchObject({ readOnly: true, scopes: ['mcp:read'], piiRedaction: 'on' });

    const search = await inspector(token, '--method', 'tools/call', '--tool-name', 'search_records', '--tool-arg', 'type=members', 'pageSize=2');
    expect(search.code, search.stderr).toBe(0);
    const page = JSON.parse(search.stdout).structuredContent as { records: Array<{ fullName: string }> };
    expect(page.records).toHaveLength(2);
    for (const record of page.records) expect(record.fullName).toMatch(/^«PII:NAME:[0-9a-f]+»$/);
  });

  it('is refused without a valid token', async () => {
    const result = await inspector('not-a-token', '--method', 'tools/list');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/auth|401|unauthori[sz]ed/i);
  });
});
