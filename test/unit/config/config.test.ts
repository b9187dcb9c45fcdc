import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('loadConfig', () => {
  it('gives safe defaults for the embedded mode', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.issuer).toBe('http://localhost:3000');
    expect(config.resourceUrl).toBe('http://localhost:3000/mcp');
    expect(config.upstreamUrl).toBeUndefined();
    expect(config.sessionTtlMs).toBe(8 * 3_600_000);
    expect(config.accessTokenTtlMs).toBe(config.sessionTtlMs);
    expect(config.signinRoles).toEqual(['admin']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('drops a trailing slash from PUBLIC_URL so issuer and resource never drift', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://mcp.example.com/' });
    expect(config.issuer).toBe('https://mcp.example.com');
    expect(config.resourceUrl).toBe('https://mcp.example.com/mcp');
  });

  it.each([
    ['http://mcp.example.com', 'https'],
    ['https://mcp.example.com/prefix', 'origin'],
    ['https://mcp.example.com/?a=1', 'query'],
    ['not a url', 'absolute URL'],
  ])('refuses PUBLIC_URL %s', (value, message) => {
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(message);
  });

  it('accepts plain http on loopback addresses', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ PUBLIC_URL: 'http://[::1]:8080' }).publicUrl).toBe('http://[::1]:8080');
  });

  it('sizes the result workers from the cores unless told, and refuses a negative count', () => {
    const config = loadConfig({});
    expect(config.resultWorkers).toBe(Math.min(4, availableParallelism()));
    expect(config.resultWorkerMinBytes).toBe(65536);
    expect(config.resultWorkerSplitBytes).toBe(131072);
    expect(loadConfig({ RESULT_WORKERS: '0', RESULT_WORKER_MIN_BYTES: '0', RESULT_WORKER_SPLIT_BYTES: '1073741824' })).toMatchObject({
      resultWorkers: 0,
      resultWorkerMinBytes: 0,
      resultWorkerSplitBytes: 1073741824,
    });
    expect(() => loadConfig({ RESULT_WORKERS: '-1' })).toThrow('RESULT_WORKERS');
    expect(() => loadConfig({ RESULT_WORKER_MIN_BYTES: 'big' })).toThrow('RESULT_WORKER_MIN_BYTES');
  });

  it('reads every rate limit, with defaults, and refuses a limit below 1', () => {
    expect(loadConfig({}).rateLimits).toEqual({ register: 5, token: 60, authorize: 60, revoke: 60, signInAccount: 5, signInAddress: 30 });
    const told = loadConfig({ RATE_LIMIT_AUTHORIZE: '600', RATE_LIMIT_REVOKE: '10', RATE_LIMIT_SIGNIN_ACCOUNT: '3', RATE_LIMIT_SIGNIN_ADDRESS: '100' });
    expect(told.rateLimits).toMatchObject({ authorize: 600, revoke: 10, signInAccount: 3, signInAddress: 100 });
    for (const name of ['RATE_LIMIT_AUTHORIZE', 'RATE_LIMIT_REVOKE', 'RATE_LIMIT_SIGNIN_ACCOUNT', 'RATE_LIMIT_SIGNIN_ADDRESS']) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(name);
    }
  });

  it('bounds the PII vaults at a million values unless told, and refuses a bound below 1000', () => {
    expect(loadConfig({}).piiVaultEntries).toBe(1_000_000);
    expect(loadConfig({ PII_VAULT_ENTRIES: '250000' }).piiVaultEntries).toBe(250_000);
    expect(() => loadConfig({ PII_VAULT_ENTRIES: '10' })).toThrow('PII_VAULT_ENTRIES');
  });

  it('lets redacted sessions search free text unless told to refuse, and takes no other word', () => {
    expect(loadConfig({}).redactedFreeTextSearch).toBe(true);
    expect(loadConfig({ PII_FREE_TEXT_SEARCH: 'refuse' }).redactedFreeTextSearch).toBe(false);
    expect(() => loadConfig({ PII_FREE_TEXT_SEARCH: 'no' })).toThrow('PII_FREE_TEXT_SEARCH');
  });

  it('lets the old generation grow by its live size before a full collection unless told, from 0 (V8 decides) to 400 %', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '401' })).toThrow('HEAP_GROWING_PERCENT');
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow('HEAP_GROWING_PERCENT');
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow('HEAP_GROWING_PERCENT');
  });

  it('lists every bad setting at once', () => {
    try {
      loadConfig({ PORT: 'eighty', SESSION_TTL: 'forever', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('SESSION_TTL');
      expect(problems).toContain('LOG_LEVEL');
    }
  });

  it('turns on refresh tokens only when access tokens are shorter than the session', () => {
    expect(loadConfig({}).refreshTokens).toBe(false);
    expect(loadConfig({ ACCESS_TOKEN_TTL: '15m' })).toMatchObject({ refreshTokens: true, accessTokenTtlMs: 900_000, refreshGraceMs: 30_000 });
  });

  it('parses durations and refuses an access token longer than the session', () => {
    expect(loadConfig({ SESSION_TTL: '30m' }).sessionTtlMs).toBe(1_800_000);
    expect(() => loadConfig({ SESSION_TTL: '1h', ACCESS_TOKEN_TTL: '2h' })).toThrow('must not be longer than SESSION_TTL');
  });

  it('requires https for a remote upstream', () => {
    expect(() => loadConfig({ UPSTREAM_URL: 'http://crm.example.com' })).toThrow('UPSTREAM_URL must use https');
    expect(loadConfig({ UPSTREAM_URL: 'https://crm.example.com/' }).upstreamUrl).toBe('https://crm.example.com');
  });

  it('never prints secrets', () => {
    const config = loadConfig({ DEMO_PASSWORD: 'super-secret-password', SIGNING_KEY: 'private-key-text' });
    const printed = JSON.stringify(config) + String(config.demoPassword) + String(config.signingKey);
    expect(printed).not.toContain('super-secret-password');
    expect(printed).not.toContain('private-key-text');
    expect(config.demoPassword.reveal()).toBe('super-secret-password');
  });
});
