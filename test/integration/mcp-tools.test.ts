import { describe, expect, it } from 'vitest';
import { PROTOCOL_REVISIONS, structured } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';
import { signedInClients } from '../helpers/signed-in-clients.js';

const gatehouse = signedInClients();
const connect = gatehouse.connect.bind(gatehouse);

/** The upstream as the test's own oracle: what the account system really holds. */
async function upstreamAs(email: string) {
  const response = await fetch(`${gatehouse.server.upstreamUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: email, password: 'demo-password' }).toString(),
  });
  const { access_token } = (await response.json()) as { access_token: string };
  const call = async (path: string, init: RequestInit = {}) =>
    fetch(`${gatehouse.server.upstreamUrl}${path}`, { ...init, headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', ...init.headers } });
  return { token: access_token, call };
}

interface SearchResult {
  records: Array<Record<string, unknown>>;
  total: number;
  piiRedaction: 'on' | 'off';
}

const ALL_TOOLS = ['list_entity_types', 'describe_entity_type', 'search_records', 'get_record', 'create_record', 'update_record', 'delete_record', 'run_command', 'whoami', 'reauthenticate'];
const WRITE_TOOLS = ['create_record', 'update_record', 'delete_record', 'run_command'];

describe('MCP tools through the official SDK client', () => {
  it.each(PROTOCOL_REVISIONS)('serves protocol revision %s without sticky state', async (revision) => {
    const { client } = await connect({}, revision);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...ALL_TOOLS].sort());
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
  });

  it('describes every tool with annotations and an input schema', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toBeDefined();
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.description!.length).toBeGreaterThan(20);
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('search_records')!.annotations!.readOnlyHint).toBe(true);
    expect(byName.get('delete_record')!.annotations!.destructiveHint).toBe(true);
  });

  it('redacts every catalog PII field of members by default, and shows them when the person opts in', async () => {
    const { client: redacted } = await connect();
    const { client: shared } = await connect({ sharePii: true });
    const args = { name: 'search_records', arguments: { type: 'members', pageSize: 50, sort: 'id' } };
    const hidden = structured<SearchResult>(await redacted.callTool(args));
    const visible = structured<SearchResult>(await shared.callTool(args));
    expect(hidden.piiRedaction).toBe('on');
    expect(visible.piiRedaction).toBe('off');
    expect(hidden.records).toHaveLength(50);

    const { call } = await upstreamAs('admin@example.com');
    const catalog = (await (await call('/api/entities/members')).json()) as { fields: Array<{ name: string; pii: string | null }> };
    const piiFields = catalog.fields.filter((field) => field.pii !== null).map((field) => field.name);
    expect(piiFields).toEqual(expect.arrayContaining(['fullName', 'email', 'mobilePhone']));

    const hiddenText = JSON.stringify(await redacted.callTool(args));
    for (const record of visible.records) {
      for (const field of piiFields) {
        const value = record[field];
        if (typeof value !== 'string' || value.length < 4) continue;
        expect(hiddenText, `${field} of ${String(record.id)}`).not.toContain(value);
      }
    }
    const first = hidden.records[0]!;
    expect(first.email).toMatch(/^«PII:EMAIL:[0-9a-f]{8,}»$/);
    expect(first.fullName).toMatch(/^«PII:NAME:[0-9a-f]{8,}»$/);
    expect(first.id).toBe(visible.records[0]!.id);
    expect(String(visible.records[0]!.email)).toContain('@');
  });

  it('resolves a PII token passed back in a filter, so the assistant can act on a redacted record', async () => {
    const { client } = await connect();
    const page = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 5, sort: 'id' } }));
    const target = page.records[3]!;
    const found = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: target.email } } }));
    expect(found.records.map((record) => record.id)).toEqual([target.id]);
    expect(found.records[0]!.email).toBe(target.email);
  });

  it('refuses a PII token that another session issued', async () => {
    const { client: one } = await connect();
    const { client: two } = await connect();
    const page = structured<SearchResult>(await one.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 1 } }));
    const result = await two.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: page.records[0]!.email } } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('did not issue');
  });

  it('shows the location admin only the records of its location', async () => {
    const { call } = await upstreamAs('location-admin@example.com');
    const me = (await (await call('/api/me')).json()) as { locations: Array<{ id: string }> };
    expect(me.locations).toHaveLength(1);
    const { client } = await connect({ email: 'location-admin@example.com' });
    for (const type of ['members', 'bookings']) {
      const page = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type, pageSize: 200 } }));
      expect(page.records.length).toBeGreaterThan(0);
      expect(new Set(page.records.map((record) => record.locationId))).toEqual(new Set([me.locations[0]!.id]));
    }
  });

  it('passes the upstream permission message when the read-only admin tries to write', async () => {
    const { client } = await connect({ email: 'readonly@example.com' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain('create_record');
    // The upstream role alone makes the session read-only; the guard refuses the write before the upstream sees it.
    const raw = await fetch(gatehouse.server.resourceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${(await signIn(gatehouse.server.url, { email: 'readonly@example.com' })).accessToken}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'update_record', arguments: { type: 'members', id: 'x', data: {} } } }),
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('hides write tools and answers 403 insufficient_scope when the person ticks read only', async () => {
    const { client, accessToken } = await connect({ readOnly: true });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
    const response = await fetch(gatehouse.server.resourceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'delete_record', arguments: { type: 'members', id: 'mem_000001' } } }),
    });
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate')!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:read mcp:write"');
    expect(challenge).toContain('resource_metadata=');
  });

  it('creates, updates, runs a command on and deletes a record as the admin', async () => {
    const { client } = await connect({ sharePii: true });
    const types = structured<{ entityTypes: Array<{ type: string }> }>(await client.callTool({ name: 'list_entity_types', arguments: {} }));
    expect(types.entityTypes.map((type) => type.type)).toEqual(expect.arrayContaining(['members', 'bookings', 'invoices']));
    const description = structured<{ entityType: { fields: Array<{ name: string; required: boolean; readOnly: boolean; type: string; enum?: string[] }>; commands: Array<{ name: string }> } }>(
      await client.callTool({ name: 'describe_entity_type', arguments: { type: 'members' } }),
    );
    expect(description.entityType.commands.map((command) => command.name)).toContain('archive');

    const someMember = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 1 } })).records[0]!;
    const data: Record<string, unknown> = {};
    for (const field of description.entityType.fields) {
      if (!field.required || field.readOnly) continue;
      data[field.name] = field.name === 'email' ? 'new.member@example.com' : someMember[field.name];
    }
    const created = await client.callTool({ name: 'create_record', arguments: { type: 'members', data } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const id = String(structured<{ record: { id: string } }>(created).record.id);

    const updated = await client.callTool({ name: 'update_record', arguments: { type: 'members', id, data: { notes: 'Prefers the quiet room.' } } });
    expect(structured<{ record: { notes: string } }>(updated).record.notes).toBe('Prefers the quiet room.');
    const archived = await client.callTool({ name: 'run_command', arguments: { type: 'members', id, command: 'archive' } });
    expect(archived.isError, JSON.stringify(archived.content)).toBeFalsy();
    expect((await client.callTool({ name: 'delete_record', arguments: { type: 'members', id } })).isError).toBeFalsy();
    const gone = await client.callTool({ name: 'get_record', arguments: { type: 'members', id } });
    expect(gone.isError).toBe(true);
    expect(structured<{ code: string }>(gone).code).toBe('not_found');
  });

  it('explains the session and the PII mode in whoami, with the account redacted', async () => {
    const { client } = await connect();
    const me = structured<{ account: { name: string; email: string; roles: string[] }; scopes: string[]; personalData: string; sessionEndsAt: string }>(
      await client.callTool({ name: 'whoami', arguments: {} }),
    );
    expect(me.account.email).toMatch(/^«PII:EMAIL:/);
    expect(me.account.roles).toContain('admin');
    expect(me.scopes).toEqual(['mcp:read', 'mcp:write']);
    expect(me.personalData).toContain('sign in again');
    expect(Date.parse(me.sessionEndsAt) - Date.now()).toBeGreaterThan(7.9 * 3_600_000);
  });

  it('ends the session on purpose with reauthenticate; the next request gets 401', async () => {
    const { client, accessToken } = await connect();
    const result = await client.callTool({ name: 'reauthenticate', arguments: {} });
    expect(structured<{ sessionEnded: boolean }>(result).sessionEnded).toBe(true);
    const next = await fetch(gatehouse.server.resourceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(next.status).toBe(401);
    expect(next.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('ends the session when the upstream password changes, telling the assistant to sign in again', async () => {
    const { client, accessToken } = await connect({ email: 'location-admin@example.com' });
    const { call } = await upstreamAs('location-admin@example.com');
    const change = await call('/api/me/password', { method: 'POST', body: JSON.stringify({ currentPassword: 'demo-password', newPassword: 'changed-password-2' }) });
    expect(change.status).toBeLessThan(300);
    const result = await client.callTool({ name: 'search_records', arguments: { type: 'members' } });
    expect(result.isError).toBe(true);
    expect(structured<{ code: string }>(result).code).toBe('reauthenticate_required');
    expect(JSON.stringify(result.content)).toContain('Sign in again');
    const next = await fetch(gatehouse.server.resourceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(next.status).toBe(401);
  });

  it('keeps personal data and tokens out of the logs', async () => {
    const joined = gatehouse.server.logs.join('\n');
    expect(joined).not.toMatch(/[\w.+-]+@example\.(com|org|net)/);
    expect(joined).not.toContain('demo-password');
    expect(joined).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(joined).toContain('"event":"tool.called"');
  });
});
