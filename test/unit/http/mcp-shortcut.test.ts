/**
 * The shortcut's routing on a real HTTP server: which requests it answers itself and which it hands
 * to Express, with what. Its collaborators are stand-ins here that record what they were given;
 * test/integration/mcp-shortcut.test.ts checks the answers against Express on the real app.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticatedByShortcut, createMcpShortcut, mcpBody, wasHandedOff, type McpShortcutDeps } from '../../../src/http/mcp-shortcut.js';
import { createLogger } from '../../../src/log.js';
import type { Authenticated, Session } from '../../../src/sessions/index.js';

interface Seen {
  /** parser: the body was left for Express's parser; authenticated: the guard gets the shortcut's authentication. */
  handedOff: Array<{ handedOff: boolean; authenticated?: boolean; parser?: boolean; body?: unknown; error?: { type?: string } }>;
  answered: number;
}
const seen: Seen = { handedOff: [], answered: 0 };
/** The authentication outcomes handed to Express, to check what the guard would get. */
let handedAuthentications: Array<Promise<Authenticated>> = [];
let authentications = 0;
let authenticate: McpShortcutDeps['authenticate'];
let answerFast: McpShortcutDeps['answerFast'];
const session = { id: 's1', clientId: 'c1', scopes: ['mcp:read'] } as unknown as Session;

/** Express's stand-in: takes the hand-off through mcpBody, as the /mcp route does, and answers 299. */
const app = (req: IncomingMessage, res: ServerResponse) => {
  let received: Seen['handedOff'][number] = { handedOff: wasHandedOff(req) };
  if (received.handedOff) {
    const parser = () => void (received = { ...received, parser: true });
    mcpBody(parser)(req as never, res as never, ((error?: { type?: string }) => {
      received = { ...received, body: (req as { body?: unknown }).body, ...(error ? { error } : {}) };
    }) as never);
    const authentication = authenticatedByShortcut(req);
    received.authenticated = authentication !== undefined;
    if (authentication !== undefined) handedAuthentications.push(authentication);
  }
  seen.handedOff.push(received);
  res.statusCode = 299;
  res.end();
};

let server: Server;
let url: string;

beforeAll(async () => {
  const shortcut = createMcpShortcut({
    app,
    begin: (_req, res) => {
      res.setHeader('x-request-id', 'r1');
      return { requestId: 'r1' };
    },
    authenticate: (header) => {
      authentications++;
      return authenticate(header);
    },
    requiredScope: (body) => ((body as { params?: { name?: string } }).params?.name === 'create_record' ? 'mcp:write' : undefined),
    fastCallOf: (req) => ((req.body as { params?: { name?: string } }).params?.name === 'whoami' ? ({ id: 1 } as never) : undefined),
    answerFast: (s, fast, res) => answerFast(s, fast, res),
    maxBodyBytes: 100,
    log: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
  });
  server = createServer(shortcut);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.handedOff = [];
  seen.answered = 0;
  handedAuthentications = [];
  authentications = 0;
  authenticate = async () => ({ session, scopes: ['mcp:read'], auth: {} as never }) satisfies Authenticated;
  answerFast = async (_s, _f, res) => {
    seen.answered++;
    res.statusCode = 200;
    res.end('fast');
  };
});

const WHOAMI = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami' } });

function post(body: string, headers: Record<string, string> = {}, path = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { 'content-type': 'application/json', authorization: 'Bearer t', 'content-length': String(Buffer.byteLength(body)), ...headers };
    for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
    const req = request(url + path, { method: 'POST', headers: all }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the /mcp shortcut', () => {
  it('answers a plain tool call itself: Express never sees it', async () => {
    expect(await post(WHOAMI)).toEqual({ status: 200, body: 'fast' });
    expect(await post(WHOAMI, { 'content-type': 'application/json; charset=utf-8' })).toEqual({ status: 200, body: 'fast' });
    expect(seen.answered).toBe(2);
    expect(seen.handedOff).toEqual([]);
  });

  it('leaves to Express, unread, what needs more than it does', async () => {
    const cases: Array<[string, Record<string, string>, string?]> = [
      ['a browser origin (CORS)', { origin: 'https://app.example' }],
      ['another media type', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['another charset', { 'content-type': 'application/json; charset=latin1' }],
      ['a compressed body', { 'content-encoding': 'gzip' }],
      ['no bearer token', { authorization: '' }],
      ['a body over the limit', { 'content-length': '101' }],
      ['a query string', {}, '?x=1'],
    ];
    for (const [what, headers, path] of cases) {
      const body = what === 'a body over the limit' ? 'x'.repeat(101) : WHOAMI;
      expect((await post(body, headers, path)).status, what).toBe(299);
    }
    expect(seen.answered).toBe(0);
    expect(seen.handedOff).toEqual(cases.map(() => ({ handedOff: false })));
  });

  it('hands Express the parsed body when the call is not one it answers, or not allowed', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const write = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'create_record' } });
    const other = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'search_records' } });
    for (const body of [list, write, other]) expect((await post(body)).status).toBe(299);
    expect(seen.handedOff).toEqual([list, write, other].map((body) => ({ handedOff: true, authenticated: true, body: JSON.parse(body) })));
    expect(seen.answered).toBe(0);
  });

  it('hands Express a token it cannot authenticate before reading a byte of the body, with the refusal for the guard to answer', async () => {
    authenticate = async () => {
      throw new Error('refused, or the store is down');
    };
    expect((await post(WHOAMI)).status).toBe(299);
    expect(seen.handedOff).toEqual([{ handedOff: true, authenticated: true, parser: true }]);
    await expect(handedAuthentications[0]).rejects.toThrow('refused, or the store is down');
    expect(authentications).toBe(1);
  });

  it('hands Express body-parser’s error for a body that is not a JSON object or array', async () => {
    for (const body of ['{', '"x"', '1']) expect((await post(body)).status).toBe(299);
    expect(seen.handedOff.map((h) => [h.error?.type, h.parser])).toEqual(Array(3).fill(['entity.parse.failed', undefined]));
  });

  it('hands Express a call that failed before answering, with its error', async () => {
    answerFast = async () => {
      throw Object.assign(new Error('vault store down'), { type: 'store' });
    };
    expect((await post(WHOAMI)).status).toBe(299);
    expect(seen.handedOff).toEqual([{ handedOff: true, authenticated: true, error: expect.objectContaining({ type: 'store' }) }]);
  });
});
