/**
 * The tools/call fast path against the SDK's own answer: two Gatehouse instances over one upstream,
 * one store, one signing key and one client registry, one with the fast path (the default) and one
 * without. Every request goes to both, in the same order (so both PII vaults learn the same tokens),
 * and the answers must be the same: status, media type and JSON body.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileClientRepository } from '../../src/oauth/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { testSigningKeys } from '../helpers/keys.js';
import { signIn } from '../helpers/oauth-flow.js';

let fast: RunningGatehouse;
let sdk: RunningGatehouse;
let dataDir: string;
const tokens: Record<'redacted' | 'sharing' | 'readOnly', string> = { redacted: '', sharing: '', readOnly: '' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-fast-path-'));
  const shared = { store: createMemoryStore(), keys: await testSigningKeys(), clients: createFileClientRepository(path.join(dataDir, 'clients')) };
  fast = await startGatehouse({ deps: shared, env: { LOG_LEVEL: 'warn' } });
  // The same public URL (issuer and audience) and upstream on another port: a second replica without the fast path.
  sdk = await startGatehouse({
    deps: { ...shared, fastToolCalls: false },
    env: { LOG_LEVEL: 'warn', PUBLIC_URL: fast.url, UPSTREAM_URL: fast.upstreamUrl, DATA_DIR: dataDir },
  });

  tokens.redacted = (await signIn(fast.url)).accessToken;
  tokens.sharing = (await signIn(fast.url, { sharePii: true })).accessToken;
  tokens.readOnly = (await signIn(fast.url, { readOnly: true })).accessToken;
});

afterAll(async () => {
  await sdk?.close();
  await fast?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  mediaType: string;
  body: unknown;
}

const STANDARD_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

/** `headers` replace the standard ones; null leaves one out. */
async function post(baseUrl: string, token: string, body: unknown, headers: Record<string, string | null>): Promise<Answer> {
  const merged = Object.entries({ ...STANDARD_HEADERS, authorization: `Bearer ${token}`, ...headers }).filter((entry): entry is [string, string] => entry[1] !== null);
  const response = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: Object.fromEntries(merged),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!;
  return { status: response.status, mediaType, body: text === '' ? undefined : mediaType === 'application/json' ? JSON.parse(text) : text };
}

/** Sends to both instances, fast path first, and expects one answer. */
async function both(session: keyof typeof tokens, body: unknown, headers: Record<string, string | null> = {}): Promise<Answer> {
  const viaFastPath = await post(fast.url, tokens[session], body, headers);
  const viaSdk = await post(sdk.url, tokens[session], body, headers);
  expect(viaFastPath).toEqual(viaSdk);
  return viaFastPath;
}

const call = (name: string, args?: Record<string, unknown>, id: string | number = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, ...(args && { arguments: args }) } });
const resultOf = (answer: Answer) => (answer.body as { result: { isError?: boolean; structuredContent: Record<string, unknown> } }).result;

describe('tools/call: fast path and SDK give the same answer', () => {
  it('for results, redacted and shared, and for PII tokens passed back', async () => {
    const search = await both('redacted', call('search_records', { type: 'members', pageSize: 5, sort: 'id' }));
    expect(search.status).toBe(200);
    const records = resultOf(search).structuredContent.records as Array<Record<string, string>>;
    expect(records).toHaveLength(5);
    expect(records[0]!.email).toMatch(/^«PII:EMAIL:/);

    const byToken = await both('redacted', call('search_records', { type: 'members', filter: { email: records[0]!.email } }, 'by-token'));
    expect((resultOf(byToken).structuredContent.records as unknown[]).length).toBe(1);
    await both('redacted', call('get_record', { type: 'members', id: records[1]!.id }, 0));

    const shared = await both('sharing', call('search_records', { type: 'members', pageSize: 3 }));
    expect(resultOf(shared).structuredContent.piiRedaction).toBe('off');
    await both('sharing', call('whoami', {}, Number.MAX_SAFE_INTEGER));
    await both('redacted', call('list_entity_types'));
  });

  it('for tool failures: unknown types, unknown records, tokens this session did not issue', async () => {
    const unknownType = await both('redacted', call('describe_entity_type', { type: 'spaceships' }));
    expect(resultOf(unknownType).isError).toBe(true);
    await both('redacted', call('get_record', { type: 'members', id: 'mem_999999999' }));
    const foreign = await both('redacted', call('get_record', { type: 'members', id: '«PII:EMAIL:zzzzzzzz»' }));
    expect(resultOf(foreign).isError).toBe(true);
  });

  it('for every 2025 protocol revision header, and none', async () => {
    for (const version of ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']) {
      expect((await both('redacted', call('whoami', {}), { 'mcp-protocol-version': version })).status).toBe(200);
    }
    expect((await both('redacted', call('whoami', {}), { 'mcp-protocol-version': null })).status).toBe(200);
    expect((await both('redacted', call('whoami', {}), { 'mcp-protocol-version': '' })).status).toBe(400);
  });

  it('for requests only the SDK answers: bad arguments, unknown or hidden tools, batches, odd shapes, bad headers', async () => {
    const cases: Array<[keyof typeof tokens, unknown, Record<string, string | null>?]> = [
      ['redacted', call('search_records', { type: 'members', pageSize: 'many' })],
      ['redacted', call('search_records', { pageSize: 5 })],
      ['redacted', call('no_such_tool', {})],
      ['readOnly', call('search_records', { type: 'members', pageSize: 1 })],
      ['redacted', { ...call('whoami', {}), extra: true }],
      ['redacted', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {}, task: { ttl: 1000 } } }],
      ['redacted', { jsonrpc: '2.0', id: 1.5, method: 'tools/call', params: { name: 'whoami' } }],
      ['redacted', { jsonrpc: '2.0', id: null, method: 'tools/call', params: { name: 'whoami' } }],
      ['redacted', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: [] } }],
      ['redacted', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', _meta: { progressToken: 'p1' } } }],
      ['redacted', [call('whoami', {}, 1), call('list_entity_types', {}, 2)]],
      ['redacted', { jsonrpc: '2.0', method: 'tools/call', params: { name: 'whoami' } }],
      ['redacted', call('whoami', {}), { 'mcp-protocol-version': '1999-01-01' }],
      ['redacted', call('whoami', {}), { accept: 'application/json' }],
      ['redacted', call('whoami', {}), { 'content-type': 'text/plain' }],
      ['redacted', call('whoami', {}), { accept: null }],
      ['redacted', call('whoami', {}), { 'mcp-protocol-version': '2026-07-28' }],
      ['redacted', call('whoami', {}), { 'mcp-protocol-version': '2099-01-01' }],
    ];
    for (const [session, body, headers] of cases) await both(session, body, headers);
  });

  it('for 2026-07-28 requests: results, failures, and everything the SDK must answer', async () => {
    const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'diff-test', version: '1.0.0' }, 'io.modelcontextprotocol/clientCapabilities': {} };
    const modern = (name: string, args: Record<string, unknown>, id: string | number = 1, meta: Record<string, unknown> = envelope) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args, _meta: meta },
    });
    const headers = (name: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name });

    const search = await both('redacted', modern('search_records', { type: 'members', pageSize: 4, sort: 'id' }), headers('search_records'));
    expect(search.status).toBe(200);
    const result = (search.body as { result: { resultType: string; structuredContent: { records: Array<Record<string, string>> } } }).result;
    expect(result.resultType).toBe('complete');
    const email = result.structuredContent.records[0]!.email!;
    await both('redacted', modern('search_records', { type: 'members', filter: { email } }, 'by-token'), headers('search_records'));
    await both('sharing', modern('whoami', {}, 0), headers('whoami'));
    await both('redacted', modern('describe_entity_type', { type: 'spaceships' }), headers('describe_entity_type'));
    await both('redacted', modern('whoami', {}), { ...headers('whoami'), accept: 'application/json' });

    const sdkOnly: Array<[unknown, Record<string, string | null>]> = [
      [modern('whoami', {}), { ...headers('whoami'), 'mcp-name': null }],
      [modern('whoami', {}), { ...headers('whoami'), 'mcp-name': 'list_entity_types' }],
      [modern('whoami', {}), { ...headers('whoami'), 'mcp-method': null }],
      [modern('whoami', {}), { ...headers('whoami'), 'mcp-protocol-version': null }],
      [modern('whoami', {}), { ...headers('whoami'), 'mcp-protocol-version': '2025-06-18' }],
      [modern('whoami', {}, 1, { ...envelope, progressToken: 'p' }), headers('whoami')],
      [modern('whoami', {}, 1, { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }), headers('whoami')],
      [modern('whoami', {}, 1, { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }), { ...headers('whoami'), 'mcp-protocol-version': '2099-01-01' }],
      [modern('no_such_tool', {}), headers('no_such_tool')],
      [modern('search_records', { type: 'members', pageSize: 'many' }), headers('search_records')],
    ];
    for (const [body, h] of sdkOnly) await both('redacted', body, h);
  });

  it('answers the same batch of fast-path calls consistently under concurrency', async () => {
    const requests = Array.from({ length: 20 }, (_, i) => call('search_records', { type: 'bookings', pageSize: 2, page: i + 1 }, i));
    const answers = await Promise.all(requests.map((body) => post(fast.url, tokens.redacted, body, {})));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect((answer.body as { id: number }).id).toBe(i);
    });
  });
});
