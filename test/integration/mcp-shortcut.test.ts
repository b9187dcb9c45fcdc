/**
 * The /mcp shortcut (src/http/mcp-shortcut.ts) against Express, on one running Gatehouse. The same
 * bytes go once with a Content-Length (the shortcut takes it) and once chunked (the shortcut never
 * takes those, so Express does); status, headers and body must match. Also: one request id and one
 * access-log line per request on either path, the log context inside a call, and an aborted body.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../helpers/gatehouse.js';
import { signIn } from '../helpers/oauth-flow.js';

let gatehouse: RunningGatehouse;
const tokens = { redacted: '', readOnly: '' };

beforeAll(async () => {
  gatehouse = await startGatehouse({ env: { LOG_LEVEL: 'info' } });
  tokens.redacted = (await signIn(gatehouse.url)).accessToken;
  tokens.readOnly = (await signIn(gatehouse.url, { readOnly: true })).accessToken;
});

afterAll(async () => {
  await gatehouse?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

/** POST /mcp with `body` as given: with a Content-Length, or chunked (no length). */
function post(body: string | Buffer, headers: Record<string, string>, framing: 'length' | 'chunked'): Promise<Answer> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const url = new URL('/mcp', gatehouse.url);
    const req = request(url, { method: 'POST', headers: { ...headers, ...(framing === 'length' ? { 'content-length': String(bytes.length) } : { 'transfer-encoding': 'chunked' }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    // Chunked: two chunks, so the body really arrives in pieces.
    if (framing === 'chunked' && bytes.length > 1) req.write(bytes.subarray(0, 1));
    req.end(framing === 'chunked' && bytes.length > 1 ? bytes.subarray(1) : bytes);
  });
}

/** What must match between the two paths: every header but the per-response ones and the framing. */
function comparable(answer: Answer) {
  const { date: _date, 'x-request-id': requestId, 'content-length': _length, 'transfer-encoding': _te, connection: _c, 'keep-alive': _ka, ...headers } = answer.headers;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return { status: answer.status, headers, body: answer.body === '' ? undefined : JSON.parse(answer.body) };
}

async function bothPaths(token: string, body: string | Buffer, extraHeaders: Record<string, string> = {}) {
  const headers = { ...MCP_HEADERS, authorization: `Bearer ${token}`, ...extraHeaders };
  const shortcut = await post(body, headers, 'length');
  const express = await post(body, headers, 'chunked');
  expect(comparable(shortcut)).toEqual(comparable(express));
  return comparable(shortcut);
}

const call = (name: string, args: Record<string, unknown>, id = 1) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('/mcp shortcut and Express give the same answer', () => {
  it('for a tool call, its result redacted and the API headers set', async () => {
    const answer = await bothPaths(tokens.redacted, call('search_records', { type: 'members', pageSize: 3, sort: 'id' }));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cache-control']).toBe('no-store');
    const result = (answer.body as { result: { structuredContent: { records: unknown[]; piiRedaction: string } } }).result;
    expect(result.structuredContent.records).toHaveLength(3);
    expect(result.structuredContent.piiRedaction).toBe('on');
  });

  it('for a UTF-8 body with a byte-order mark, and a charset parameter', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(call('whoami', {}))]);
    const answer = await bothPaths(tokens.redacted, body, { 'content-type': 'application/json; charset=UTF-8' });
    expect(answer.status).toBe(200);
  });

  it('for bodies that are not JSON, or JSON but not an object or array: a JSON-RPC parse error', async () => {
    for (const body of ['{"jsonrpc":"2.0",', '"tools/call"', '42', 'null']) {
      const answer = await bothPaths(tokens.redacted, body);
      expect(answer.status).toBe(400);
      expect((answer.body as { error: { code: number } }).error.code).toBe(-32700);
    }
  });

  it('for a body over the limit or in a charset other than UTF-8: a JSON-RPC invalid request, not an internal error', async () => {
    const large = await bothPaths(tokens.redacted, call('whoami', { padding: 'x'.repeat(1024 * 1024) }));
    expect(large.status).toBe(413);
    expect((large.body as { error: { code: number; message: string } }).error).toEqual({ code: -32600, message: 'Invalid request: the body is too large.' });
    const latin = await bothPaths(tokens.redacted, call('whoami', {}), { 'content-type': 'application/json; charset=iso-8859-2' });
    expect(latin.status).toBe(415);
    expect((latin.body as { error: { code: number; message: string } }).error).toEqual({ code: -32600, message: "Invalid request: the body's charset or content encoding is not supported; send JSON in UTF-8." });
  });

  it('for tokens the guard refuses: the same 401 and challenge', async () => {
    const answer = await bothPaths('not-a-token', call('whoami', {}));
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('for a write tool on a read-only session: the same 403 insufficient_scope', async () => {
    const answer = await bothPaths(tokens.readOnly, call('create_record', { type: 'members', data: { name: 'x' } }));
    expect(answer.status).toBe(403);
    expect((answer.body as { error: string }).error).toBe('insufficient_scope');
  });

  it('for what only the SDK answers: other methods, batches, arguments the schema refuses', async () => {
    expect((await bothPaths(tokens.redacted, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }))).status).toBe(200);
    const batch = await bothPaths(tokens.redacted, JSON.stringify([JSON.parse(call('whoami', {}))]));
    expect(batch.status).toBe(200);
    expect(JSON.stringify(batch.body)).toMatch(/«PII:EMAIL:[0-9a-f]+»/);
    const refused = await bothPaths(tokens.redacted, call('search_records', { type: 42 }));
    expect(JSON.stringify(refused.body)).toMatch(/error|isError/);
  });
});

describe('/mcp shortcut bookkeeping', () => {
  const completedLines = (requestId: string) =>
    gatehouse.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request completed' && entry.requestId === requestId);

  it('logs one access line per request, with the id it answered with, whether it answered or handed the request to Express', async () => {
    const headers = { ...MCP_HEADERS, authorization: `Bearer ${tokens.redacted}` };
    for (const body of [call('whoami', {}), '{not json', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })]) {
      const answer = await post(body, headers, 'length');
      const requestId = answer.headers['x-request-id'] as string;
      await new Promise((resolve) => setImmediate(resolve));
      expect(completedLines(requestId)).toEqual([expect.objectContaining({ path: '/mcp', method: 'POST', status: answer.status })]);
    }
  });

  it('runs the call in the request’s log context: the audit line carries its request and session ids', async () => {
    const answer = await post(call('search_records', { type: 'members', pageSize: 1 }), { ...MCP_HEADERS, authorization: `Bearer ${tokens.redacted}` }, 'length');
    expect(answer.status).toBe(200);
    const requestId = answer.headers['x-request-id'];
    const audit = gatehouse.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.event === 'tool.called' && entry.requestId === requestId);
    expect(audit).toMatchObject({ tool: 'search_records', outcome: 'ok', sessionId: expect.any(String), clientId: expect.any(String) });
  });

  it('survives a client that goes away mid-body, and logs it as an aborted request', async () => {
    const url = new URL('/mcp', gatehouse.url);
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${tokens.redacted}`, 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"jsonrpc":"2.0",', () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gatehouse.logs.some((line) => line.includes('"type":"request.aborted"'))).toBe(true);
    const after = await post(call('whoami', {}), { ...MCP_HEADERS, authorization: `Bearer ${tokens.redacted}` }, 'length');
    expect(after.status).toBe(200);
  });
});
