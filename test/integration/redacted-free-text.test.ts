/**
 * PII_FREE_TEXT_SEARCH: the upstream matches free text (`q`) against personal data too, so in a
 * redacted session repeated searches for longer and longer text can spell a hidden value out.
 * Operators who need that closed say `refuse`; sessions that share personal data are not affected.
 */
import { describe, expect, it } from 'vitest';
import { structured } from '../helpers/mcp-client.js';
import { signedInClients } from '../helpers/signed-in-clients.js';

interface SearchResult {
  records: Array<Record<string, unknown>>;
}

const search = (args: Record<string, unknown>) => ({ name: 'search_records', arguments: { type: 'members', pageSize: 3, ...args } });

describe('PII_FREE_TEXT_SEARCH=refuse', () => {
  const gatehouse = signedInClients({ PII_FREE_TEXT_SEARCH: 'refuse' });

  it('refuses q in a redacted session with its own code, and still filters by fields', async () => {
    const { client } = await gatehouse.connect();
    const refused = await client.callTool(search({ q: 'example' }));
    expect(refused.isError).toBe(true);
    expect(structured<{ code: string }>(refused).code).toBe('redacted_free_text');
    expect(JSON.stringify(refused.content)).toContain('does not search free text (q) in sessions that keep personal data redacted');
    // Blank text is no search at all.
    expect((await client.callTool(search({ q: '  ' }))).isError).toBeFalsy();
    const filtered = await client.callTool(search({ filter: { status: 'active' } }));
    expect(filtered.isError).toBeFalsy();
    expect(structured<SearchResult>(filtered).records.length).toBeGreaterThan(0);
  });

  it('says so in whoami', async () => {
    const { client } = await gatehouse.connect();
    const me = structured<{ personalData: string }>(await client.callTool({ name: 'whoami', arguments: {} }));
    expect(me.personalData).toContain('does not search free text (q) while personal data is redacted');
  });

  it('answers q for a session that shares personal data', async () => {
    const { client } = await gatehouse.connect({ sharePii: true });
    const result = await client.callTool(search({ q: 'example' }));
    expect(result.isError).toBeFalsy();
    expect(structured<SearchResult>(result).records.length).toBeGreaterThan(0);
  });
});

describe('PII_FREE_TEXT_SEARCH unset (allow)', () => {
  const gatehouse = signedInClients();

  it('answers q in a redacted session, with the matches redacted', async () => {
    const { client } = await gatehouse.connect();
    const result = await client.callTool(search({ q: 'example' }));
    expect(result.isError).toBeFalsy();
    const records = structured<SearchResult>(result).records;
    expect(records.length).toBeGreaterThan(0);
    expect(String(records[0]!.email)).toMatch(/^«PII:EMAIL:/);
    const me = structured<{ personalData: string }>(await client.callTool({ name: 'whoami', arguments: {} }));
    expect(me.personalData).toMatch(/^Redacted/);
    expect(me.personalData).not.toContain('free text');
  });
});
