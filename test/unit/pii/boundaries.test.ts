import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pii from '../../../src/pii/index.js';

const ROOT = join(import.meta.dirname, '../../../src/pii');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('src/pii boundaries', () => {
  it('imports nothing with I/O: only its own files and node:crypto', () => {
    for (const f of files(ROOT)) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/from '([^']+)'/g)) expect([f, m[1]!.startsWith('.') || m[1] === 'node:crypto']).toEqual([f, true]);
      expect(src).not.toMatch(/process\.env|console\./);
    }
  });

  it('exports the contract names', () => {
    for (const name of ['PII_CATEGORIES', 'isPiiCategory', 'createVault', 'restoreVault', 'buildRedactionPolicy', 'DEFAULT_FIELD_NAME_RULES', 'redact', 'redactText', 'resolveTokens', 'findTokens']) {
      expect(pii).toHaveProperty(name);
    }
  });
});
