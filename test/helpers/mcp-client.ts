import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export const PROTOCOL_REVISIONS = ['2025-06-18', '2025-11-25', '2026-07-28'] as const;
export type ProtocolRevision = (typeof PROTOCOL_REVISIONS)[number];

/** Client options that make the official SDK client speak exactly one protocol revision. */
export function clientOptionsFor(revision: ProtocolRevision) {
  return revision === '2026-07-28' ? { versionNegotiation: { mode: { pin: revision } } } : { supportedProtocolVersions: [revision] };
}

/** The official SDK client with a bearer token, as a client that already holds one. */
export async function connectWithToken(resourceUrl: string, accessToken: string, revision: ProtocolRevision = '2025-11-25'): Promise<Client> {
  const client = new Client({ name: 'gatehouse-tests', version: '1.0.0' }, clientOptionsFor(revision));
  await client.connect(new StreamableHTTPClientTransport(new URL(resourceUrl), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
  return client;
}

export function structured<T = Record<string, unknown>>(result: unknown): T {
  return (result as { structuredContent: T }).structuredContent;
}

/** HTTP status of a raw `tools/list` on an MCP endpoint with a bearer token: 200, 401, 403, 503. */
export async function mcpStatus(resourceUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(resourceUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await response.arrayBuffer();
  return response.status;
}
