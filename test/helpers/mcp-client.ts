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
