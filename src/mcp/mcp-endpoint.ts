/**
 * The /mcp endpoint: Streamable HTTP, stateless, so any replica can answer any request: 2026-07-28
 * clients through the SDK's per-request entry, 2025-era clients through a per-request transport
 * that answers with plain JSON.
 * Each request gets a fresh McpServer bound to the verified session; it lists only the tools the
 * access token's scopes allow. A plain tools/call skips the server and transport (tool-call-fast-path.ts)
 * and runs through the same tool caller.
 */
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { createMcpHandler, isLegacyRequest, McpServer, WebStandardStreamableHTTPServerTransport, type AuthInfo, type CallToolResult, type McpHandlerRequestOptions } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Logger } from '../log.js';
import type { Session, SessionService } from '../sessions/index.js';
import type { Upstream } from '../upstream/index.js';
import type { CatalogCache } from './catalog-cache.js';
import { createPresenter, serializedOf } from './present.js';
import { runTool } from './run-tool.js';
import type { ToolContext } from './tool-context.js';
import { fastToolCallOf, toolCallResponseBody, type FastToolCall, type ParsedRequest } from './tool-call-fast-path.js';
import { TOOLS, WRITE_TOOL_NAMES, type ToolDefinition } from './tools.js';
import type { ResultWorkers } from './result-workers.js';
import type { VaultRegistry } from './vaults.js';

export interface McpEndpointDeps {
  upstream: Upstream;
  sessions: SessionService;
  catalog: CatalogCache;
  vaults: VaultRegistry;
  /** Large search pages are presented there; absent: on the event loop. */
  resultWorkers?: ResultWorkers;
  log: Logger;
  version: string;
  writeScope: string;
  now?: () => number;
  /** See tool-call-fast-path.ts; off only to compare the two paths. */
  fastToolCalls?: boolean;
  /** PII_FREE_TEXT_SEARCH: whether redacted sessions may search free text. */
  redactedFreeTextSearch: boolean;
}

const INSTRUCTIONS =
  'Gatehouse connects you to an account system as the signed-in person, with exactly their permissions. ' +
  'Start with list_entity_types and describe_entity_type, then search_records. Personal data may appear as «PII:CATEGORY:…» tokens; ' +
  'pass tokens back unchanged in arguments to filter or act on those records. Confirm with the person before writes or deletions.';

/** Who a request acts for: the verified session, and its access token's scopes (a refresh may narrow them below the session's). */
export interface Caller {
  session: Session;
  scopes: readonly string[];
}

export function createMcpEndpoint(deps: McpEndpointDeps) {
  const now = deps.now ?? Date.now;
  const serverInfo = { name: 'gatehouse', version: deps.version };

  const readTools = new Map(TOOLS.filter((tool) => !tool.write).map((tool) => [tool.name, tool]));
  const allTools = new Map(TOOLS.map((tool) => [tool.name, tool]));
  /**
   * The tools a request may call (and is shown): write tools only when its access token has the
   * write scope, which a refresh may have narrowed below the session's.
   */
  const toolsFor = (scopes: readonly string[]) => (scopes.includes(deps.writeScope) ? allTools : readTools);

  /** A tool caller bound to one request's session: the SDK's server and the fast path both call tools through it. */
  const callerFor = async ({ session, scopes }: Caller) => {
    // A session that shares personal data never tokenizes anything, so it gets no vault at all.
    const vault = session.sharePii ? undefined : await deps.vaults.vaultFor(session);
    const context: ToolContext = {
      session,
      scopes,
      upstream: deps.upstream,
      catalog: deps.catalog,
      presenter: deps.resultWorkers ? createPresenter({ vault, workers: deps.resultWorkers, owner: session.id }) : createPresenter({ vault }),
      vault,
      redactedFreeTextSearch: deps.redactedFreeTextSearch,
      endSession: (reason) => deps.sessions.end(session.id, reason),
      reloadVault: async () => vault !== undefined && deps.vaults.reload(session, vault),
      log: deps.log,
      now,
    };
    return async (tool: ToolDefinition, args: Record<string, unknown>): Promise<CallToolResult> => {
      const result = await runTool(tool, args, context);
      if (vault) await deps.vaults.persist(session, vault).catch((error: unknown) => deps.log.warn({ err: error }, 'PII vault not saved to the shared store'));
      return result;
    };
  };

  const buildServer = async (caller: Caller): Promise<McpServer> => {
    const server = new McpServer(serverInfo, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
    const call = await callerFor(caller);
    for (const tool of toolsFor(caller.scopes).values()) {
      server.registerTool(
        tool.name,
        { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations },
        (args: Record<string, unknown>) => call(tool, args),
      );
    }
    return server;
  };

  const callerOf = (authInfo: AuthInfo | undefined): Caller => {
    const session = authInfo?.extra?.session as Session | undefined;
    // The bearer guard runs before this handler; reaching here without a session is a wiring bug.
    if (session === undefined) throw new Error('MCP request without a verified session');
    return { session, scopes: authInfo!.scopes };
  };
  const onerror = (error: Error) => deps.log.warn({ err: error }, 'mcp request error');

  // 2026-07-28 clients: the SDK's per-request entry.
  const modern = createMcpHandler(({ authInfo }: { authInfo?: AuthInfo }) => buildServer(callerOf(authInfo)), { legacy: 'reject', onerror });

  /**
   * 2025-era clients, statelessly: the SDK's own fallback answers every POST as an SSE stream; a
   * single JSON body is equally valid for a request/response exchange (Streamable HTTP, "the server
   * MUST either return Content-Type: text/event-stream … or application/json") and costs less.
   * There is no session to resume, so GET and DELETE are 405 as in the SDK's stateless mode.
   */
  const legacy = async (request: globalThis.Request, options: McpHandlerRequestOptions = {}): Promise<globalThis.Response> => {
    if (request.method !== 'POST') {
      return new globalThis.Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed.' } }), {
        status: 405,
        headers: { allow: 'POST', 'content-type': 'application/json' },
      });
    }
    const server = await buildServer(callerOf(options.authInfo));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    transport.onerror = onerror;
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, options);
    } finally {
      void server.close();
    }
  };

  const nodeHandler = toNodeHandler(
    {
      fetch: async (request, options) => ((await isLegacyRequest(request, options?.parsedBody)) ? legacy(request, options) : modern.fetch(request, options)),
    },
    { onerror: (error) => deps.log.error({ err: error }, 'mcp adapter error') },
  );

  /** The tools/call the fast path answers for this session, or undefined when the SDK must. */
  const fastCallOf = (req: ParsedRequest, scopes: readonly string[]): FastToolCall | undefined =>
    deps.fastToolCalls === false ? undefined : fastToolCallOf(req, toolsFor(scopes));

  /** Runs a fast-path call and writes its answer. */
  const answerFast = async (caller: Caller, fast: FastToolCall, res: ServerResponse) => {
    const call = await callerFor(caller);
    const result = await call(fast.tool, fast.args);
    const body = toolCallResponseBody(fast.id, result, fast.modern ? serverInfo : undefined);
    let length = 0;
    for (const piece of body) length += Buffer.byteLength(piece);
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', length);
    // A result worker's buffer goes back to it only once the socket no longer reads it.
    const release = serializedOf(result)?.release;
    if (release !== undefined) res.once('finish', release);
    res.cork(); // one writev for all pieces; end() uncorks
    for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
    res.end(body[body.length - 1]);
  };

  return {
    /** Express handler for POST/GET/DELETE /mcp, after the bearer guard. */
    async handle(req: Request, res: Response) {
      const caller = callerOf(req.auth);
      const fast = fastCallOf(req, caller.scopes);
      if (fast === undefined) return void (await nodeHandler(req, res, req.body));
      await answerFast(caller, fast, res);
    },
    fastCallOf,
    answerFast,
    close: () => modern.close(),
  };
}

/** The scope a JSON-RPC message needs beyond mcp:read, if any: write tools need mcp:write. */
export function requiredScopeFor(body: unknown, writeScope: string): string | undefined {
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method === 'tools/call' && typeof params?.name === 'string' && WRITE_TOOL_NAMES.has(params.name)) return writeScope;
  }
  return undefined;
}
