import type { Request } from 'express';
import { classifyInboundRequest, isJSONRPCRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { fastToolCallOf, toolCallResponseBody } from '../../../src/mcp/tool-call-fast-path.js';
import { createPresenter } from '../../../src/mcp/present.js';
import { TOOLS } from '../../../src/mcp/tools.js';
import { buildRedactionPolicy } from '../../../src/pii/index.js';

const genericPolicy = buildRedactionPolicy({});

const tools = new Map(TOOLS.filter((tool) => !tool.write).map((tool) => [tool.name, tool]));
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
const request = (body: unknown, headers: Record<string, string | undefined> = {}, method = 'POST') =>
  ({ method, body, headers: Object.fromEntries(Object.entries({ ...HEADERS, ...headers }).filter(([, value]) => value !== undefined)) }) as unknown as Request;
const call = (params: Record<string, unknown>, id: unknown = 7) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });

describe('fastToolCallOf', () => {
  it('takes a plain 2025-era call of a tool the session may use, with parsed arguments', () => {
    const fast = fastToolCallOf(request(call({ name: 'search_records', arguments: { type: 'members', pageSize: 5 } })), tools);
    expect(fast?.tool.name).toBe('search_records');
    expect(fast?.id).toBe(7);
    expect(fast?.args).toEqual({ type: 'members', pageSize: 5 });
    expect(fastToolCallOf(request(call({ name: 'whoami' }, 'a')), tools)?.args).toEqual({});
    expect(fastToolCallOf(request(call({ name: 'whoami', _meta: { progressToken: 1 } })), tools)).toBeDefined();
    expect(fastToolCallOf(request(call({ name: 'whoami' }), { 'mcp-protocol-version': undefined }), tools)).toBeDefined();
  });

  // It answers these without asking the SDK's classification or its request schema: the SDK must
  // agree they are JSON-RPC requests of the legacy era.
  it.each([undefined, '2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'])('takes a call with no _meta and MCP-Protocol-Version %s as the SDK routes it, to the legacy era', (version) => {
    const req = request(call({ name: 'whoami', arguments: {} }), { 'mcp-protocol-version': version });
    expect(fastToolCallOf(req, tools)?.modern).toBe(false);
    expect(classifyInboundRequest({ httpMethod: 'POST', protocolVersionHeader: version, body: req.body }).kind).toBe('legacy');
  });

  it.each([
    ['a numeric id', call({ name: 'search_records', arguments: { type: 'members', query: 'a' } }, 0)],
    ['a string id', call({ name: 'whoami' }, '')],
    ['the largest safe integer id', call({ name: 'whoami', arguments: {} }, Number.MAX_SAFE_INTEGER)],
    ['a negative id', call({ name: 'whoami' }, -3)],
  ])('takes only what the SDK calls a JSON-RPC request: %s', (_what, body) => {
    expect(fastToolCallOf(request(body), tools)?.modern).toBe(false);
    expect(isJSONRPCRequest(body)).toBe(true);
  });

  it.each(['2026-07-28', '2099-01-01', ''])('leaves a call with no _meta and MCP-Protocol-Version "%s" to the SDK', (version) => {
    expect(fastToolCallOf(request(call({ name: 'whoami' }), { 'mcp-protocol-version': version }), tools)).toBeUndefined();
  });

  const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const modernHeaders = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'whoami', accept: undefined };

  it('takes a 2026-07-28 call whose envelope and headers agree, and marks it modern', () => {
    const fast = fastToolCallOf(request(call({ name: 'whoami', arguments: {}, _meta: envelope }), modernHeaders), tools);
    expect(fast?.modern).toBe(true);
    expect(fastToolCallOf(request(call({ name: 'whoami' })), tools)?.modern).toBe(false);
  });

  it.each([
    ['no Mcp-Name header', { 'mcp-name': undefined }, envelope],
    ['another name in Mcp-Name', { 'mcp-name': 'list_entity_types' }, envelope],
    ['no Mcp-Method header', { 'mcp-method': undefined }, envelope],
    ['a 2025 MCP-Protocol-Version header', { 'mcp-protocol-version': '2025-06-18' }, envelope],
    ['more than the envelope in _meta', {}, { ...envelope, progressToken: 1 }],
    ['a revision the SDK does not serve', { 'mcp-protocol-version': '2099-01-01' }, { ...envelope, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }],
  ])('leaves a 2026-07-28 call with %s to the SDK', (_what, headers, meta) => {
    expect(fastToolCallOf(request(call({ name: 'whoami', _meta: meta }), { ...modernHeaders, ...headers }), tools)).toBeUndefined();
  });

  it.each([
    ['a GET', request(call({ name: 'whoami' }), {}, 'GET')],
    ['another method', request({ jsonrpc: '2.0', id: 1, method: 'tools/list' })],
    ['a batch', request([call({ name: 'whoami' })])],
    ['a notification', request({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'whoami' } })],
    ['a fractional id', request(call({ name: 'whoami' }, 1.5))],
    ['a null id', request(call({ name: 'whoami' }, null))],
    ['an extra member', request({ ...call({ name: 'whoami' }), extra: 1 })],
    ['an extra parameter', request(call({ name: 'whoami', task: {} }))],
    ['array arguments', request(call({ name: 'whoami', arguments: [] }))],
    ['a write tool without the write scope', request(call({ name: 'delete_record', arguments: { type: 'members', id: 'x' } }))],
    ['an unknown tool', request(call({ name: 'nope' }))],
    ['arguments the schema refuses', request(call({ name: 'search_records', arguments: { type: 'members', pageSize: 'x' } }))],
    ['no SSE in Accept', request(call({ name: 'whoami' }), { accept: 'application/json' })],
    ['a non-JSON content type', request(call({ name: 'whoami' }), { 'content-type': 'text/plain' })],
    ['an unsupported revision', request(call({ name: 'whoami' }), { 'mcp-protocol-version': '1999-01-01' })],
    ['a 2026-07-28 request', request(call({ name: 'whoami' }), { 'mcp-protocol-version': '2026-07-28' })],
  ])('leaves %s to the SDK', (_what, req) => {
    expect(fastToolCallOf(req, tools)).toBeUndefined();
  });
});

describe('toolCallResponseBody', () => {
  it('is the JSON-RPC response of the presented result, with structuredContent spliced in', () => {
    const result = createPresenter({ vault: undefined }).result({ records: [{ id: 'x', note: 'a "quoted" \u2028 line' }] }, genericPolicy);
    const body = toolCallResponseBody('id-1', result).join('');
    expect(JSON.parse(body)).toEqual({ jsonrpc: '2.0', id: 'id-1', result });
    const failure = createPresenter({ vault: undefined }).failure('No such record.', { code: 'not_found' });
    expect(JSON.parse(toolCallResponseBody(3, failure).join(''))).toEqual({ jsonrpc: '2.0', id: 3, result: failure });
    const serverInfo = { name: 'gatehouse', version: '1.2.3' };
    expect(JSON.parse(toolCallResponseBody(4, result, serverInfo).join(''))).toEqual({
      jsonrpc: '2.0',
      id: 4,
      result: { ...result, resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': serverInfo } },
    });
  });
});
