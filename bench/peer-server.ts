/**
 * The peer: a bare MCP SDK v2 server in the documented stateless per-request pattern
 * (`createMcpHandler` + `toNodeHandler`, a new McpServer per request), no auth, no redaction.
 * Its one tool, `search_records`, makes the same upstream call Gatehouse makes (POST
 * /api/entities/:type/search with a bearer token, over a keep-alive undici Pool) and returns the
 * page the way Gatehouse does (JSON text content + structuredContent), so both serve the same bytes
 * from the same upstream and the difference is what the gateway adds.
 *
 * Env: PORT, UPSTREAM_URL, UPSTREAM_TOKEN.
 */
import { createServer } from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { Pool } from 'undici';
import { z } from 'zod';

const port = Number(process.env.PORT);
const upstreamUrl = process.env.UPSTREAM_URL!;
const upstreamToken = process.env.UPSTREAM_TOKEN!;
const pool = new Pool(upstreamUrl, { connections: 32 });

// Built once at module scope, as Gatehouse does (a schema built per request costs ~0.1 ms).
const inputSchema = z.object({
  type: z.string().min(1).max(100),
  q: z.string().max(200).optional(),
  sort: z.string().max(100).optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(2000).optional(),
});

function buildServer(): McpServer {
  const server = new McpServer({ name: 'peer', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('search_records', { description: 'Searches records of one entity type.', inputSchema }, async (args) => {
    const { type, ...query } = args as { type: string } & Record<string, unknown>;
    const response = await pool.request({
      method: 'POST',
      path: `/api/entities/${encodeURIComponent(type)}/search`,
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${upstreamToken}` },
      body: JSON.stringify(query),
    });
    const page = (await response.body.json()) as Record<string, unknown>;
    if (response.statusCode !== 200) return { isError: true, content: [{ type: 'text', text: `upstream ${response.statusCode}` }] };
    const structured = { type, ...page, piiRedaction: 'off' };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  });
  return server;
}

const handler = createMcpHandler(() => buildServer(), { legacy: 'stateless' });
const nodeHandler = toNodeHandler(handler);

const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  if (req.url !== '/mcp') return void res.writeHead(404).end();
  void nodeHandler(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`peer listening on ${port}\n`));
const stop = () => server.close(() => void pool.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
