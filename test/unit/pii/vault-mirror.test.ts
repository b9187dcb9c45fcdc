import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRedactionPolicy, createVault, findTokens, redact, redactText, type PiiVault } from '../../../src/pii/index.js';
import { adoptFindings, deltaSince, mirrorSeed, NO_PROPAGATION, packEntries, rewriteTokens, START, unpackEntries, VaultMirror } from '../../../src/pii/vault-mirror.js';

const policy = buildRedactionPolicy({ fieldCategories: { name: 'NAME', email: 'EMAIL', notes: 'BIO' } });

const page = (from: number, count: number) => ({
  records: Array.from({ length: count }, (_, i) => ({
    id: `mem_${from + i}`,
    name: `Person${from + i} Example`,
    email: `person${from + i}@example.com`,
    about: `Call person${from + i}@example.com after 5pm`,
  })),
});

function mirrorOf(vault: PiiVault): VaultMirror {
  const mirror = new VaultMirror(mirrorSeed(vault)!);
  mirror.apply(deltaSince(vault, START).delta);
  return mirror;
}

describe('a vault mirror', () => {
  it('redacts exactly as the vault would, and the vault then resolves every token it issued', () => {
    const secret = randomBytes(32);
    const vault = createVault(secret);
    redact(page(0, 20), vault, policy); // the vault knows some values already
    const mirror = mirrorOf(vault);
    const reference = createVault(secret);
    redact(page(0, 20), reference, policy);

    const input = page(10, 30); // half known, half new
    const { value, findings } = mirror.learn((v) => JSON.stringify(redact(input, v, policy)));
    expect(value).toBe(JSON.stringify(redact(input, reference, policy)));
    expect(unpackEntries(findings.issued).length).toBeGreaterThan(0);

    expect(adoptFindings(vault, findings)).toBeNull();
    const tokens = findTokens(value);
    expect(tokens.length).toBeGreaterThan(40);
    for (const token of tokens) expect(vault.resolve(token)).toBeDefined();
    expect(vault.resolve(findTokens(JSON.stringify(redact({ email: 'person35@example.com' }, vault, policy)))[0]!)).toBe('person35@example.com');
  });

  it('takes the vault tokens where the vault learned something the mirror had not (a token clash), rewriting the text', () => {
    // One hex digit: 16 tokens per category before they grow, so the two sides clash often.
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    const mirror = mirrorOf(vault);
    for (let i = 0; i < 12; i++) vault.tokenize('NAME', `Vault Only ${i}`); // after the mirror's delta
    const input = { records: Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, name: `Mirror Only ${i}` })) };
    const { value, findings } = mirror.learn((v) => JSON.stringify(redact(input, v, policy)));

    const remap = adoptFindings(vault, findings);
    expect(remap).not.toBeNull();
    const out = JSON.parse(rewriteTokens(value, remap!)) as typeof input;
    out.records.forEach((record, i) => expect(vault.resolve(record.name)).toBe(`Mirror Only ${i}`));
    for (let i = 0; i < 12; i++) expect(vault.resolve(vault.tokenize('NAME', `Vault Only ${i}`))).toBe(`Vault Only ${i}`);
  });

  it('reports what it issued until a delta confirms it, so a result made before the vault adopted an earlier one is corrected too', () => {
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    const mirror = mirrorOf(vault);
    const input = { records: Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, name: `Mirror Only ${i}` })) };
    const first = mirror.learn((v) => JSON.stringify(redact(input, v, policy)));
    // A second result from the same copy before the vault has seen the first one's findings.
    const second = mirror.learn((v) => JSON.stringify(redact(input, v, policy)));
    expect(unpackEntries(second.findings.issued)).toEqual(unpackEntries(first.findings.issued));
    for (let i = 0; i < 12; i++) vault.tokenize('NAME', `Vault Only ${i}`);

    const remap = adoptFindings(vault, first.findings);
    expect(remap).not.toBeNull();
    expect(adoptFindings(vault, second.findings)).toEqual(remap);
    const out = JSON.parse(rewriteTokens(second.value, remap!)) as typeof input;
    out.records.forEach((record, i) => expect(vault.resolve(record.name)).toBe(`Mirror Only ${i}`));

    // The vault overruled some of its tokens, so the copy refuses the delta that says so; one made
    // from the whole vault has nothing to report.
    expect(mirror.apply(deltaSince(vault, START).delta)).toBe(false);
    expect(mirrorOf(vault).learn((v) => redact(input, v, policy)).findings.issued.sizes).toHaveLength(0);
  });

  it('hands on what it learned to look for in free text, and learns what the vault found', () => {
    const vault = createVault(randomBytes(32));
    const first = mirrorOf(vault);
    const learned = first.learn((v) => redact({ name: 'Zelda Quimby' }, v, policy)).findings;
    expect(learned.nameParts).toEqual(expect.arrayContaining(['Zelda', 'Quimby']));
    adoptFindings(vault, learned);
    expect(redactText('Zelda called', vault)).not.toContain('Zelda');

    expect(first.apply(deltaSince(vault, START).delta)).toBe(true); // confirms what it issued: nothing left to report
    expect(first.learn((v) => redact({ name: 'Zelda Quimby' }, v, policy)).findings.issued.sizes).toHaveLength(0);

    const cursor = deltaSince(vault, START).next;
    redact({ name: 'Otto Brennan' }, vault, policy);
    const { delta } = deltaSince(vault, cursor);
    expect(unpackEntries(delta.entries).map(([, value]) => value)).toEqual(['Otto Brennan']);
    expect(delta.nameParts).toEqual(['Otto', 'Brennan']);
    first.apply(delta);
    const { value, findings } = first.learn((v) => redact({ x: 'Otto is late' }, v, policy) as { x: string });
    expect(value.x).toMatch(/^«PII:NAME:[0-9a-f]{8}» is late$/);
    expect(adoptFindings(vault, findings)).toBeNull();
    expect(vault.resolve(findTokens(value.x)[0]!)).toBe('Otto');
  });

  it('looks in free text for a value it already held once the vault flags it, in either direction', () => {
    const vault = createVault(randomBytes(32));
    const known = vault.tokenize('NAME', 'Zed Zulu'); // held, not looked for in free text
    const mirror = mirrorOf(vault);
    const cursor = deltaSince(vault, START).next;
    redact({ name: 'Zed Zulu' }, vault, policy); // now it is
    const { delta } = deltaSince(vault, cursor);
    expect(delta.entries.sizes).toHaveLength(0);
    expect(delta.propagated.others).toEqual([['NAME', 'Zed Zulu']]);
    expect(mirror.apply(delta)).toBe(true);
    expect(mirror.learn((v) => redact({ x: 'Ask Zed Zulu' }, v, policy)).value).toEqual({ x: `Ask ${known}` });

    // The other way: the mirror flags a value the vault gave it, and the vault learns to look for it.
    const other = vault.tokenize('NAME', 'Ada Quist');
    const second = mirrorOf(vault);
    const { findings } = second.learn((v) => redact({ name: 'Ada Quist' }, v, policy));
    expect(findings.issued.sizes).toHaveLength(0);
    expect(findings.propagated.others).toEqual([['NAME', 'Ada Quist']]);
    expect(adoptFindings(vault, findings)).toBeNull();
    expect(redact({ x: 'Ask Ada Quist' }, vault, policy)).toEqual({ x: `Ask ${other}` });
  });

  it('refuses packed entries whose sizes do not match their text, instead of taking part of them', () => {
    const vault = createVault(randomBytes(32));
    const token = vault.tokenize('NAME', 'Ada Lovelace');
    const good = packEntries([['NAME', 'Ada Lovelace', token]]);
    expect(unpackEntries(good)).toEqual([['NAME', 'Ada Lovelace', token]]);
    for (const bad of [{ ...good, values: 'Ada Lovelac' }, { ...good, tokens: `${token}x` }, { ...good, sizes: good.sizes.subarray(0, 2) }]) {
      expect(() => unpackEntries(bad)).toThrow(TypeError);
      expect(() => mirrorOf(vault).apply({ entries: bad, propagated: NO_PROPAGATION, nameParts: [] })).toThrow(TypeError);
    }
  });

  it('refuses a delta that contradicts it (the vault overruled a token it issued), rather than renaming under its caches', () => {
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    const mirror = mirrorOf(vault);
    const own = mirror.learn((v) => v.tokenize('NAME', 'Same Value')).value;
    const other = [...'0123456789abcdef'].map((hex) => `«PII:NAME:${hex}»`).find((t) => t !== own)!;
    // The vault gives the value another token (say, because another replica issued it first) ...
    expect(mirror.apply({ entries: packEntries([['NAME', 'Same Value', other]]), propagated: NO_PROPAGATION, nameParts: [] })).toBe(false);
    // ... or gives the mirror's token to another value.
    const second = mirrorOf(vault);
    const token = second.learn((v) => v.tokenize('NAME', 'First Value')).value;
    expect(second.apply({ entries: packEntries([['NAME', 'Second Value', token]]), propagated: NO_PROPAGATION, nameParts: [] })).toBe(false);
    expect(mirrorOf(vault).apply({ entries: packEntries([['NAME', 'Same Value', other]]), propagated: NO_PROPAGATION, nameParts: [] })).toBe(true);
  });

  it('after a clash the vault overruled, a copy started again from the whole vault redacts free text with the vault tokens', () => {
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    const mirror = mirrorOf(vault);
    const cursor = deltaSince(vault, START).next;
    const name = 'Yvonne Targetson';
    const first = mirror.learn((v) => JSON.stringify(redact({ records: [{ id: 'm1', name }] }, v, policy)));
    const mirrorToken = unpackEntries(first.findings.issued).find(([, value]) => value === name)![2];
    // Meanwhile the vault gives that token to someone else, so it overrules the mirror's.
    let other = '';
    for (let i = 0; other === '' && i < 1000; i++) if (vault.tokenize('NAME', `Other Person${i}`) === mirrorToken) other = `Other Person${i}`;
    expect(other).not.toBe('');
    expect(adoptFindings(vault, first.findings)!.get(mirrorToken)).not.toBe(mirrorToken);

    const next = deltaSince(vault, cursor);
    expect(mirror.apply(next.delta)).toBe(false);
    const fresh = mirrorOf(vault);
    const input = { records: [{ id: 'm2', subject: `Forward this to ${name} today` }, { id: 'm3', name: other }] };
    const { value, findings } = fresh.learn((v) => JSON.stringify(redact(input, v, policy)));
    expect(adoptFindings(vault, findings)).toBeNull();
    expect(value).toBe(JSON.stringify(redact(input, vault, policy)));
    const out = JSON.parse(value) as { records: [{ subject: string }, { name: string }] };
    expect(vault.resolve(findTokens(out.records[0].subject)[0]!)).toBe(name);
    expect(vault.resolve(out.records[1].name)).toBe(other);
  });
});
