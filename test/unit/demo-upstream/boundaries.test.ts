import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../../src/demo-upstream');

describe('demo-upstream boundaries', () => {
  it('imports nothing from the rest of src/', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(DIR, file), 'utf8');
      const specifiers = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const specifier of specifiers) expect(specifier.startsWith('../'), `${file} imports ${specifier}`).toBe(false);
    }
  });

  it('reads the environment only in main.ts', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'main.ts')) {
      expect(readFileSync(join(DIR, file), 'utf8').includes('process.env'), file).toBe(false);
    }
  });
});
