/**
 * The /mcp endpoint: Streamable HTTP through the SDK's per-request handler, which serves 2025-era
 * clients statelessly and 2026-07-28 clients natively, so any replica can answer any request.
 * Each request gets a fresh McpServer bound to the verified session; it lists only the tools the
 * session's scopes allow.
 */
import type { Request, Response } from 'express';
import { createMcpHandler, McpServer, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Logger } from '../log.js';
import type { Session, SessionService } from '../sessions/index.js';
import type { Upstream } from '../upstream/index.js';
import type { CatalogCache } from './catalog-cache.js';
import { createPresenter } from './present.js';
import { runTool } from './run-tool.js';
import type { ToolContext } from './tool-context.js';
import { TOOLS, WRITE_TOOL_NAMES } from './tools.js';
import type { VaultRegistry } from './vaults.js';

export interface McpEndpointDeps {
  upstream: Upstream;
  sessions: SessionService;
  catalog: CatalogCache;
  vaults: VaultRegistry;
  log: Logger;
  version: string;
  writeScope: string;
  now?: () => number;
}

const INSTRUCTIONS =
  'Gatehouse connects you to an account system as the signed-in person, with exactly their permissions. ' +
  'Start with list_entity_types and describe_entity_type, then search_records. Personal data may appear as «PII:CATEGORY:…» tokens; ' +
  'pass tokens back unchanged in arguments to filter or act on those records. Confirm with the person before writes or deletions.';

export function createMcpEndpoint(deps: McpEndpointDeps) {
  const now = deps.now ?? Date.now;

  const buildServer = async (session: Session): Promise<McpServer> => {
    const server = new McpServer({ name: 'gatehouse', version: deps.version }, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
    // A session that shares personal data never tokenizes anything, so it gets no vault at all.
    const vault = session.sharePii ? undefined : await deps.vaults.vaultFor(session);
    const context: ToolContext = {
      session,
      upstream: deps.upstream,
      catalog: deps.catalog,
      presenter: createPresenter({ vault }),
      vault,
      endSession: (reason) => deps.sessions.end(session.id, reason),
      reloadVault: async () => vault !== undefined && deps.vaults.reload(session, vault),
      log: deps.log,
      now,
    };
    const canWrite = session.scopes.includes(deps.writeScope);
    for (const tool of TOOLS) {
      if (tool.write && !canWrite) continue;
      server.registerTool(
        tool.name,
        { title: tool.title, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations },
        async (args: Record<string, unknown>) => {
          const result = await runTool(tool, args, context);
          if (vault) await deps.vaults.persist(session, vault).catch((error: unknown) => deps.log.warn({ err: error }, 'PII vault not saved to the shared store'));
          return result;
        },
      );
    }
    return server;
  };

  const handler = createMcpHandler(
    ({ authInfo }: { authInfo?: AuthInfo }) => {
      const session = authInfo?.extra?.session as Session | undefined;
      // The bearer guard runs before this handler; reaching here without a session is a wiring bug.
      if (session === undefined) throw new Error('MCP request without a verified session');
      return buildServer(session);
    },
    { legacy: 'stateless', onerror: (error) => deps.log.warn({ err: error }, 'mcp request error') },
  );
  const nodeHandler = toNodeHandler(handler, { onerror: (error) => deps.log.error({ err: error }, 'mcp adapter error') });

  return {
    /** Express handler for POST/GET/DELETE /mcp, after the bearer guard. */
    async handle(req: Request, res: Response) {
      await nodeHandler(req, res, req.body);
    },
    close: () => handler.close(),
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
