/**
 * The import rules of DESIGN.md ("Boundaries") that the per-folder boundary tests do not cover:
 * only config.ts reads process.env; mcp/ never imports oauth/; oauth/ and mcp/ meet only through
 * sessions/ and store/; interaction/ reaches oauth/ only through its index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(folder: string): Array<{ file: string; text: string }> {
  return readdirSync(path.join(SRC, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(SRC, file), text: readFileSync(file, 'utf8') };
    });
}

const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1]!);

describe('module boundaries', () => {
  it('reads process.env only in config.ts (and the standalone demo upstream entry)', () => {
    const readers = sources('.').filter(({ text }) => /process\.env\b/.test(text)).map(({ file }) => file);
    expect(readers).toContain('config.ts');
    for (const file of readers) expect(['config.ts', 'demo-upstream/main.ts']).toContain(file);
  });

  it('keeps mcp/ away from oauth/, interaction/ and, outside the transport, HTTP headers', () => {
    // The Streamable HTTP transport reads its own headers (Accept, Content-Type, MCP-Protocol-Version); tools never see a header.
    const transport = new Set(['mcp/mcp-endpoint.ts', 'mcp/tool-call-fast-path.ts']);
    for (const { file, text } of sources('mcp')) {
      for (const target of imports(text)) expect(target, file).not.toMatch(/\.\.\/(oauth|interaction|admin)\//);
      if (!transport.has(file)) expect(text, file).not.toMatch(/req\.headers|\.headers\[/);
    }
  });

  it('keeps oauth/ away from mcp/ and the sign-in page', () => {
    for (const { file, text } of sources('oauth')) for (const target of imports(text)) expect(target, file).not.toMatch(/\.\.\/(mcp|interaction)\//);
  });

  it('lets interaction/ use oauth/ only through its index', () => {
    for (const { file, text } of sources('interaction')) {
      for (const target of imports(text)) if (target.startsWith('../oauth/')) expect(target, file).toBe('../oauth/index.js');
    }
  });

  it('keeps sessions/ and store/ free of oauth/, mcp/ and interaction/', () => {
    for (const { file, text } of [...sources('sessions'), ...sources('store')]) {
      for (const target of imports(text)) expect(target, file).not.toMatch(/\.\.\/(oauth|mcp|interaction)\//);
    }
  });
});
