/**
 * Runs one tool call for a session: PII tokens in the arguments are resolved from the session's
 * vault, the handler runs against the upstream, and every failure becomes a tool result the
 * assistant can act on. An upstream 401 ends the session: the person must sign in again.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { audit } from '../log.js';
import { resolveTokens } from '../pii/index.js';
import {
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../upstream/index.js';
import type { ToolContext } from './tool-context.js';
import { saidByUpstream } from './upstream-message.js';
import type { ToolDefinition } from './tools.js';

export const REAUTHENTICATE_MESSAGE =
  'Your session has ended: the account system no longer accepts it (the password may have changed, or access was revoked). Sign in again: reconnect Gatehouse in your app.';

export async function runTool(tool: ToolDefinition, rawArgs: Record<string, unknown>, sessionContext: ToolContext): Promise<CallToolResult> {
  const started = sessionContext.now();
  const entityType = tool.entityTypeOf?.(rawArgs);
  let outcome = 'ok';
  let context = sessionContext;
  let tokensResolved = false;
  try {
    const { vault } = context;
    let { value: args, unresolved, resolved } = vault ? resolveTokens(rawArgs, vault) : { value: rawArgs as unknown, unresolved: [] as string[], resolved: [] };
    if (vault && unresolved.length > 0 && (await context.reloadVault())) ({ value: args, unresolved, resolved } = resolveTokens(rawArgs, vault));
    if (resolved.length > 0) {
      tokensResolved = true;
      context = { ...context, presenter: context.presenter.forCall(resolved, writtenFields(rawArgs)) };
    }
    if (unresolved.length > 0) {
      outcome = 'unknown_pii_token';
      return context.presenter.failure(
        `These values are redacted tokens this session did not issue, so they cannot be used: ${unresolved.join(', ')}. Search again to get tokens for this session.`,
        { code: 'unknown_pii_token' },
      );
    }
    const result = await tool.run(args as Record<string, unknown>, context, rawArgs);
    if (result.isError) outcome = 'tool_error';
    return result;
  } catch (error) {
    outcome = error instanceof UpstreamError ? error.code : 'internal_error';
    return await toFailure(error, context, rawArgs, tokensResolved);
  } finally {
    audit(context.log, 'tool.called', {
      tool: tool.name,
      entityType,
      outcome,
      durationMs: context.now() - started,
      accountId: context.session.account.id,
    });
  }
}

async function toFailure(error: unknown, context: ToolContext, args: Record<string, unknown>, tokensResolved: boolean): Promise<CallToolResult> {
  const { presenter } = context;
  const entry = typeof args.type === 'string' ? context.catalog.cached(context.session, args.type) : undefined;
  const said = saidByUpstream(error instanceof UpstreamError ? error.upstreamMessage : undefined, { redacting: context.vault !== undefined, tokensResolved, sent: args, entry });
  if (error instanceof UpstreamUnauthorizedError) {
    await context.endSession('upstream_rejected');
    return presenter.failure(REAUTHENTICATE_MESSAGE, { code: 'reauthenticate_required' });
  }
  if (error instanceof UpstreamForbiddenError) {
    return presenter.failure(`The account system refused this for the signed-in account.${said}`, { code: 'forbidden' });
  }
  if (error instanceof UpstreamNotFoundError) {
    const what =
      typeof args.id !== 'string'
        ? `No entity type ${String(args.type)}`
        : typeof args.command === 'string'
          ? `No record ${args.id} of type ${String(args.type)}, or no command ${args.command} for it,`
          : `No record ${args.id} of type ${String(args.type)}`;
    const check = typeof args.command === 'string' ? 'the id with search_records and the commands with describe_entity_type' : 'the id with search_records';
    return presenter.failure(`${what} is visible to the signed-in account. Check the type with list_entity_types and ${check}.${said}`, { code: 'not_found' });
  }
  if (error instanceof UpstreamInvalidRequestError) {
    return presenter.failure(`The account system rejected the request.${said} Check the fields with describe_entity_type.`, { code: 'invalid_request' });
  }
  if (error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError) {
    return presenter.failure('The account system is not responding right now. Try again in a moment; the session is still active.', { code: 'upstream_unavailable' });
  }
  context.log.error({ err: error }, 'tool failed');
  return presenter.failure('Gatehouse could not complete this tool call because of an internal error.', { code: 'internal_error' });
}

/** The fields a write or a command sets, by name: their values in its answer are the assistant's own. */
function writtenFields(args: Record<string, unknown>): ReadonlySet<string> {
  const fields = new Set<string>();
  for (const key of ['data', 'args']) {
    const value = args[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) for (const field of Object.keys(value)) fields.add(field);
  }
  return fields;
}
