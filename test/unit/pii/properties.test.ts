/**
 * Leak hunt: plant PII at random places and depths of random JSON and check that no planted
 * value survives in the redacted output (in any case), that non-PII leaves survive unchanged,
 * and that resolveTokens gives the input back.
 */

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRedactionPolicy, createVault, redact, resolveTokens } from '../../../src/pii/index.js';

// Random seed each run; fast-check prints `{ seed, path }` on failure. Reproduce with
// PII_SEED=<seed> (and PII_RUNS=<n> for a longer hunt, e.g. 50000).
const RUNS = Number(process.env.PII_RUNS ?? 1000);
const SEED = process.env.PII_SEED === undefined ? {} : { seed: Number(process.env.PII_SEED) };

const word = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[a-z]{${min},${max}}$`));

/** The test's own non-PII text: structural keys, plain leaves, sentence templates. */
const PLAIN_KEYS = ['id', 'status', 'kind', 'total', 'createdAt', 'ref', 'items', 'meta', 'data', 'value', 'label'] as const;
const PLAIN_WORDS = ['active', 'paused', 'cancelled', 'Hot desk', 'Meeting room'] as const;
const TEMPLATE_TEXT = 'root memberName title Desk booked by today contact primary info INV EUR true false null';
const VOCABULARY = new Set([...PLAIN_KEYS, ...PLAIN_WORDS, TEMPLATE_TEXT].join(' ').toLowerCase().split(/[^a-z]+/));

/**
 * A random capitalized word that is not a word of the test's own non-PII text. By the documented
 * rules a name part is matched only where it is capitalized, and keys that are not data are never
 * scanned: with a planted name "Aaa Ref", the plain key `"ref"` rightly stays, and a capitalized
 * leaf "Hot desk" next to a name part "Hot" is over-redacted on purpose. Neither is what these
 * properties test, so such names are not generated (seed 729567235 found `Aaa Ref` vs key `ref`).
 */
const capitalized = word(3, 9)
  .filter((w) => !VOCABULARY.has(w))
  .map((w) => w[0]!.toUpperCase() + w.slice(1));

const email = fc
  .tuple(word(2, 8), fc.constantFrom('', '.', '_', '+'), word(0, 6), word(2, 10), fc.constantFrom('com', 'org', 'co.uk', 'de', 'io'))
  .map(([a, sep, b, d, tld]) => `${a}${b ? sep + b : ''}@${d}.${tld}`)
  .chain((e) => fc.constantFrom(e, e.toUpperCase(), e.replace('@', '＠')));

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const phone = fc.oneof(
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  fc.tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), digits(4)).map(([a, b, c]) => `+1-${a}-${b}-${c}`),
  fc.tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), digits(4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `020 ${a} ${b}`),
  fc.tuple(digits(3), digits(6)).map(([a, b]) => `0044 7${a} ${b}`),
);

function withIbanCheck(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of rearranged) rem = (rem * 10 + Number(ch)) % 97;
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}
const iban = fc.oneof(
  digits(18).map((d) => withIbanCheck('DE', d)),
  fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), digits(14)).map(([b, d]) => withIbanCheck('GB', b + d)),
  digits(12).map((d) => withIbanCheck('NL', `ABNA${d.slice(0, 10)}`)),
).chain((s) => fc.constantFrom(s, s.replace(/(.{4})/g, '$1 ').trim()));

const fullName = fc.tuple(capitalized, capitalized).map(([a, b]) => `${a} ${b}`);

type Planted = { kind: 'email' | 'phone' | 'iban' | 'name'; value: string };
const planted: fc.Arbitrary<Planted> = fc.oneof(
  email.map((value) => ({ kind: 'email' as const, value })),
  phone.map((value) => ({ kind: 'phone' as const, value })),
  iban.map((value) => ({ kind: 'iban' as const, value })),
  fullName.map((value) => ({ kind: 'name' as const, value })),
);

/** Non-PII leaves: ids, timestamps, amounts, enums, booleans, null, numbers. */
const plainLeaf = fc.oneof(
  fc.integer({ min: 0, max: 999999 }).map((n) => `bkg_${String(n).padStart(6, '0')}`),
  fc.integer({ min: 1, max: 99999 }).map((n) => `INV-2026-${String(n).padStart(5, '0')}`),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(...PLAIN_WORDS),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 0, max: 100000 }).map((n) => `${(n / 100).toFixed(2)} EUR`),
);

const plainKey = fc.constantFrom(...PLAIN_KEYS);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plainLeaf, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 4 }),
  obj: fc.dictionary(plainKey, tie('node'), { maxKeys: 4 }),
})).node;

/** Inserts each planted value at a random path, as a whole string, inside a sentence, or under a catalog field (names). */
function plant(base: unknown, items: Array<{ p: Planted; path: number[]; style: number }>): unknown {
  let root: unknown = { root: structuredClone(base) };
  for (const { p, path, style } of items) {
    let node = root as Record<string, unknown> | unknown[];
    for (const step of path) {
      const children = Array.isArray(node) ? node : Object.values(node);
      const objs = children.filter((c): c is Record<string, unknown> | unknown[] => c !== null && typeof c === 'object');
      if (objs.length === 0) break;
      node = objs[step % objs.length]!;
    }
    const value =
      p.kind === 'name'
        ? style % 2 === 0
          ? p.value
          : `Desk booked by ${p.value} today`
        : style % 3 === 0
          ? p.value
          : style % 3 === 1
            ? `contact: ${p.value}.`
            : `${p.value} (primary)`;
    // Names are found only through the catalog field, then propagated into sentences elsewhere.
    const key = p.kind === 'name' ? `memberName` : `info${style}`;
    if (p.kind === 'name') {
      const holder = { memberName: p.value };
      if (Array.isArray(node)) node.push(holder, { title: value });
      else Object.assign(node, { [`m${style}`]: holder, [`t${style}`]: value });
    } else if (Array.isArray(node)) node.push(value);
    else node[key] = value;
  }
  return root;
}

function leaves(v: unknown, out: unknown[] = []): unknown[] {
  if (v !== null && typeof v === 'object') for (const c of Object.values(v)) leaves(c, out);
  else out.push(v);
  return out;
}

const policy = buildRedactionPolicy({ fieldCategories: { memberName: 'NAME' } });
const item = fc.record({ p: planted, path: fc.array(fc.nat(), { maxLength: 5 }), style: fc.nat({ max: 5 }) });

describe('redact (property-based leak hunt)', () => {
  it('no planted e-mail, phone, IBAN or name survives, in any case', () => {
    fc.assert(
      fc.property(json, fc.array(item, { minLength: 1, maxLength: 6 }), (base, items) => {
        const input = plant(base, items);
        const out = JSON.stringify(redact(input, createVault(randomBytes(32)), policy))
          .toLowerCase()
          .replace(/«pii:[a-z_]+:[0-9a-f]+»/g, '«»');
        for (const { p } of items) {
          expect(out).not.toContain(p.value.toLowerCase());
          if (p.kind === 'phone' || p.kind === 'iban') expect(out).not.toContain(p.value.replace(/\D/g, ''));
          if (p.kind === 'name') for (const part of p.value.split(' ')) expect(out).not.toMatch(new RegExp(`\\b${part}\\b`, 'i'));
        }
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('leaves non-PII JSON unchanged', () => {
    fc.assert(
      fc.property(json, (base) => {
        expect(redact(base, createVault(randomBytes(32)), policy)).toEqual(base);
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('keeps non-PII leaves next to planted PII, and resolveTokens restores the input', () => {
    fc.assert(
      fc.property(json, fc.array(item, { minLength: 1, maxLength: 4 }), (base, items) => {
        const input = plant(base, items);
        const vault = createVault(randomBytes(32));
        const out = redact(input, vault, policy);
        const kept = new Set(leaves(out));
        for (const leaf of leaves(base)) expect(kept.has(leaf) || Number.isNaN(leaf)).toBe(true);
        const back = resolveTokens(out, vault);
        expect(back.unresolved).toEqual([]);
        expect(JSON.stringify(back.value).toLowerCase()).toBe(JSON.stringify(input).toLowerCase());
      }),
      { numRuns: RUNS, ...SEED },
    );
  });

  it('is deterministic within a session', () => {
    fc.assert(
      fc.property(json, fc.array(item, { maxLength: 4 }), (base, items) => {
        const input = plant(base, items);
        const vault = createVault(randomBytes(32));
        const a = redact(input, vault, policy);
        expect(redact(input, vault, policy)).toEqual(a);
      }),
      { numRuns: 100, ...SEED },
    );
  });
});

/**
 * Shrunk counterexamples of the properties above, kept as fixed cases. Seed 729567235 shrank to a
 * name "Aaa Ref" next to the plain key "ref": not a leak (name parts match only capitalized, keys
 * that are not data are never scanned), the generator now avoids the test's own words.
 */
describe('shrunk counterexamples', () => {
  it.each<[string, unknown, string[], string[]]>([
    [
      'name part "Ref" vs the plain key "ref"',
      { root: { id: { ref: 'INV-2026-00001' } }, m0: { memberName: 'Aaa Ref' }, t0: 'Aaa Ref', info0: 'GB15AAAA00000000000000' },
      ['"ref":"INV-2026-00001"'],
      ['Aaa', 'Ref', 'GB15AAAA00000000000000'],
    ],
    [
      'name part "Hot" vs the leaf "Hot desk": over-redacted on purpose, lower-case "hot" kept',
      { m0: { memberName: 'Hot Aaa' }, plan: 'Hot desk', label: 'a hot desk' },
      ['desk"', '"a hot desk"'],
      ['Hot', 'Aaa'],
    ],
  ])('%s', (_, input, kept, gone) => {
    const out = JSON.stringify(redact(input, createVault(randomBytes(32)), policy));
    for (const s of kept) expect(out).toContain(s);
    for (const s of gone) expect(out).not.toContain(s);
  });
});
