/**
 * Search pages presented by result workers against the same pages presented on the event loop:
 * three Gatehouse replicas over one upstream, store, signing key and client registry. `workers`
 * sends every search page to a worker and answers on the fast path; `inline` has no workers;
 * `workersSdk` has workers and answers through the SDK (which reads the worker's result as an
 * object). Both pools split every page they can across their two workers (result-workers.ts). Every request goes to all three in the same order, so their
 * vaults learn the same tokens, and the answers must be the same.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createResultWorkers, type ResultWorkers } from '../../src/mcp/index.js';
import { createFileClientRepository } from '../../src/oauth/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { testSigningKeys } from '../helpers/keys.js';
import { signIn } from '../helpers/oauth-flow.js';

let workers: RunningGatehouse;
let inline: RunningGatehouse;
let workersSdk: RunningGatehouse;
let pool: ResultWorkers;
let sdkPool: ResultWorkers;
let dataDir: string;
let jobs = 0;
const tokens = { redacted: '', sharing: '' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-result-workers-'));
  const shared = { store: createMemoryStore(), keys: await testSigningKeys(), clients: createFileClientRepository(path.join(dataDir, 'clients')) };
  // A real pool, counted: the test must know the pages did go to a worker.
  const real = createResultWorkers({ workers: 2, minBytes: 0, splitFromBytes: 0, log: createLogger({ level: 'warn' }) });
  pool = { ...real, presentSearch: (input) => (jobs++, real.presentSearch(input)) };
  workers = await startGatehouse({ deps: { ...shared, resultWorkers: pool }, env: { LOG_LEVEL: 'warn' } });
  const replica = { PUBLIC_URL: workers.url, UPSTREAM_URL: workers.upstreamUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  inline = await startGatehouse({ deps: shared, env: { ...replica, RESULT_WORKERS: '0' } });
  sdkPool = createResultWorkers({ workers: 2, minBytes: 0, splitFromBytes: 0, log: createLogger({ level: 'warn' }) });
  workersSdk = await startGatehouse({ deps: { ...shared, fastToolCalls: false, resultWorkers: sdkPool }, env: replica });
  tokens.redacted = (await signIn(workers.url)).accessToken;
  tokens.sharing = (await signIn(workers.url, { sharePii: true })).accessToken;
});

afterAll(async () => {
  await workersSdk?.close();
  await inline?.close();
  await workers?.close();
  await pool?.close();
  await sdkPool?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const LEGACY = { 'mcp-protocol-version': '2025-06-18' };
const MODERN_META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'workers-test', version: '1.0.0' }, 'io.modelcontextprotocol/clientCapabilities': {} };

async function post(baseUrl: string, token: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: JSON.parse(await response.text()) as unknown };
}

/**
 * One search on all three replicas; returns the (shared) result. `viaWorkers`: whether the replica
 * with workers presents it in one (not a search with tokens: its answer is checked for what they
 * stood for, on the event loop).
 */
async function search(session: keyof typeof tokens, args: Record<string, unknown>, modern = false, viaWorkers = true) {
  const body = modern
    ? { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_records', arguments: args, _meta: MODERN_META } }
    : { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_records', arguments: args } };
  const headers = modern ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'search_records' } : LEGACY;
  const before = jobs;
  const viaWorker = await post(workers.url, tokens[session], body, headers);
  expect(jobs).toBe(viaWorkers ? before + 1 : before);
  expect(await post(inline.url, tokens[session], body, headers)).toEqual(viaWorker);
  expect(await post(workersSdk.url, tokens[session], body, headers)).toEqual(viaWorker);
  expect(viaWorker.status).toBe(200);
  const { result } = viaWorker.body as { result: { isError?: boolean; content: Array<{ text: string }>; structuredContent: { records: Array<Record<string, string>>; piiRedaction: string } } };
  expect(result.isError).toBeUndefined();
  expect(JSON.parse(result.content[0]!.text)).toEqual(result.structuredContent);
  return result.structuredContent;
}

describe('search pages from result workers', () => {
  it('are the pages the event loop would present, redacted, and their tokens work when passed back', async () => {
    const page = await search('redacted', { type: 'members', pageSize: 300, sort: 'id' });
    expect(page.records).toHaveLength(300);
    expect(page.piiRedaction).toBe('on');
    expect(page.records[0]!.email).toMatch(/^«PII:EMAIL:[0-9a-f]{8}»$/);
    expect(JSON.stringify(page)).not.toMatch(/@example\.com/);

    // The session's vault (not only the worker's mirror) knows the tokens the worker issued.
    const byToken = await search('redacted', { type: 'members', filter: { email: page.records[123]!.email } }, false, false);
    expect(byToken.records.map((record) => record.id)).toEqual([page.records[123]!.id]);
    // The same page again teaches the vault nothing.
    expect((await search('redacted', { type: 'members', pageSize: 300, sort: 'id' })).records).toEqual(page.records);

    // A second page the worker's mirror has partly seen, on the 2026-07-28 path; and another entity type.
    expect((await search('redacted', { type: 'members', pageSize: 400, sort: 'id' }, true)).records).toHaveLength(400);
    expect((await search('redacted', { type: 'bookings', pageSize: 200 })).records).toHaveLength(200);
    expect((await search('redacted', { type: 'members', q: 'no such member anywhere' })).records).toEqual([]);
    // The 400-member page came after one that taught the vault nothing (the same 300 again): split,
    // and its parts presented again for the members new to each other's part.
    for (const workersPool of [pool, sdkPool]) expect(workersPool.splits()).toMatchObject({ split: 1, redone: 1, abandoned: 0 });
  });

  it('are shown as the upstream sent them when the person shares personal data', async () => {
    const before = [pool.splits().split, sdkPool.splits().split];
    const page = await search('sharing', { type: 'members', pageSize: 200, sort: 'id' });
    expect(page.piiRedaction).toBe('off');
    expect(page.records[0]!.email).toMatch(/@/);
    expect([pool.splits().split, sdkPool.splits().split]).toEqual(before.map((n) => n + 1));
  });
});
