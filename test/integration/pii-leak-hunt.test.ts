/**
 * A leak hunt over the demo data: every personal value the upstream holds for the records a tool
 * returns (catalog PII fields, plus any e-mail address or phone number anywhere) is looked for in the
 * redacted output of the same call. The same calls with sharing on must show the real values.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { connectWithToken, structured } from '../helpers/mcp-client.js';
import { signIn } from '../helpers/oauth-flow.js';

let server: RunningGatehouse;
let redacted: Client;
let shared: Client;
let catalog: Map<string, string[]>;

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
/** International (+44 …) or national (0…, (202) …) phone shapes; invoice numbers such as 2025-000001 are not phones. */
const PHONE = /(?:\+|\(|\b0)\d[\d ()-]{7,}\d/g;

beforeAll(async () => {
  server = await startGatehouse();
  redacted = await connectWithToken(server.resourceUrl, (await signIn(server.url)).accessToken);
  shared = await connectWithToken(server.resourceUrl, (await signIn(server.url, { sharePii: true })).accessToken);
  catalog = new Map();
  const { entityTypes } = structured<{ entityTypes: Array<{ type: string }> }>(await shared.callTool({ name: 'list_entity_types', arguments: {} }));
  for (const { type } of entityTypes) {
    const { entityType } = structured<{ entityType: { fields: Array<{ name: string; pii: string | null }> } }>(await shared.callTool({ name: 'describe_entity_type', arguments: { type } }));
    catalog.set(type, entityType.fields.filter((field) => field.pii !== null).map((field) => field.name));
  }
});
afterAll(async () => {
  await redacted.close();
  await shared.close();
  await server.close();
});

/** Every personal value in a shared (clear) result. */
function personalValues(type: string, text: string, records: Array<Record<string, unknown>>): Set<string> {
  const values = new Set<string>();
  for (const record of records) {
    for (const field of catalog.get(type) ?? []) {
      const value = record[field];
      if ((typeof value === 'string' && value.trim().length >= 4) || typeof value === 'number') values.add(String(value));
    }
  }
  for (const match of text.matchAll(EMAIL)) values.add(match[0]);
  for (const match of text.matchAll(PHONE)) if (match[0].replace(/\D/g, '').length >= 9 && !/^\d{4}-\d{2}-\d{2}/.test(match[0])) values.add(match[0].trim());
  return values;
}

describe('PII leak hunt over the demo data', () => {
  it('lists PII fields in the catalog of the entity types that hold personal data', () => {
    for (const type of ['members', 'companies', 'invoices']) expect(catalog.get(type)!.length, type).toBeGreaterThan(0);
  });

  it.each(['members', 'companies', 'bookings', 'invoices', 'checkins', 'locations', 'resources', 'plans'])('search_records on %s leaks nothing, and sharing shows the values', async (type) => {
    const args = { name: 'search_records', arguments: { type, pageSize: 300, sort: 'id' } };
    const clear = await shared.callTool(args);
    const clearText = JSON.stringify(clear);
    const hidden = JSON.stringify(await redacted.callTool(args)).toLowerCase();
    const values = personalValues(type, clearText, structured<{ records: Array<Record<string, unknown>> }>(clear).records);
    if ((catalog.get(type) ?? []).length > 0) expect(values.size, type).toBeGreaterThan(0);
    const leaked = [...values].filter((value) => hidden.includes(value.toLowerCase()));
    expect(leaked, `${type}: ${leaked.slice(0, 5).join(' | ')}`).toEqual([]);
    for (const value of [...values].slice(0, 20)) expect(clearText).toContain(JSON.stringify(value).slice(1, -1));
  });

  it('get_record, a free-text search and an update echo leak nothing', async () => {
    const member = structured<{ records: Array<Record<string, unknown>> }>(await shared.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 1, sort: 'id' } })).records[0]!;
    const values = personalValues('members', JSON.stringify(member), [member]);
    const outputs = [
      await redacted.callTool({ name: 'get_record', arguments: { type: 'members', id: member.id } }),
      await redacted.callTool({ name: 'search_records', arguments: { type: 'members', q: String(member.lastName) } }),
      await redacted.callTool({ name: 'update_record', arguments: { type: 'members', id: member.id, data: { notes: `Call ${String(member.fullName)} at ${String(member.email)}` } } }),
      await redacted.callTool({ name: 'whoami', arguments: {} }),
    ];
    const hidden = JSON.stringify(outputs);
    for (const value of values) expect(hidden).not.toContain(value);
    expect(hidden).not.toContain('admin@example.com');
  });

  it('finds records by a token in their personal-data field, not by a token in free text', async () => {
    const page = structured<{ records: Array<{ id: string; lastName: string }> }>(await redacted.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 1, sort: 'id' } }));
    const found = structured<{ records: Array<{ id: string }> }>(await redacted.callTool({ name: 'search_records', arguments: { type: 'members', filter: { lastName: page.records[0]!.lastName } } }));
    expect(found.records.map((record) => record.id)).toContain(page.records[0]!.id);
    // q is matched against every text field, plain ones too: the token would be compared with values the session reads.
    const byText = await redacted.callTool({ name: 'search_records', arguments: { type: 'members', q: ` ${page.records[0]!.lastName} ` } });
    expect(structured<{ code: string }>(byText).code).toBe('pii_token_in_plain_field');
  });
});
