/**
 * Tokens the assistant passes back in tool arguments are replaced by their values from the
 * session vault, at any depth, whole or inside strings; object keys are left untouched. Tokens
 * this vault did not issue stay as they are and are reported, so the caller can refuse the call
 * instead of sending a token upstream. What the tokens resolved to is reported too: an answer that
 * repeats one of those values outside the fields redaction covers must not reach the assistant.
 */

import { canonicalToken, LENIENT_TOKEN_PATTERN } from './token-format.js';
import type { PiiVault } from './vault.js';

const MAX_DEPTH = 512;

function resolveString(s: string, vault: PiiVault, unresolved: Set<string>, resolved: Set<string>): string {
  if (!s.includes('PII:')) return s;
  return s.replace(LENIENT_TOKEN_PATTERN, (m: string, category: string, hex: string) => {
    const v = vault.resolve(canonicalToken(category, hex));
    if (v === undefined) {
      unresolved.add(m);
      return m;
    }
    resolved.add(v);
    return v;
  });
}

function walk(v: unknown, vault: PiiVault, unresolved: Set<string>, resolved: Set<string>, depth: number): unknown {
  if (typeof v === 'string') return resolveString(v, vault, unresolved, resolved);
  if (v === null || typeof v !== 'object') return v;
  if (depth > MAX_DEPTH) throw new RangeError('value nests too deeply to resolve');
  if (Array.isArray(v)) return v.map((x) => walk(x, vault, unresolved, resolved, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const r = walk((v as Record<string, unknown>)[k], vault, unresolved, resolved, depth + 1);
    if (k === '__proto__') Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
    else out[k] = r;
  }
  return out;
}

/**
 * Replaces every token (whole value or inside a string, at any depth, object keys untouched) by its
 * value from the vault; `resolved` lists each value put in, once.
 */
export function resolveTokens(value: unknown, vault: PiiVault): { value: unknown; unresolved: string[]; resolved: string[] } {
  const unresolved = new Set<string>();
  const resolved = new Set<string>();
  const out = walk(value, vault, unresolved, resolved, 0);
  return { value: out, unresolved: [...unresolved], resolved: [...resolved] };
}
