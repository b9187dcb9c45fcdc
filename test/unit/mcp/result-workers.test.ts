/**
 * The result worker pool on real worker threads: what it answers for pages that are not pages,
 * how it recovers when a worker dropped a vault's mirror or stopped answering, and that the
 * presenter falls back to the event loop for small bodies.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { policyForFields } from '../../../src/mcp/catalog-cache.js';
import { createPresenter } from '../../../src/mcp/present.js';
import { createResultWorkers, type ResultWorkers } from '../../../src/mcp/result-workers.js';
import { createLogger } from '../../../src/log.js';
import { createVault, findTokens, type PiiVault } from '../../../src/pii/index.js';
import { UpstreamUnavailableError } from '../../../src/upstream/index.js';

const policy = policyForFields([
  { name: 'fullName', pii: 'NAME' },
  { name: 'email', pii: 'EMAIL' },
]);
const log = createLogger({ level: 'silent' });
const pageOf = (n: number, offset = 0) =>
  Buffer.from(
    JSON.stringify({
      records: Array.from({ length: n }, (_, i) => ({ id: `mem_${offset + i}`, fullName: `Member${offset + i} Person`, email: `m${offset + i}@example.com` })),
      page: 1,
      pageSize: n,
      total: n,
      hasMore: false,
    }),
  );

let pool: ResultWorkers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** Every token in `structured` resolves in `vault` to the value the page had there. */
function expectResolves(structured: string, vault: PiiVault, offset: number) {
  const page = JSON.parse(structured) as { records: Array<{ id: string; fullName: string; email: string }> };
  for (const [i, record] of page.records.entries()) {
    expect(vault.resolve(record.fullName)).toBe(`Member${offset + i} Person`);
    expect(vault.resolve(record.email)).toBe(`m${offset + i}@example.com`);
  }
  expect(findTokens(structured).length).toBe(page.records.length * 2);
}

describe('result workers', () => {
  it('answer UpstreamUnavailableError for a body that is not JSON, or not a search page', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    for (const body of ['<html>502</html>', '{"records":[{"name":"no id"}],"page":1,"pageSize":1,"total":1,"hasMore":false}', '[]']) {
      await expect(pool.presentSearch({ type: 'members', body: Buffer.from(body), policy, vault })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    }
  });

  it('feed a worker the whole vault again when it dropped the mirror to stay in its budget', async () => {
    // A budget of one entry: each job for one vault pushes the other vault's mirror out.
    pool = createResultWorkers({ workers: 1, minBytes: 0, mirrorEntryBudget: 1, log });
    const a = createVault(randomBytes(32));
    const b = createVault(randomBytes(32));
    for (let round = 0; round < 3; round++) {
      for (const [vault, offset] of [[a, 0], [b, 1000]] as const) {
        const { structured, text } = await pool.presentSearch({ type: 'members', body: pageOf(20, offset + round * 10), policy, vault });
        expect(JSON.parse(text)).toBe(structured);
        expectResolves(structured, vault, offset + round * 10);
      }
    }
    expect(a.size).toBe(2 * 40);
  });

  it('drop a mirror when told the vault is gone, and build it again if the vault comes back', async () => {
    pool = createResultWorkers({ workers: 2, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    for (const offset of [0, 10]) expectResolves((await pool.presentSearch({ type: 'members', body: pageOf(10, offset), policy, vault })).structured, vault, offset);
    pool.forget(vault);
    for (const offset of [20, 30, 0]) expectResolves((await pool.presentSearch({ type: 'members', body: pageOf(10, offset), policy, vault })).structured, vault, offset);
    expect(vault.size).toBe(2 * 40);
  });

  it('stop a worker that does not answer in time, failing its job, and start a new one for the next', async () => {
    // 200,000 records with a new vault (an HMAC per value) take 4–6 s here; a worker starts in 0.4 s.
    pool = createResultWorkers({ workers: 1, minBytes: 0, jobTimeoutMs: 2500, log });
    const vault = createVault(randomBytes(32));
    await expect(pool.presentSearch({ type: 'members', body: pageOf(200_000), policy, vault })).rejects.toThrow('result worker exited');
    expect(vault.size).toBe(0); // nothing adopted from a job that did not finish
    const { structured } = await pool.presentSearch({ type: 'members', body: pageOf(5), policy, vault });
    expectResolves(structured, vault, 0);
  });

  it('leave pages to the event loop when a worker cannot start at all, saying so once', async () => {
    const lines: string[] = [];
    const capture = createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } as never });
    pool = createResultWorkers({ workers: 2, minBytes: 0, workerUrl: new URL('./no-such-worker.js', import.meta.url), log: capture });
    const vault = createVault(randomBytes(32));
    expect(pool.takes(pageOf(5), vault)).toBe(true);
    await expect(pool.presentSearch({ type: 'members', body: pageOf(5), policy, vault })).rejects.toThrow('result worker');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the other worker's failure too
    expect(pool.takes(pageOf(5), vault)).toBe(false);
    const presenter = createPresenter({ vault, workers: pool });
    expectResolves(JSON.stringify((await presenter.searchPage('members', pageOf(5), policy)).structuredContent), vault, 0);
    expect(lines.filter((line) => line.includes('cannot start'))).toHaveLength(1);
  });

  it('are skipped for small bodies, for vaults they cannot mirror, and once closed', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 1000, log });
    const vault = createVault(randomBytes(32));
    expect(pool.takes(Buffer.alloc(999), vault)).toBe(false);
    expect(pool.takes(Buffer.alloc(1000), vault)).toBe(true);
    expect(pool.takes(Buffer.alloc(1000), undefined)).toBe(true);
    const foreign = { tokenize: () => '', resolve: () => undefined, size: 0, toJSON: () => ({ v: 1 as const, hexLength: 8, entries: [], nameParts: [] }) };
    expect(pool.takes(Buffer.alloc(1000), foreign)).toBe(false);
    // Small pages are presented on the event loop, to the same result.
    const presenter = createPresenter({ vault, workers: pool });
    const small = await presenter.searchPage('members', pageOf(3), policy);
    expect(JSON.parse(small.content[0]!.type === 'text' ? small.content[0]!.text : '')).toEqual(small.structuredContent);
    expectResolves(JSON.stringify(small.structuredContent), vault, 0);
    await pool.close();
    expect(pool.takes(Buffer.alloc(1000), vault)).toBe(false);
  });
});
