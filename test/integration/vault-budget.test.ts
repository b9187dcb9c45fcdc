/**
 * PII_VAULT_ENTRIES bounds what the vaults of one process hold together: beyond it the least
 * recently used session's vault goes, and its tokens stop resolving until the assistant searches
 * again (memory store: nothing to reload them from).
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { connectWithToken, structured } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startGatehouse({ env: { PII_VAULT_ENTRIES: '1000' } });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await server.close();
});

async function connect(): Promise<Client> {
  const client = await connectWithToken(server.resourceUrl, (await signIn(server.url)).accessToken);
  clients.push(client);
  return client;
}

type Page = { records: Array<{ id: string; email: string }> };
const search = async (client: Client, pageSize: number) => structured<Page>(await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize, sort: 'id' } }));
const byEmail = (client: Client, email: string) => client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email } } });

describe('PII_VAULT_ENTRIES', () => {
  it("drops the least recently used session's vault beyond it, and searching again brings its tokens back", async () => {
    const first = await connect();
    const email = (await search(first, 5)).records[0]!.email;
    expect((await byEmail(first, email)).isError).toBeFalsy();

    // Another session learns more than the bound on its own: the first session's vault goes.
    const second = await connect();
    expect((await search(second, 100)).records).toHaveLength(100);

    const refused = await byEmail(first, email);
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('Search again');
    const again = (await search(first, 5)).records[0]!.email;
    expect(again).toBe(email); // the same token: same session secret, same value
    expect((await byEmail(first, again)).isError).toBeFalsy();
  });
});
