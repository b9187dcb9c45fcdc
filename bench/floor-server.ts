/**
 * The floor: the least a Node gateway must do to answer the benchmark's tools/call, and nothing
 * else. `node:http`, read and parse the JSON-RPC body, one upstream request over a keep-alive
 * undici Pool, parse the page, answer with the same result shape as Gatehouse and the peer (JSON
 * text content + structuredContent) in one write. No auth, no session, no validation, no
 * redaction, no Express, no SDK. Gatehouse's overhead minus the floor's is what its own features
 * cost; the floor's own overhead is the second loopback hop and the JSON that any gateway pays.
 * Not a server to copy: it trusts its input.
 *
 * Env: PORT, UPSTREAM_URL, UPSTREAM_TOKEN.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.env.PORT);
const upstreamToken = process.env.UPSTREAM_TOKEN!;
const pool = new Pool(process.env.UPSTREAM_URL!, { connections: 32 });

const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  if (req.url !== '/mcp' || req.method !== 'POST') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; params: { arguments: { type: string } & Record<string, unknown> } };
      const { type, ...query } = message.params.arguments;
      const response = await pool.request({
        method: 'POST',
        path: `/api/entities/${encodeURIComponent(type)}/search`,
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${upstreamToken}` },
        body: JSON.stringify(query),
      });
      const structured = { ...((await response.body.json()) as Record<string, unknown>), piiRedaction: 'off' };
      const body = JSON.stringify({ result: { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured }, jsonrpc: '2.0', id: message.id });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    })().catch(() => void res.writeHead(500).end());
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening on ${port}\n`));
const stop = () => server.close(() => void pool.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
