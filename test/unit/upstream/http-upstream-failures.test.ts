import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpUpstream,
  InvalidCredentialsError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type Upstream,
} from '../../../src/upstream/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: Upstream[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, timeoutMs = 2_000, options: { connections?: number; maxResponseBytes?: number } = {}): Upstream {
  const upstream = createHttpUpstream({ baseUrl, timeoutMs, ...options });
  clients.push(upstream);
  return upstream;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

describe('createHttpUpstream failures', () => {
  it('turns a server that never answers into UpstreamTimeoutError', async () => {
    const url = await serve(() => {});
    const started = performance.now();
    await expect(client(url, 200).me('t')).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('times out a body that stops half-way', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    await expect(client(url, 200).get('t', 'members', 'mem_1')).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it('times out a call still waiting for a connection, and the call it waited behind', async () => {
    const url = await serve(() => {});
    const upstream = client(url, 200, { connections: 1 });
    const started = performance.now();
    const outcomes = await Promise.allSettled([upstream.me('a'), upstream.me('b')]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([expect.any(UpstreamTimeoutError), expect.any(UpstreamTimeoutError)]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a body larger than maxResponseBytes', async () => {
    const url = await serve(json(200, { id: 'x', note: 'n'.repeat(5_000) }));
    await expect(client(url, 2_000, { maxResponseBytes: 1_000 }).get('t', 'members', 'x')).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('reads a large body sent in chunks without a length, and a final status after an informational one', async () => {
    const records = Array.from({ length: 2_000 }, (_, i) => ({ id: `mem_${i}`, name: `Member ${i} ${'x'.repeat(100)}` }));
    const page = JSON.stringify({ records, page: 1, pageSize: 2_000, total: 2_000, hasMore: false });
    const url = await serve((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < page.length; at += 64 * 1024) res.write(page.slice(at, at + 64 * 1024));
      res.end();
    });
    const found = await client(url).search('t', 'members', {});
    expect(page.length).toBeGreaterThan(200_000);
    expect(found.records).toHaveLength(2_000);
    expect(found.records[1_999]).toEqual(records[1_999]);
  });

  it('turns a 5xx into UpstreamUnavailableError with the status', async () => {
    const url = await serve(json(503, { error: { code: 'maintenance', message: 'Back soon.' } }));
    const error = await client(url).me('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).status).toBe(503);
  });

  it('turns a non-JSON error page into an error of its status', async () => {
    const url = await serve((_req, res) => void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'));
    await expect(client(url).me('t')).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('turns a refused connection into UpstreamUnavailableError', async () => {
    const url = await serve(() => {});
    const server = servers.pop()!;
    server.close();
    await once(server, 'close');
    await expect(client(url).ping()).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('counts any answer below 500 as reachable in ping, so upstreams without /healthz are ready', async () => {
    const notFound = await serve(json(404, { error: { code: 'not_found', message: 'No such route.' } }));
    await expect(client(notFound).ping()).resolves.toBeUndefined();
    const down = await serve(json(503, { error: { code: 'maintenance', message: 'Back soon.' } }));
    await expect(client(down).ping()).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('turns a success that is not JSON into UpstreamUnavailableError', async () => {
    const url = await serve((_req, res) => void res.writeHead(200).end('hello'));
    const error = await client(url).me('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(String((error as Error).cause ?? '')).not.toContain('hello');
  });

  it('turns a success of the wrong shape into UpstreamUnavailableError', async () => {
    const url = await serve(json(200, { records: [{ name: 'no id' }], page: 1, pageSize: 25, total: 1, hasMore: false }));
    await expect(client(url).search('t', 'members', {})).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('refuses an entity type whose fields lack a PII category', async () => {
    const url = await serve(json(200, { type: 'members', title: 'M', description: 'd', fields: [{ name: 'email', type: 'string' }], commands: [] }));
    await expect(client(url).describe('t', 'members')).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('maps invalid_grant to InvalidCredentialsError without the upstream text in its message', async () => {
    const url = await serve(json(400, { error: 'invalid_grant', error_description: 'No account for jane@example.org' }));
    const error = await client(url).signIn('jane@example.org', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as Error).message).not.toContain('jane');
  });

  it('keeps a base URL path prefix and encodes path segments', async () => {
    const paths: string[] = [];
    const url = await serve((req, res) => {
      paths.push(req.url ?? '');
      json(200, { id: 'x' })(req, res);
    });
    await client(`${url}/tenant/`).get('t', 'members', 'a/../b');
    expect(paths).toEqual(['/tenant/api/entities/members/records/a%2F..%2Fb']);
  });

  it('sends the bearer token and never a body on GET', async () => {
    let seen: { auth?: string; length?: string } = {};
    const url = await serve((req, res) => {
      seen = { auth: req.headers.authorization, length: req.headers['content-length'] };
      json(200, [])(req, res);
    });
    await client(url).listEntities('tok123');
    expect(seen.auth).toBe('Bearer tok123');
    expect(seen.length ?? '0').toBe('0');
  });
});
