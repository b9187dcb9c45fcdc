import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../../src/upstream');
// spare-buffers.ts: plain memory kept for reuse, shared with the result workers (no I/O, no state of the gateway's).
const ALLOWED = /^(\.\/|\.\.\/spare-buffers\.js$|undici$|zod$|node:)/;

describe('upstream boundaries', () => {
  it('imports only its own files, the spare buffer pool, undici, zod and node built-ins (no OAuth, MCP or logging)', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(DIR, file), 'utf8');
      for (const [, specifier] of source.matchAll(/from\s+'([^']+)'/g)) {
        expect(ALLOWED.test(specifier!), `${file} imports ${specifier}`).toBe(true);
      }
      expect(source.includes('console.'), `${file} logs`).toBe(false);
    }
  });
});
