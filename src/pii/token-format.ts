/**
 * The token format `«PII:CATEGORY:hex»` and the patterns that find tokens in text.
 * Does not know which tokens are valid: only a vault can say that.
 */

import { PII_CATEGORIES, type PiiCategory } from './categories.js';

const CATEGORY_ALT = PII_CATEGORIES.join('|');

/** Canonical tokens only, as the vault issues them. */
export const TOKEN_PATTERN = new RegExp(`«PII:(?:${CATEGORY_ALT}):[0-9a-f]{1,64}»`, 'g');

/**
 * Token-looking text, lenient: canonical `«PII:EMAIL:ab12cd34»`, `<<PII:…>>`, or bare `PII:EMAIL:ab12cd34`,
 * hex in any case. Models sometimes drop or re-type the guillemets; these forms are still resolved
 * (only tokens the vault issued ever resolve) or reported as unresolved.
 */
export const LENIENT_TOKEN_PATTERN = new RegExp(
  `(?:«|<<)?(?<![\\p{L}\\p{N}_:])PII:(${CATEGORY_ALT}):([0-9a-fA-F]{1,64})(?![0-9a-zA-Z_])(?:»|>>)?`,
  'gu',
);

/** Sticky, case-insensitive: is there a canonical token at this index of a (possibly lowercased) text? */
export const TOKEN_AT = new RegExp(`«pii:(?:${CATEGORY_ALT}):[0-9a-f]{1,64}»`, 'iy');

export function formatToken(category: PiiCategory, hex: string): string {
  return `«PII:${category}:${hex}»`;
}

const WHOLE_TOKEN = new RegExp(`^«PII:(${CATEGORY_ALT}):([0-9a-f]{1,64})»$`);

export function parseToken(token: string): { category: PiiCategory; hex: string } | undefined {
  const m = WHOLE_TOKEN.exec(token);
  return m ? { category: m[1] as PiiCategory, hex: m[2]! } : undefined;
}

export function isToken(s: string): boolean {
  return s.length >= 10 && s.charCodeAt(0) === 0xab && WHOLE_TOKEN.test(s);
}

/** Canonical form of a lenient match, for lookup in a vault. */
export function canonicalToken(category: string, hex: string): string {
  return `«PII:${category}:${hex.toLowerCase()}»`;
}

/** Finds token-looking substrings (lenient forms included), in order, without duplicates. */
export function findTokens(text: string): string[] {
  if (!text.includes('PII:')) return [];
  const seen = new Set<string>();
  for (const m of text.matchAll(LENIENT_TOKEN_PATTERN)) seen.add(m[0]);
  return [...seen];
}

/**
 * Calls `fn` on each run of text between canonical tokens and joins the results with the tokens
 * unchanged, so a token is never scanned or re-tokenized.
 */
export function mapOutsideTokens(text: string, fn: (segment: string) => string): string {
  if (!text.includes('«PII:')) return fn(text);
  let out = '';
  let last = 0;
  TOKEN_PATTERN.lastIndex = 0;
  for (let m = TOKEN_PATTERN.exec(text); m !== null; m = TOKEN_PATTERN.exec(text)) {
    if (m.index > last) out += fn(text.slice(last, m.index));
    out += m[0];
    last = m.index + m[0].length;
  }
  if (last < text.length) out += fn(text.slice(last));
  return out;
}
