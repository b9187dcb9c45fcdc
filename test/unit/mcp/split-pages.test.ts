/**
 * Large pages split across two idle result workers (result-workers.ts, presentSplit), on real worker
 * threads: the answer must be the one the event loop gives for the whole page, whatever the cut
 * lands in, and whatever each part learned that the other must look for.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { policyForFields } from '../../../src/mcp/catalog-cache.js';
import { createPresenter, serializedOf } from '../../../src/mcp/present.js';
import { createResultWorkers, type ResultWorkers } from '../../../src/mcp/result-workers.js';
import { createLogger } from '../../../src/log.js';
import { createVault, findTokens, type PiiVault } from '../../../src/pii/index.js';
import { UpstreamUnavailableError } from '../../../src/upstream/index.js';
import { presentedTexts } from '../../helpers/presented-text.js';

const policy = policyForFields([
  { name: 'fullName', pii: 'NAME' },
  { name: 'email', pii: 'EMAIL' },
]);
const log = createLogger({ level: 'silent' });
/** The real worker, with jobs of type "sleep-<ms>" (that much longer). */
const TIMED_WORKER = new URL('../../helpers/timed-result-worker.mjs', import.meta.url);

let pool: ResultWorkers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/**
 * A pool whose two workers have started: a page is split only when both are ready. Two pages of one
 * record each (nothing to cut) at once, so each worker gets one.
 */
async function startPool(options: { workerUrl?: URL } = {}) {
  pool = createResultWorkers({ workers: 2, minBytes: 0, splitFromBytes: 0, log, ...options });
  const one = () => pool!.presentSearch({ type: 'members', body: body(pageText(plainRecords(1))), policy, vault: undefined, owner: 'warm-up' });
  await Promise.all([one(), one()]);
  expect(pool.splits().split).toBe(0);
}

const pageText = (records: unknown[]) => JSON.stringify({ records, page: 1, pageSize: records.length, total: records.length, hasMore: false });

/** The page in a buffer of its own, as the upstream client reads one. */
const body = (text: string) => {
  const bytes = Buffer.from(text);
  const own = Buffer.from(new ArrayBuffer(bytes.byteLength));
  bytes.copy(own);
  return own;
};

/** Through the pool, which must take it: the structured JSON, checked against its text content. */
async function viaPool(text: string, vault: PiiVault | undefined, type = 'members') {
  const presented = await pool!.presentSearch({ type, body: body(text), policy, vault, owner: 'session-a' });
  expect(presented, 'presented by the workers').toBeDefined();
  const { structured } = presentedTexts(presented!);
  presented!.release?.();
  return structured;
}

/** On the event loop, as a whole page. */
async function onEventLoop(text: string, vault: PiiVault | undefined) {
  const result = await createPresenter({ vault }).searchPage('members', body(text), policy);
  return serializedOf(result)!.structured as string;
}

/** Records with no personal data: a page that teaches a vault nothing, after which the session's pages are split. */
const plainRecords = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `loc_${i}`, status: 'open' }));

/** People whose free-text summary names someone in the other half of the page. */
const peopleRecords = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `mem_${i}`,
    fullName: `Member${i} Person`,
    email: `m${i}@example.com`,
    summary: `Seen with Member${(i + n / 2) % n} Person, ask m${(i + n / 2) % n}@example.com`,
  }));

describe('pages split across two result workers', () => {
  it('answer what the whole page gets on the event loop, each part looking for what the other learned', async () => {
    await startPool();
    const secret = randomBytes(32);
    const [split, whole] = [createVault(secret), createVault(secret)];
    const pages = [pageText(plainRecords(400)), pageText(peopleRecords(200)), pageText(peopleRecords(200))];
    for (const text of pages) expect(await viaPool(text, split)).toBe(await onEventLoop(text, whole));
    // The first page of a session is presented whole; the second's parts each learned names the other had to look for.
    expect(pool!.splits()).toEqual({ split: 1, redone: 1, abandoned: 0 });
    const page = JSON.parse(await viaPool(pages[1]!, split)) as { records: Array<{ summary: string }> };
    expect(page.records[0]!.summary).toBe(`Seen with ${split.tokenize('NAME', 'Member100 Person')}, ask ${split.tokenize('EMAIL', 'm100@example.com')}`);
    expect(JSON.stringify(page)).not.toMatch(/Member\d+ Person|@example\.com/);
    // The third page (the second again) was whole, after a page that taught the vault names; it taught
    // nothing, so this one was split, and neither part had to go again.
    expect(pool!.splits()).toEqual({ split: 2, redone: 1, abandoned: 0 });
  });

  it('split every large page when the person shares personal data, and answer it as the upstream sent it', async () => {
    await startPool();
    const text = pageText(peopleRecords(100));
    expect(JSON.parse(await viaPool(text, undefined))).toEqual({ type: 'members', ...JSON.parse(text), piiRedaction: 'off' });
    expect(pool!.splits()).toEqual({ split: 1, redone: 0, abandoned: 0 });
  });

  it('give the page to one worker when the cut falls inside a string or inside a record', async () => {
    await startPool();
    const secret = randomBytes(32);
    const [split, whole] = [createVault(secret), createVault(secret)];
    await viaPool(pageText(plainRecords(50)), split);
    await onEventLoop(pageText(plainRecords(50)), whole);
    // The middle of three records is the middle one, in its text, then in its own objects.
    const inString = pageText(Array.from({ length: 3 }, (_, i) => ({ id: `r${i}`, summary: 'x},{'.repeat(500) })));
    const inRecord = pageText(Array.from({ length: 3 }, (_, i) => ({ id: `r${i}`, tags: Array.from({ length: 300 }, (_, k) => ({ k })) })));
    for (const text of [inString, inRecord]) expect(await viaPool(text, split)).toBe(await onEventLoop(text, whole));
    expect(pool!.splits()).toEqual({ split: 2, redone: 0, abandoned: 2 });
  });

  it('read a page with a second records member as JSON.parse does, and refuse one that is not a page', async () => {
    await startPool();
    const records = JSON.stringify(plainRecords(100)).slice(1, -1);
    const twice = `{"records":[${records}],"page":1,"pageSize":100,"total":100,"hasMore":false,"records":[{"id":"z"}]}`;
    expect(JSON.parse(await viaPool(twice, undefined)).records).toEqual([{ id: 'z' }]);
    const notAPage = `{"records":[${records}],"page":"one","pageSize":100,"total":100,"hasMore":false}`;
    await expect(pool!.presentSearch({ type: 'members', body: body(notAPage), policy, vault: undefined, owner: 'session-a' })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(pool!.splits()).toEqual({ split: 2, redone: 0, abandoned: 2 });
  });

  it('rewrite in each part the tokens the vault gave other values', async () => {
    await startPool();
    // One hex digit: sixteen tokens a category before they grow, so the two parts' mirrors clash.
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    await viaPool(pageText(plainRecords(50)), vault);
    const n = 60;
    const records = Array.from({ length: n }, (_, i) => ({ id: `mem_${i}`, fullName: `Member${i} Person`, email: `m${i}@example.com` }));
    const structured = await viaPool(pageText(records), vault);
    expect(pool!.splits().split).toBe(1);
    const page = JSON.parse(structured) as { records: Array<{ fullName: string; email: string }> };
    page.records.forEach((record, i) => {
      expect(vault.resolve(record.fullName)).toBe(`Member${i} Person`);
      expect(vault.resolve(record.email)).toBe(`m${i}@example.com`);
    });
    expect(findTokens(structured)).toHaveLength(2 * n);
  });

  it('rewrite the tokens of a part whose values the vault gave other tokens, when neither part goes again', async () => {
    await startPool();
    // One hex digit and birth dates, which are not looked for elsewhere: the parts' mirrors clash, and nothing sends a part again.
    const vault = createVault(randomBytes(32), { tokenHexLength: 1 });
    await viaPool(pageText(plainRecords(50)), vault);
    const n = 60;
    const records = Array.from({ length: n }, (_, i) => ({ id: `mem_${i}`, born: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}` }));
    const born = policyForFields([{ name: 'born', pii: 'DOB' }]);
    const presented = await pool!.presentSearch({ type: 'members', body: body(pageText(records)), policy: born, vault, owner: 'session-a' });
    expect(pool!.splits()).toEqual({ split: 1, redone: 0, abandoned: 0 });
    expect(typeof presented!.structured, 'rewritten, as text').toBe('string');
    const { structured } = presentedTexts(presented!);
    const page = JSON.parse(structured) as { records: Array<{ born: string }> };
    page.records.forEach((record, i) => expect(vault.resolve(record.born), `record ${i}`).toBe(records[i]!.born));
  });

  it("leave a page to the event loop when the session's vault is dropped before a part goes again", async () => {
    await startPool({ workerUrl: TIMED_WORKER });
    const vault = createVault(randomBytes(32));
    await viaPool(pageText(plainRecords(50)), vault);
    // Both parts learn names the other must look for; the vault is dropped while they are at it.
    const presenting = pool!.presentSearch({ type: 'sleep-300', body: body(pageText(peopleRecords(100))), policy, vault, owner: 'session-a' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    pool!.forget(vault);
    expect(await presenting).toBeUndefined();
    expect(pool!.splits()).toEqual({ split: 1, redone: 0, abandoned: 1 });
  });

  it('present a page whole while another page is being presented', async () => {
    await startPool({ workerUrl: TIMED_WORKER });
    const text = pageText(plainRecords(100));
    const slow = viaPool(text, undefined, 'sleep-300'); // split: both workers take a part of it
    await new Promise((resolve) => setTimeout(resolve, 50));
    const meanwhile = viaPool(text, undefined); // both workers busy, and a page about: whole
    await Promise.all([slow, meanwhile]);
    expect(pool!.splits()).toEqual({ split: 1, redone: 0, abandoned: 0 });
  });
});
