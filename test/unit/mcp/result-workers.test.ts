/**
 * The result worker pool on real worker threads: what it answers for pages that are not pages,
 * how it recovers when a worker dropped a vault's mirror or stopped answering, and that the
 * presenter falls back to the event loop for small bodies.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { policyForFields } from '../../../src/mcp/catalog-cache.js';
import { createPresenter, serializedOf } from '../../../src/mcp/present.js';
import { createResultWorkers, type ResultWorkers, type SearchInput } from '../../../src/mcp/result-workers.js';
import { createLogger } from '../../../src/log.js';
import { createVault, findTokens, type PiiVault } from '../../../src/pii/index.js';
import { giveBackBody, UpstreamUnavailableError } from '../../../src/upstream/index.js';
import { readBody } from '../../../src/upstream/body-buffers.js';
import { presentedTexts } from '../../helpers/presented-text.js';

const policy = policyForFields([
  { name: 'fullName', pii: 'NAME' },
  { name: 'email', pii: 'EMAIL' },
]);
const log = createLogger({ level: 'silent' });
/** The real worker, with jobs of type "sleep-<ms>" (that much longer) and "hang" (never done). */
const TIMED_WORKER = new URL('../../helpers/timed-result-worker.mjs', import.meta.url);
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

/** The page in a buffer of its own, as the upstream client reads one: what a started worker gets transferred. */
const ownBuffer = (page: Buffer) => {
  const bytes = new Uint8Array(page.byteLength);
  bytes.set(page);
  return Buffer.from(bytes.buffer);
};

let pool: ResultWorkers | undefined;

/** Through the pool, which must take it; as text. */
async function viaWorker(input: Omit<SearchInput, 'owner'> & { owner?: string }) {
  const presented = await pool!.presentSearch({ owner: 'session-a', ...input });
  expect(presented, 'presented by a worker').toBeDefined();
  return presentedTexts(presented!);
}
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
      await expect(pool.presentSearch({ owner: 'session-a', type: 'members', body: Buffer.from(body), policy, vault })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    }
  });

  it('feed a worker the whole vault again when it dropped the mirror to stay in its budget', async () => {
    // Room for two vaults of 10 entries and three in use: the least recently used mirror goes, and its
    // vault's next job is answered resync and sent again with the whole vault.
    pool = createResultWorkers({ workers: 1, minBytes: 0, mirrorEntryBudget: 20, log });
    const vaults = [createVault(randomBytes(32)), createVault(randomBytes(32)), createVault(randomBytes(32))];
    for (let round = 0; round < 3; round++) {
      for (const [i, vault] of vaults.entries()) {
        const { structured, text } = await viaWorker({ type: 'members', body: pageOf(5, i * 1000), policy, vault });
        expect(JSON.parse(text)).toBe(structured);
        expectResolves(structured, vault, i * 1000);
      }
    }
    for (const vault of vaults) expect(vault.size).toBe(10);
  });

  it('drop a mirror when told the vault is gone, and leave the vault\'s later pages to the event loop', async () => {
    pool = createResultWorkers({ workers: 2, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    for (const offset of [0, 10]) expectResolves((await viaWorker({ type: 'members', body: pageOf(10, offset), policy, vault })).structured, vault, offset);
    pool.forget(vault);
    // Its session's vault is gone: no worker copies it again, its pages are left to the event loop.
    expect(pool.takes(pageOf(10), vault)).toBe(false);
    const presenter = createPresenter({ vault, workers: pool, owner: 'session-a' });
    for (const offset of [20, 30, 0]) expectResolves(JSON.stringify((await presenter.searchPage('members', pageOf(10, offset), policy)).structuredContent), vault, offset);
    expect(vault.size).toBe(2 * 40);
  });

  it('do not copy a dropped vault again when a job for it comes back asking for the whole vault', async () => {
    // Room for two vaults of 10 entries: by b's second job a's mirror is the least recently used and
    // goes, so a's next job is answered resync.
    pool = createResultWorkers({ workers: 1, minBytes: 0, mirrorEntryBudget: 20, log });
    const [a, b, c] = [createVault(randomBytes(32)), createVault(randomBytes(32)), createVault(randomBytes(32))];
    for (const vault of [a, b, c, b]) await viaWorker({ type: 'members', body: pageOf(5), policy, vault });
    const input = { owner: 'session-a', type: 'members', body: ownBuffer(pageOf(5)), policy, vault: a };
    const late = pool.presentSearch(input);
    expect(input.body.byteLength, 'transferred to the worker, not copied').toBe(0);
    pool.forget(a); // the session ended while its search was in the worker
    expect(await late).toBeUndefined();
    expect(input.body.equals(pageOf(5)), 'the page, back for the event loop').toBe(true);
  });

  it('give a worker whose copy the vault overruled a new copy, and present free text with the vault tokens', async () => {
    // One hex digit: concurrent pages in two workers give clashing tokens that the vault overrules.
    pool = createResultWorkers({ workers: 2, minBytes: 0, log });
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    const named = (offset: number) =>
      Buffer.from(JSON.stringify({ records: Array.from({ length: 12 }, (_, i) => ({ id: `m${offset + i}`, fullName: `Member${offset + i} Person` })), page: 1, pageSize: 12, total: 12, hasMore: false }));
    await Promise.all([viaWorker({ type: 'members', body: named(0), policy, vault }), viaWorker({ type: 'members', body: named(100), policy, vault })]);
    const notes = Buffer.from(
      JSON.stringify({
        records: [0, 5, 100, 105].map((n) => ({ id: `n${n}`, subject: `Call Member${n} Person today` })),
        page: 1,
        pageSize: 4,
        total: 4,
        hasMore: false,
      }),
    );
    const [first, second] = await Promise.all([viaWorker({ type: 'members', body: notes, policy, vault }), viaWorker({ type: 'members', body: notes, policy, vault })]);
    const eventLoop = JSON.stringify((await createPresenter({ vault }).searchPage('members', notes, policy)).structuredContent);
    expect(first.structured).toBe(eventLoop);
    expect(second.structured).toBe(eventLoop);
    const subjects = (JSON.parse(eventLoop) as { records: Array<{ subject: string }> }).records.map((record) => vault.resolve(findTokens(record.subject)[0]!));
    expect(subjects).toEqual(['Member0 Person', 'Member5 Person', 'Member100 Person', 'Member105 Person']);
  });

  it('answer in a buffer that goes back to its worker once released, and a later page read from it has only its own bytes', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    const large = await pool.presentSearch({ owner: 'session-a', type: 'members', body: pageOf(300), policy, vault });
    expectResolves(presentedTexts(large!).structured, vault, 0);
    const largeCapacity = (large!.structured as Buffer).buffer.byteLength;
    large!.release!();
    expect(large!.structured.length, 'given back: no longer readable here').toBe(0);
    // Another session's smaller page, written into that buffer: nothing of the first page comes with it.
    const small = await pool.presentSearch({ owner: 'session-b', type: 'members', body: pageOf(150, 900), policy, vault: undefined });
    const expected = JSON.stringify((await createPresenter({ vault: undefined }).searchPage('members', pageOf(150, 900), policy)).structuredContent);
    expect(small!.structured.toString()).toBe(expected);
    expect(small!.text.toString()).toBe(JSON.stringify(expected));
    expect((small!.structured as Buffer).buffer.byteLength, 'written into the buffer given back').toBe(largeCapacity);
    await pool.close();
    small!.release!(); // its worker is gone: the buffer stays here for the collector
    expect(small!.structured.toString()).toBe(expected);
  });

  it("give the upstream's page back once parsed, in a worker or on the event loop, for the next page to be read into", async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    const read = (page: Buffer) => readBody([page], page.byteLength);
    await viaWorker({ type: 'members', body: pageOf(1), policy, vault: undefined }); // started: pages are transferred to it
    // A spare with an earlier, larger page's bytes behind the one read into it: only its own are parsed.
    giveBackBody(read(pageOf(3000, 5000)));
    const body = read(pageOf(2000));
    const capacity = body.buffer.byteLength;
    expect(capacity).toBeGreaterThan(body.byteLength);
    expectResolves((await viaWorker({ type: 'members', body, policy, vault })).structured, vault, 0);
    expect(body.byteLength, 'transferred to the worker').toBe(0);
    // A transfer makes a new ArrayBuffer object: the spare is known by its size (a fresh one would be the page's).
    const next = read(pageOf(2000, 10));
    expect(next.buffer.byteLength, 'back from the worker').toBe(capacity);
    const presented = await createPresenter({ vault: undefined }).searchPage('members', next, policy);
    expect((presented.structuredContent as { records: Array<{ id: string }> }).records[0]!.id).toBe('mem_10');
    const buffer = next.buffer;
    expect(read(pageOf(2000, 20)).buffer === buffer, 'back once parsed on the event loop').toBe(true);
  });

  it('copy only the page itself to a worker still starting, not the earlier bytes behind it in its buffer', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const read = (page: Buffer) => readBody([page], page.byteLength);
    giveBackBody(read(pageOf(3000, 7000)));
    const body = read(pageOf(1500));
    expect(body.buffer.byteLength).toBeGreaterThan(body.byteLength);
    await viaWorker({ type: 'members', body, policy, vault: undefined }); // the worker's first job: it has not said it started
    expect(body.byteLength, 'copied, not transferred').toBe(pageOf(1500).byteLength);
    // What came back is the worker's copy, the page's size; a smaller page is read into it.
    expect(read(pageOf(1499)).buffer.byteLength).toBe(body.byteLength);
  });

  it('stop a worker that does not answer in time, failing its job, and start a new one for the next', async () => {
    // The clock covers loading the new worker too, hence seconds, not milliseconds.
    pool = createResultWorkers({ workers: 1, minBytes: 0, jobTimeoutMs: 3000, workerUrl: TIMED_WORKER, log });
    const vault = createVault(randomBytes(32));
    await expect(pool.presentSearch({ owner: 'session-a', type: 'hang', body: pageOf(5), policy, vault })).rejects.toThrow('result worker exited');
    expect(vault.size).toBe(0); // nothing adopted from a job that did not finish
    const { structured } = await viaWorker({ type: 'members', body: pageOf(5), policy, vault });
    expectResolves(structured, vault, 0);
  });

  it('give each session two pages per worker at a time, so another session waits behind a few pages, not a burst', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const finished: string[] = [];
    const page = (owner: string, i: number) =>
      viaWorker({ owner, type: 'members', body: pageOf(500, i * 500), policy, vault: undefined }).then(() => void finished.push(`${owner} ${i}`));
    const burst = Array.from({ length: 8 }, (_, i) => page('busy', i));
    await Promise.all([...burst, page('other', 100)]);
    // One worker takes pages in the order sent: two of the burst, then the other session's page.
    // Without turns it would be queued behind the whole burst.
    expect(finished.indexOf('other 100'), finished.join(', ')).toBe(2);
  });

  it('time a job from when its worker starts it, not from when it was queued', async () => {
    // Five jobs of 500 ms queued at once in one worker (sessions of their own, so none waits for a
    // turn): 2.5 s in all, while the clock allows each one 1.5 s.
    pool = createResultWorkers({ workers: 1, minBytes: 0, jobTimeoutMs: 1500, workerUrl: TIMED_WORKER, log });
    const vault = createVault(randomBytes(32));
    await viaWorker({ type: 'members', body: pageOf(1, 1000), policy, vault: undefined }); // loaded: the clock times only jobs below
    const pages = Array.from({ length: 5 }, (_, i) => viaWorker({ owner: `session-${i}`, type: 'sleep-500', body: pageOf(5, i * 5), policy, vault }));
    const presented = await Promise.all(pages);
    presented.forEach(({ structured }, i) => expectResolves(structured, vault, i * 5));
  });

  it('leave pages to the event loop when a worker cannot start at all, saying so once', async () => {
    const lines: string[] = [];
    const capture = createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } as never });
    pool = createResultWorkers({ workers: 2, minBytes: 0, workerUrl: new URL('./no-such-worker.js', import.meta.url), log: capture });
    const vault = createVault(randomBytes(32));
    expect(pool.takes(pageOf(5), vault)).toBe(true);
    const presenter = createPresenter({ vault, workers: pool, owner: 'session-a' });
    // The first page found out: the event loop presents it instead.
    expectResolves(JSON.stringify((await presenter.searchPage('members', pageOf(5), policy)).structuredContent), vault, 0);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the other worker's failure too
    expect(pool.takes(pageOf(5), vault)).toBe(false);
    expectResolves(JSON.stringify((await presenter.searchPage('members', pageOf(5, 5), policy)).structuredContent), vault, 5);
    expect(lines.filter((line) => line.includes('cannot start'))).toHaveLength(1);
  });

  it('say so clearly when a result is read after its buffer went back to its worker', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 0, log });
    const vault = createVault(randomBytes(32));
    const result = await createPresenter({ vault, workers: pool, owner: 'session-a' }).searchPage('members', pageOf(20), policy);
    serializedOf(result)!.release!();
    expect(() => (result.content[0] as { text: string }).text).toThrow(/read after its buffer went back to the worker/);
    expect(() => result.structuredContent).toThrow(/read after its buffer went back to the worker/);
  });

  it('are skipped for small bodies, for vaults they cannot mirror, and once closed', async () => {
    pool = createResultWorkers({ workers: 1, minBytes: 1000, log });
    const vault = createVault(randomBytes(32));
    expect(pool.takes(Buffer.alloc(999), vault)).toBe(false);
    expect(pool.takes(Buffer.alloc(1000), vault)).toBe(true);
    expect(pool.takes(Buffer.alloc(1000), undefined)).toBe(true);
    const foreign = { tokenize: () => '', resolve: () => undefined, size: 0, toJSON: () => ({ v: 1 as const, hexLength: 8, entries: [], nameParts: [] }) };
    expect(pool.takes(Buffer.alloc(1000), foreign)).toBe(false);
    // A vault that would take most of a worker's mirror budget stays with the event loop.
    const tight = createResultWorkers({ workers: 1, minBytes: 0, mirrorEntryBudget: 10, log });
    const grown = createVault(randomBytes(32));
    for (let i = 0; i < 5; i++) grown.tokenize('NAME', `Name ${i}`);
    expect(tight.takes(Buffer.alloc(1000), grown)).toBe(true);
    grown.tokenize('NAME', 'Name 5');
    expect(tight.takes(Buffer.alloc(1000), grown)).toBe(false);
    await tight.close();
    // Small pages are presented on the event loop, to the same result.
    const presenter = createPresenter({ vault, workers: pool, owner: 'session-a' });
    const small = await presenter.searchPage('members', pageOf(3), policy);
    expect(JSON.parse(small.content[0]!.type === 'text' ? small.content[0]!.text : '')).toEqual(small.structuredContent);
    expectResolves(JSON.stringify(small.structuredContent), vault, 0);
    await pool.close();
    expect(pool.takes(Buffer.alloc(1000), vault)).toBe(false);
  });
});
