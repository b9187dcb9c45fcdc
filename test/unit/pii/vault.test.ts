import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVault, findTokens, mergeVaultEntries, PII_CATEGORIES, isPiiCategory, restoreVault } from '../../../src/pii/index.js';

const TOKEN = /^«PII:[A-Z_]+:[0-9a-f]{8}»$/;

describe('createVault', () => {
  it('issues «PII:CATEGORY:8 hex» tokens', () => {
    const v = createVault(randomBytes(32));
    for (const c of PII_CATEGORIES) expect(v.tokenize(c, 'x')).toMatch(TOKEN);
    expect(v.tokenize('EMAIL', 'a@b.co').startsWith('«PII:EMAIL:')).toBe(true);
  });

  it('is deterministic within a session', () => {
    const secret = randomBytes(32);
    const v = createVault(secret);
    const t = v.tokenize('NAME', 'Alice Smith');
    expect(v.tokenize('NAME', 'Alice Smith')).toBe(t);
    expect(createVault(secret).tokenize('NAME', 'Alice Smith')).toBe(t);
    expect(v.size).toBe(1);
  });

  it('is unlinkable across sessions', () => {
    const a = createVault(randomBytes(32)).tokenize('NAME', 'Alice Smith');
    const b = createVault(randomBytes(32)).tokenize('NAME', 'Alice Smith');
    expect(a).not.toBe(b);
  });

  it('gives different tokens to the same value in different categories and to different values', () => {
    const v = createVault(randomBytes(32));
    expect(v.tokenize('NAME', 'x')).not.toBe(v.tokenize('BIO', 'x'));
    expect(v.tokenize('NAME', 'Alice')).not.toBe(v.tokenize('NAME', 'alice'));
  });

  it('keeps one stable token per category for a value seen under several, through a restore', () => {
    const secret = randomBytes(32);
    const v = createVault(secret);
    const tokens = ['NAME', 'ADDRESS', 'BIO'].map((c) => v.tokenize(c as 'NAME', 'Jordan'));
    expect(new Set(tokens).size).toBe(3);
    expect(['NAME', 'ADDRESS', 'BIO'].map((c) => v.tokenize(c as 'NAME', 'Jordan'))).toEqual(tokens);
    for (const t of tokens) expect(v.resolve(t)).toBe('Jordan');
    expect(v.size).toBe(3);
    const r = restoreVault(secret, v.toJSON(), { verifyTokens: true });
    expect(['BIO', 'NAME', 'ADDRESS'].map((c) => r.tokenize(c as 'NAME', 'Jordan'))).toEqual([tokens[2], tokens[0], tokens[1]]);
    expect(r.size).toBe(3);
    expect(() => restoreVault(secret, { ...v.toJSON(), entries: [...v.toJSON().entries, v.toJSON().entries[1]!] })).toThrow(TypeError);
  });

  it('grows the hex length on a clash and never issues one token for two values', () => {
    const v = createVault(randomBytes(32), { tokenHexLength: 1 });
    const tokens = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const value = `value-${i}`;
      const t = v.tokenize('NAME', value);
      expect(tokens.has(t)).toBe(false);
      tokens.set(t, value);
    }
    for (const [t, value] of tokens) expect(v.resolve(t)).toBe(value);
    expect(Math.max(...[...tokens.keys()].map((t) => t.length))).toBeGreaterThan('«PII:NAME:0»'.length);
    expect(v.tokenize('NAME', 'value-7')).toBe([...tokens].find(([, val]) => val === 'value-7')![0]);
  });

  it('resolves only tokens it issued', () => {
    const v = createVault(randomBytes(32));
    const t = v.tokenize('EMAIL', 'alice@example.com');
    expect(v.resolve(t)).toBe('alice@example.com');
    expect(v.resolve(createVault(randomBytes(32)).tokenize('EMAIL', 'alice@example.com'))).toBeUndefined();
    expect(v.resolve('«PII:EMAIL:00000000»')).toBeUndefined();
    // Upper case changes a token only if its hex has a letter: (10/16)^8 ≈ 2.3 % of tokens are all
    // digits, so take the first such token of a few values (this test failed 1 run in ~40 before).
    const lettered = Array.from({ length: 50 }, (_, i) => v.tokenize('EMAIL', `u${i}@example.com`)).find((x) => /[a-f][0-9a-f]*»$/.test(x))!;
    expect(lettered.toUpperCase()).not.toBe(lettered);
    expect(v.resolve(lettered.toUpperCase())).toBeUndefined();
  });

  it.each([new Uint8Array(31), new Uint8Array(0), 'a'.repeat(40) as unknown as Uint8Array])('rejects a short or non-byte secret', (s) => {
    expect(() => createVault(s)).toThrow(RangeError);
  });

  it('rejects an unknown category', () => {
    expect(() => createVault(randomBytes(32)).tokenize('PASSWORD' as never, 'x')).toThrow(TypeError);
  });
});

describe('restoreVault', () => {
  it('round-trips through plain JSON and keeps issuing the same tokens', () => {
    const secret = randomBytes(32);
    const v = createVault(secret);
    const t1 = v.tokenize('NAME', 'Alice Smith');
    const t2 = v.tokenize('PHONE', '+44 20 7946 0958');
    const data = JSON.parse(JSON.stringify(v)) as ReturnType<typeof v.toJSON>;
    const r = restoreVault(secret, data, { verifyTokens: true });
    expect(r.size).toBe(2);
    expect(r.resolve(t1)).toBe('Alice Smith');
    expect(r.tokenize('PHONE', '+44 20 7946 0958')).toBe(t2);
    expect(r.tokenize('EMAIL', 'new@example.com')).toBe(v.tokenize('EMAIL', 'new@example.com'));
  });

  it('keeps grown tokens after a restore', () => {
    const secret = randomBytes(32);
    const v = createVault(secret, { tokenHexLength: 1 });
    for (let i = 0; i < 40; i++) v.tokenize('NAME', `n${i}`);
    const r = restoreVault(secret, v.toJSON(), { verifyTokens: true });
    for (let i = 0; i < 40; i++) expect(r.tokenize('NAME', `n${i}`)).toBe(v.tokenize('NAME', `n${i}`));
  });

  it('rejects data from another secret when asked to verify, and malformed data always', () => {
    const v = createVault(randomBytes(32));
    v.tokenize('NAME', 'Alice');
    expect(() => restoreVault(randomBytes(32), v.toJSON(), { verifyTokens: true })).toThrow(TypeError);
    expect(() => restoreVault(randomBytes(32), { v: 2 } as never)).toThrow(TypeError);
    const bad = v.toJSON();
    bad.entries.push([bad.entries[0]![0], 'Bob', 0]);
    expect(() => restoreVault(randomBytes(32), bad)).toThrow(TypeError);
  });

  it('does not serialize the secret', () => {
    const secret = randomBytes(32);
    const v = createVault(secret);
    v.tokenize('NAME', 'Alice');
    const json = JSON.stringify(v);
    expect(json).not.toContain(secret.toString('hex'));
    expect(json).not.toContain(secret.toString('base64'));
  });
});

describe('mergeVaultEntries', () => {
  it('keeps exact tokens from another replica, even when clashes grew them differently', () => {
    const secret = randomBytes(32);
    const a = createVault(secret, { tokenHexLength: 1 });
    const b = createVault(secret, { tokenHexLength: 1 });
    const values = Array.from({ length: 60 }, (_, i) => `v${i}`);
    for (const v of values) a.tokenize('NAME', v);
    for (const v of [...values].reverse()) b.tokenize('NAME', v);
    const r = mergeVaultEntries(b, a.toJSON().entries);
    expect(r.invalid).toBe(0);
    // A's token resolves on B to the same value, or (a clash grown in another order) not at all.
    let unresolved = 0;
    for (const v of values) {
      const got = b.resolve(a.tokenize('NAME', v));
      if (got === undefined) unresolved++;
      else expect(got).toBe(v);
    }
    expect(unresolved).toBe(r.conflicts);
    expect(r.conflicts).toBeGreaterThan(0);
    expect(r.added).toBeGreaterThan(0);
  });

  it('rejects tokens that do not match the secret', () => {
    const a = createVault(randomBytes(32));
    const b = createVault(randomBytes(32));
    expect(mergeVaultEntries(b, a.toJSON().entries.concat([[a.tokenize('NAME', 'x'), 'x', 0]]))).toEqual({ added: 0, conflicts: 0, invalid: 1 });
    expect(b.size).toBe(0);
  });
});

describe('categories and tokens', () => {
  it('isPiiCategory', () => {
    expect(PII_CATEGORIES.every(isPiiCategory)).toBe(true);
    expect(isPiiCategory('name')).toBe(false);
    expect(isPiiCategory(undefined)).toBe(false);
  });

  it('findTokens finds canonical and lenient forms once each', () => {
    expect(findTokens('a «PII:NAME:0a1b2c3d» b «PII:NAME:0a1b2c3d» <<PII:EMAIL:ffffffff>> PII:PHONE:12AB34CD.')).toEqual([
      '«PII:NAME:0a1b2c3d»',
      '<<PII:EMAIL:ffffffff>>',
      'PII:PHONE:12AB34CD',
    ]);
    expect(findTokens('no tokens, PII:UNKNOWN:1234 or xPII:NAME:12345678')).toEqual([]);
  });
});
