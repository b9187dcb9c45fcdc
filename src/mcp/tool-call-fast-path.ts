/**
 * The hot path: a `tools/call` answered without building an McpServer and a transport for it.
 * Stateless serving builds both per request and passes the result through three more copies
 * (result validation, the JSON-RPC envelope, a web Response); for a tool call that is most of what
 * a gateway costs, so the one call clients repeat takes a short way.
 *
 * It takes only what the SDK would accept unchanged: a single request (no batch), a known tool this
 * session may use and arguments its schema accepts, and per era the rest of what the SDK checks —
 * 2025-era: the Accept header and a supported MCP-Protocol-Version (or none); 2026-07-28: the
 * per-request `_meta` envelope and nothing else in `_meta`, and MCP-Protocol-Version, Mcp-Method and
 * Mcp-Name headers that repeat the body. Anything else returns undefined and goes to the SDK, which
 * owns every protocol error. The answer is the SDK's: `{ result, jsonrpc, id }` as application/json,
 * on 2026-07-28 with the result stamped `resultType: "complete"` and the server's identity in its
 * `_meta`; the result comes from the same `runTool` and presenter.
 * test/integration/mcp-fast-path.test.ts sends each request to both paths and compares the answers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  classifyInboundRequest,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CallToolResult,
} from '@modelcontextprotocol/server';
import { serializedOf } from './present.js';
import type { SerializedText } from './result-workers.js';
import type { ToolDefinition } from './tools.js';

export interface FastToolCall {
  id: string | number;
  tool: ToolDefinition;
  args: Record<string, unknown>;
  /** A 2026-07-28 request: its result carries `resultType` and the server's identity. */
  modern: boolean;
}

/** The first revision with a per-request envelope: revisions compare as dates, and an earlier one is legacy. */
const FIRST_MODERN_REVISION = '2026-07-28';
/** The modern revisions the SDK serves (its list is not exported; the differential test notices a change). */
const MODERN_REVISIONS: ReadonlySet<string> = new Set([FIRST_MODERN_REVISION]);
const ENVELOPE_KEYS: ReadonlySet<string> = new Set([PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY]);

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAM_KEYS = new Set(['name', 'arguments', '_meta']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const onlyKeys = (value: Record<string, unknown>, allowed: ReadonlySet<string>) => {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
};

/** What the fast path reads of a request: its method, headers and parsed JSON body. */
export interface ParsedRequest {
  method?: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/** The call, when this path may answer it; undefined when the SDK must. `tools`: what the session may call. */
export function fastToolCallOf(req: ParsedRequest, tools: ReadonlyMap<string, ToolDefinition>): FastToolCall | undefined {
  if (req.method !== 'POST') return undefined;
  const body: unknown = req.body;
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call' || !onlyKeys(body, REQUEST_KEYS)) return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return undefined;
  if (!isPlainObject(params) || typeof params.name !== 'string' || !onlyKeys(params, PARAM_KEYS)) return undefined;
  if (params._meta !== undefined && !isPlainObject(params._meta)) return undefined;
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;

  if (!isJsonContentType(req.headers['content-type'] ?? '')) return undefined;
  const version = header(req, 'mcp-protocol-version');
  let modern: boolean;
  if (params._meta === undefined && (version === undefined || version < FIRST_MODERN_REVISION)) {
    // No envelope and no modern header: the SDK's classification can only route a JSON-RPC request
    // like this to the legacy era. Asking it anyway tries the body as a response first and builds
    // two zod errors, ≈ 13 µs a call warm and several times that between calls (bench/HISTORY.md).
    // The checks above are stricter than the SDK's JSON-RPC request schema (exact members, a safe
    // integer or string id, object params), so its zod check (≈ 20 µs between calls) would only
    // repeat them; the unit test holds the SDK to agreeing.
    modern = false;
  } else {
    const route = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: version,
      mcpMethodHeader: header(req, 'mcp-method'),
      mcpNameHeader: header(req, 'mcp-name'),
      body,
    });
    if (route.kind === 'legacy') modern = false;
    else if (route.kind === 'modern' && route.messageKind === 'request') {
      const revision = route.classification.revision;
      if (revision === undefined || !MODERN_REVISIONS.has(revision) || version !== revision) return undefined;
      if (header(req, 'mcp-method') !== 'tools/call' || header(req, 'mcp-name') !== params.name) return undefined;
      if (!isPlainObject(params._meta) || !onlyKeys(params._meta, ENVELOPE_KEYS)) return undefined;
      modern = true;
    } else return undefined;
  }
  if (!modern) {
    const accept = req.headers.accept;
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  }

  const tool = tools.get(params.name);
  if (tool === undefined) return undefined;
  const parsed = tool.inputSchema.safeParse(params.arguments ?? {});
  if (!parsed.success) return undefined;
  return { id: id as string | number, tool, args: parsed.data, modern };
}

/**
 * The JSON-RPC response body, in pieces to be written in order; what the presenter already
 * serialized (the structuredContent's JSON, and from a result worker the text content too) is
 * spliced in as it is. Pieces, not one string: joining a megabyte-sized JSON text to its neighbours
 * makes a rope that V8 must copy flat once to measure and again to write it (≈ 3 ms a 1 MB page).
 * `serverInfo` (2026-07-28 only) is stamped as the SDK does.
 */
export function toolCallResponseBody(id: string | number, result: CallToolResult, serverInfo?: { name: string; version: string }): Array<string | Buffer> {
  const stamp = (r: Record<string, unknown>) =>
    serverInfo === undefined ? r : { ...r, resultType: 'complete', _meta: { ...(r._meta as Record<string, unknown> | undefined), [SERVER_INFO_META_KEY]: serverInfo } };
  const tail = `},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
  const parts = serializedOf(result);
  if (parts === undefined) return [JSON.stringify({ result: stamp(result), jsonrpc: '2.0', id })];
  if (parts.text === undefined) {
    const restJson = JSON.stringify(stamp(omit(result, STRUCTURED)));
    return ['{"result":', restJson.slice(0, -1), ',"structuredContent":', ...piecesOf(parts.structured), tail];
  }
  const othersJson = JSON.stringify(stamp(omit(result, STRUCTURED_AND_CONTENT)));
  const others = othersJson === '{}' ? '' : `,${othersJson.slice(1, -1)}`;
  return ['{"result":{"content":[{"type":"text","text":', ...piecesOf(parts.text), `}]${others},"structuredContent":`, ...piecesOf(parts.structured), tail];
}

const piecesOf = (text: SerializedText): ReadonlyArray<string | Buffer> => (typeof text === 'string' || Buffer.isBuffer(text) ? [text] : text);

const STRUCTURED: ReadonlySet<string> = new Set(['structuredContent']);
const STRUCTURED_AND_CONTENT: ReadonlySet<string> = new Set(['structuredContent', 'content']);

/** A copy without `keys`, never reading them (a worker's result parses its structuredContent only when read). */
function omit(result: CallToolResult, keys: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(result)) if (!keys.has(key)) out[key] = (result as Record<string, unknown>)[key];
  return out;
}

function header(req: ParsedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
