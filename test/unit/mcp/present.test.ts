import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPresenter } from '../../../src/mcp/present.js';
import { policyForFields } from '../../../src/mcp/catalog-cache.js';
import { createVault } from '../../../src/pii/index.js';

const message = 'The account system said: Jane Roe (jane.roe@example.org, +44 20 7946 0958) is already a member.';

describe('createPresenter', () => {
  it('redacts e-mail addresses and phone numbers in failures, which are a leak path too', () => {
    const presenter = createPresenter({ vault: createVault(randomBytes(32)) });
    const failure = presenter.failure(message, { code: 'invalid_request' });
    const text = JSON.stringify(failure);
    expect(failure.isError).toBe(true);
    expect(text).not.toContain('jane.roe@example.org');
    expect(text).not.toContain('7946 0958');
    expect(text).toContain('«PII:EMAIL:');
    expect(failure.structuredContent).toMatchObject({ code: 'invalid_request', piiRedaction: 'on' });
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
