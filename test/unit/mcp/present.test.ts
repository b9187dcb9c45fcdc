import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPresenter } from '../../../src/mcp/present.js';
import { policyForFields } from '../../../src/mcp/catalog-cache.js';
import { createVault } from '../../../src/pii/index.js';

const message = 'Jane Roe (jane.roe@example.org, +44 20 7946 0958) is already a member.';

describe('createPresenter', () => {
  it("shows a failure in Gatehouse's words as it is: what it quotes is the assistant's own text", () => {
    // Redacted, a guessed e-mail would come back as the session's token for it, to compare with a record's.
    const vault = createVault(randomBytes(32));
    const presenter = createPresenter({ vault });
    const failure = presenter.failure("search_records: members has no field 'jane.roe@example.org'.", { code: 'invalid_request' });
    expect(failure.isError).toBe(true);
    expect(JSON.stringify(failure)).toContain('jane.roe@example.org');
    expect(vault.size).toBe(0);
    expect(failure.structuredContent).toMatchObject({ code: 'invalid_request', piiRedaction: 'on' });
  });

  it("withholds a result that shows, outside the redacted fields, a value one of the call's tokens stood for", () => {
    const vault = createVault(randomBytes(32));
    const token = vault.tokenize('DOB', '1991-11-30');
    const policy = policyForFields([{ name: 'dateOfBirth', pii: 'DOB' }, { name: 'title', pii: null }]);
    const presenter = createPresenter({ vault }).forCall(['1991-11-30']);
    for (const record of [{ dateOfBirth: '1991-11-30', title: 'Desk 1991-11-30' }, { dateOfBirth: 'x', title: 'x', ['on 1991-11-30']: 1 }]) {
      const withheld = presenter.result({ record }, policy);
      expect(withheld.isError).toBe(true);
      expect(withheld.structuredContent).toMatchObject({ code: 'pii_echo_withheld' });
      expect(JSON.stringify(withheld)).not.toContain('1991-11-30');
    }
    // In a personal-data field it comes back as the token, as ever; in any case the name is found too.
    expect(JSON.stringify(presenter.result({ record: { dateOfBirth: '1991-11-30', title: 'Desk' } }, policy))).toContain(token);
    const named = createPresenter({ vault }).forCall(['Priya Moreau']);
    expect(named.result({ record: { title: 'Call PRIYA MOREAU' } }, policy).structuredContent).toMatchObject({ code: 'pii_echo_withheld' });
  });

  it('redacts names a result carries elsewhere in the same result, and says redaction is on', () => {
    const presenter = createPresenter({ vault: createVault(randomBytes(32)) });
    const result = presenter.result({ record: { fullName: 'Jane Roe', notes: 'Jane Roe prefers mornings' } }, policyForFields([{ name: 'fullName', pii: 'NAME' }]));
    expect(JSON.stringify(result)).not.toContain('Jane Roe');
    expect(result.structuredContent).toMatchObject({ piiRedaction: 'on' });
  });

  it('passes values through and says so when the person chose to share', () => {
    const presenter = createPresenter({ vault: undefined });
    expect(JSON.stringify(presenter.failure(message))).toContain('jane.roe@example.org');
    expect(presenter.result({ a: 1 }, policyForFields([])).structuredContent).toEqual({ a: 1, piiRedaction: 'off' });
  });
});
