/**
 * What the benchmark scripts share: the three server processes (demo upstream, Gatehouse, peer),
 * sign-in through the real OAuth flow, and the requests each cell sends, checked once before load.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { authorizeWithPassword, exchangeCode, REDIRECT_URI } from '../../test/helpers/oauth-flow.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { clientOptionsFor, type ProtocolRevision } from '../../test/helpers/mcp-client.js';
import { freePort } from '../../test/helpers/free-port.js';
import { spawnNode, waitReady, type Child } from './processes.js';

export const PASSWORD = 'demo-password';

export interface StartOptions {
  /** Gatehouse with its embedded demo upstream instead of a separate upstream process. */
  embedded: boolean;
  /** Extra node arguments per process name (e.g. --cpu-prof). */
  nodeArgs?: (name: string) => string[];
  /** Gatehouse on this Redis (REDIS_URL, as replicas run) instead of its memory store. */
  redisUrl?: string;
}

// ---- processes -----------------------------------------------------------------------------------

export async function start({ embedded, nodeArgs = () => [], redisUrl }: StartOptions) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const [gatewayPort, upstreamPort, peerPort, floorPort, relayPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const children: Child[] = [];
  let upstream: Child | undefined;
  try {
    if (!embedded) {
      upstream = spawnNode('upstream', 'src/demo-upstream/main.ts', { DEMO_UPSTREAM_PORT: String(upstreamPort), DEMO_PASSWORD: PASSWORD });
      children.push(upstream);
      await waitReady(upstream, `${upstreamUrl}/healthz`);
    }
    const gatewayEnv: Record<string, string> = {
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      PUBLIC_URL: gatewayUrl,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
      // The sign-in loops open GET /authorize tens of times a second from one address, far past its
      // per-address limit (60 a minute). They sign one account in at most 4 at a time, within the 5
      // attempts in progress that RATE_LIMIT_SIGNIN_ACCOUNT allows; more loops would need it raised too.
      RATE_LIMIT_AUTHORIZE: '100000',
      ...(embedded ? { DEMO_UPSTREAM_PORT: String(upstreamPort) } : { UPSTREAM_URL: upstreamUrl }),
      ...(redisUrl !== undefined ? { REDIS_URL: redisUrl, REDIS_PREFIX: `bench-${process.pid}:`, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') } : {}),
    };
    const eldFile = path.join(dataDir, 'event-loop-delay.json');
    const gateway = spawnNode('gateway', 'src/main.ts', { ...gatewayEnv, BENCH_ELD_FILE: eldFile }, ['--import', './bench/lib/eld-hook.ts', ...nodeArgs('gateway')]);
    children.push(gateway);
    await waitReady(gateway, `${gatewayUrl}/healthz`);
    if (embedded) await waitReady(gateway, `${upstreamUrl}/healthz`);
    return { dataDir, gatewayUrl, upstreamUrl, peerPort, floorPort, relayPort, gateway, upstream, children, eldFile };
  } catch (error) {
    // Do not leave a started upstream behind when the gateway fails to start.
    for (const child of children) await child.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

// ---- OAuth -----------------------------------------------------------------------------------------

export async function authorizeOnce(baseUrl: string, clientId: string, sharePii: boolean): Promise<{ status: number; code?: string; verifier: string }> {
  const { status, code, verifier } = await authorizeWithPassword(baseUrl, clientId, { password: PASSWORD, sharePii });
  return { status, code, verifier };
}

export async function signIn(baseUrl: string, clientId: string, sharePii: boolean): Promise<string> {
  const { status, code, verifier } = await authorizeOnce(baseUrl, clientId, sharePii);
  if (status !== 303 || code === undefined) throw new Error(`sign-in failed with ${status}`);
  const response = await exchangeCode(baseUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId, resource: `${baseUrl}/mcp` });
  if (response.status !== 200) throw new Error(`token exchange failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function upstreamToken(upstreamUrl: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${upstreamUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: 'admin@example.com', password: PASSWORD }).toString(),
  });
  if (response.status !== 200) return { status: response.status };
  return { status: 200, token: ((await response.json()) as { access_token: string }).access_token };
}

// ---- requests -------------------------------------------------------------------------------------

export interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function mcpRequest(url: string, pageSize: number, token?: string): RequestSpec {
  return {
    url: `${url}/mcp`,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_records', arguments: { type: 'members', pageSize } } }),
  };
}

export function upstreamRequest(url: string, pageSize: number, token: string): RequestSpec {
  return {
    url: `${url}/api/entities/members/search`,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ pageSize }),
  };
}

/** One request, checked: 200, a result that is not isError, the expected record count. Returns wire bytes (headers + body). */
export async function verify(spec: RequestSpec, kind: 'mcp' | 'upstream', pageSize: number, redaction?: 'on' | 'off'): Promise<number> {
  const response = await fetch(spec.url, { method: 'POST', headers: spec.headers, body: spec.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${spec.url}: ${response.status} ${text.slice(0, 300)}`);
  let payload: unknown;
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const data = text.split('\n').find((line) => line.startsWith('data: '));
    payload = JSON.parse(data!.slice(6));
  } else payload = JSON.parse(text);
  let records: unknown[];
  if (kind === 'mcp') {
    const result = (payload as { result?: { isError?: boolean; structuredContent?: { records: unknown[]; piiRedaction?: string } } }).result;
    if (result === undefined || result.isError) throw new Error(`${spec.url}: tool error ${text.slice(0, 300)}`);
    if (redaction && result.structuredContent?.piiRedaction !== redaction) throw new Error(`${spec.url}: expected piiRedaction ${redaction}`);
    records = result.structuredContent!.records;
  } else records = (payload as { records: unknown[] }).records;
  if (records.length !== pageSize) throw new Error(`${spec.url}: ${records.length} records, expected ${pageSize}`);
  let headerBytes = `HTTP/1.1 ${response.status} OK\r\n`.length + 2;
  response.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
  return headerBytes + Buffer.byteLength(text);
}


/**
 * The tools/call request the official SDK client sends for `revision` (headers and body as sent),
 * captured from a real client session, so a load cell can replay exactly what a 2026-07-28 client
 * sends (its per-request envelope) rather than a hand-written copy.
 */
export async function capturedToolCall(url: string, token: string, revision: ProtocolRevision, name: string, args: Record<string, unknown>): Promise<RequestSpec> {
  let captured: RequestSpec | undefined;
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (body?.includes('"tools/call"')) {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
      captured = { url: String(input instanceof Request ? input.url : input), headers, body };
    }
    return fetch(input, init);
  };
  const client = new Client({ name: 'gatehouse-bench', version: '1.0.0' }, clientOptionsFor(revision));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } }, fetch: recordingFetch }));
  try {
    await client.callTool({ name, arguments: args });
  } finally {
    await client.close();
  }
  if (captured === undefined) throw new Error(`no tools/call request seen for ${revision}`);
  return captured;
}
