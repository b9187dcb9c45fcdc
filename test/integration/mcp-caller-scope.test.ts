import { describe, expect, it } from 'vitest';
import { structured } from '../helpers/mcp-client.js';
import type { SignInOptions } from '../helpers/oauth-flow.js';
import { signedInClients } from '../helpers/signed-in-clients.js';

const gatehouse = signedInClients();
const connect = async (options: SignInOptions = {}) => (await gatehouse.connect(options)).client;

interface SearchResult {
  records: Array<Record<string, unknown>>;
}

describe('tools act as the caller', () => {
  it('asks the upstream as the caller for describe_entity_type, even when another session just asked', async () => {
    const email = 'readonly@example.com';
    const admin = await connect();
    const client = await connect({ email });
    for (const each of [admin, client]) {
      const described = await each.callTool({ name: 'describe_entity_type', arguments: { type: 'members' } });
      expect(described.isError).toBeFalsy();
    }

    // The account system revokes the account's tokens when its password changes.
    const grant = await fetch(`${gatehouse.server.upstreamUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password: 'demo-password' }).toString(),
    });
    const { access_token } = (await grant.json()) as { access_token: string };
    const change = await fetch(`${gatehouse.server.upstreamUrl}/api/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: 'demo-password', newPassword: 'changed-password-3' }),
    });
    expect(change.status).toBeLessThan(300);

    const again = await client.callTool({ name: 'describe_entity_type', arguments: { type: 'members' } });
    expect(again.isError).toBe(true);
    expect(structured<{ code: string }>(again).code).toBe('reauthenticate_required');
    // The admin's own session is untouched.
    expect((await admin.callTool({ name: 'describe_entity_type', arguments: { type: 'members' } })).isError).toBeFalsy();
  });
});

describe('search filters on personal data in a redacted session', () => {
  it.each([
    [{ email: { contains: '@' } }, 'email (contains)'],
    [{ email: { gte: 'm' } }, 'email (gte)'],
    [{ lastName: { lt: 'N', gt: 'A' } }, 'lastName (gt, lt)'],
    [{ dateOfBirth: { in: ['1980-01-01', '1980-01-02'] } }, 'dateOfBirth (in with values that are not «PII:…» tokens)'],
  ])('refuses %j, naming the field', async (filter, named) => {
    const client = await connect();
    const result = await client.callTool({ name: 'search_records', arguments: { type: 'members', filter } });
    expect(result.isError).toBe(true);
    expect(structured<{ code: string }>(result).code).toBe('redacted_field_filter');
    expect(JSON.stringify(result.content)).toContain(named);
  });

  it('still filters personal data by tokens and by one value, and non-personal fields by range', async () => {
    const client = await connect();
    const page = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'members', pageSize: 3, sort: 'id' } }));
    const target = page.records[1]!;
    const byToken = structured<SearchResult>(
      await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: { in: [target.email] } } } }),
    );
    expect(byToken.records.map((record) => record.id)).toEqual([target.id]);
    const shared = await connect({ sharePii: true });
    const email = String(structured<SearchResult>(await shared.callTool({ name: 'search_records', arguments: { type: 'members', filter: { id: String(target.id) } } })).records[0]!.email);
    // One value the person gave: the same power as a free-text search.
    const byValue = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: { eq: email } } } }));
    expect(byValue.records.map((record) => record.id)).toEqual([target.id]);
    const byId = await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { id: { gte: String(target.id) } }, pageSize: 2, sort: 'id' } });
    expect(byId.isError).toBeFalsy();
    expect(structured<SearchResult>(byId).records[0]!.id).toBe(target.id);
  });

  it("refuses a substring of a name that redaction hides beside a person's own field (a company's), not of a location's", async () => {
    const client = await connect();
    const companies = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'companies', pageSize: 2 } }));
    // The billing contact's e-mail sits beside it, so the company's name comes back as a token.
    expect(String(companies.records[0]!.name)).toMatch(/^«PII:NAME:/);
    const byCompanyName = await client.callTool({ name: 'search_records', arguments: { type: 'companies', filter: { name: { contains: 'a' } } } });
    expect(byCompanyName.isError).toBe(true);
    expect(structured<{ code: string }>(byCompanyName).code).toBe('redacted_field_filter');
    expect(JSON.stringify(byCompanyName.content)).toContain('name (contains)');

    const locations = structured<SearchResult>(await client.callTool({ name: 'search_records', arguments: { type: 'locations', pageSize: 1 } }));
    const locationName = String(locations.records[0]!.name);
    expect(locationName).not.toMatch(/PII/);
    const byLocationName = await client.callTool({ name: 'search_records', arguments: { type: 'locations', filter: { name: { contains: locationName.slice(0, 4) } } } });
    expect(byLocationName.isError).toBeFalsy();
    expect(structured<SearchResult>(byLocationName).records.map((record) => record.name)).toContain(locationName);
  });

  it('refuses to sort by a personal-data field, and sorts by the rest', async () => {
    const client = await connect();
    for (const sort of ['email', '-dateOfBirth', 'lastName']) {
      const result = await client.callTool({ name: 'search_records', arguments: { type: 'members', sort, pageSize: 2 } });
      expect(result.isError, sort).toBe(true);
      expect(structured<{ code: string }>(result).code).toBe('redacted_field_sort');
      expect(JSON.stringify(result.content)).toContain(`sorted by it: ${sort.replace('-', '')}.`);
    }
    const byId = await client.callTool({ name: 'search_records', arguments: { type: 'members', sort: '-id', pageSize: 2 } });
    expect(byId.isError).toBeFalsy();
    const ids = structured<SearchResult>(byId).records.map((record) => String(record.id));
    expect(ids).toEqual([...ids].sort().reverse());

    const shared = await connect({ sharePii: true });
    const byEmail = await shared.callTool({ name: 'search_records', arguments: { type: 'members', sort: 'email', pageSize: 3 } });
    expect(byEmail.isError).toBeFalsy();
    const emails = structured<SearchResult>(byEmail).records.map((record) => String(record.email));
    expect(emails).toEqual([...emails].sort());
  });

  it('lets a session that shares personal data filter it by substring', async () => {
    const client = await connect({ sharePii: true });
    const result = await client.callTool({ name: 'search_records', arguments: { type: 'members', filter: { email: { contains: '@' } }, pageSize: 2 } });
    expect(result.isError).toBeFalsy();
    expect(structured<SearchResult>(result).records).toHaveLength(2);
  });
});
