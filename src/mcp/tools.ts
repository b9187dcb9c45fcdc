/**
 * The tools: generic over the upstream's entity types (list, describe, search, get, create, update,
 * delete, run a command) plus the session tools (who am I, re-authenticate). Input schemas are built
 * once here, not per request. Write tools need the mcp:write scope and are not listed without it.
 */
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { RedactionPolicy } from '../pii/index.js';
import { policyForFields } from './catalog-cache.js';
import { revealingFilters, revealingSort } from './revealing-filters.js';
import { tokensInPlainFields, tokensInPlainSearch } from './token-placement.js';
import type { ToolContext } from './tool-context.js';

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  write: boolean;
  inputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  /** Entity type of the call, for the audit trail. */
  entityTypeOf?(args: Record<string, unknown>): string | undefined;
  /** `sent` holds the arguments as the assistant sent them, PII tokens not yet resolved. */
  run(args: Record<string, unknown>, context: ToolContext, sent: Record<string, unknown>): Promise<CallToolResult>;
}

const entityType = z.string().min(1).max(100).describe('Entity type name as listed by list_entity_types, e.g. "members" or "bookings".');
const recordId = z.string().min(1).max(200).describe('Record id, e.g. "mem_000123". PII tokens are accepted wherever a value is.');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const filterValue = z.union([
  scalar,
  z
    .object({
      eq: scalar.optional(),
      ne: scalar.optional(),
      gt: z.union([z.string(), z.number()]).optional(),
      gte: z.union([z.string(), z.number()]).optional(),
      lt: z.union([z.string(), z.number()]).optional(),
      lte: z.union([z.string(), z.number()]).optional(),
      in: z.array(scalar).max(500).optional(),
      contains: z.string().optional(),
    })
    .strict(),
]);
const data = z
  .record(z.string(), z.unknown())
  .describe('Field values by field name, as described by describe_entity_type. While personal data is redacted, «PII:…» tokens go only into fields that hold personal data.');

const typeOf = (args: Record<string, unknown>) => (typeof args.type === 'string' ? args.type : undefined);

/** A refusal when a redacted session writes tokens into fields without personal data (token-placement.ts). */
function tokensOutOfPlace(context: ToolContext, policy: RedactionPolicy, type: string, fields: unknown): CallToolResult | undefined {
  const plain = context.vault ? tokensInPlainFields(fields, policy, type) : [];
  if (plain.length === 0) return undefined;
  return context.presenter.failure(
    `«PII:…» tokens can be written only into fields that hold personal data, where they stay redacted; these fields would show the values they stand for: ${plain.join(', ')}. Write them without tokens, or sign in again and share personal data.`,
    { code: 'pii_token_in_plain_field' },
  );
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'list_entity_types',
    title: 'List entity types',
    description: 'Lists the kinds of records in the account system (members, bookings, invoices, …). Start here.',
    write: false,
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(_args, context) {
      const types = await context.upstream.listEntities(context.session.upstreamToken);
      return context.presenter.result({ entityTypes: types }, context.catalog.genericPolicy);
    },
  },
  {
    name: 'describe_entity_type',
    title: 'Describe an entity type',
    description: 'Shows the fields of an entity type (name, type, whether it can be filtered, whether it holds personal data) and the commands it supports.',
    write: false,
    inputSchema: z.object({ type: entityType }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context) {
      const { entityType: described } = await context.catalog.refresh(context.session, args.type as string);
      return context.presenter.result({ entityType: described }, context.catalog.genericPolicy);
    },
  },
  {
    name: 'search_records',
    title: 'Search records',
    description:
      'Searches records of one entity type with optional field filters ({"status":"active"} or {"amount":{"gte":100}}), free text q, sort ("-createdAt") and pagination. Personal data comes back as «PII:…» tokens unless the person chose to share it; tokens can be passed back in filters of personal-data fields. While it is redacted, personal-data fields take no ranges, substrings or sorting, and a server may refuse q (whoami says).',
    write: false,
    inputSchema: z.object({
      type: entityType,
      filter: z.record(z.string(), filterValue).optional().describe('Field filters: a value for equality, or an object with eq, ne, gt, gte, lt, lte, in, contains.'),
      q: z.string().max(200).optional().describe('Free text matched against the text fields.'),
      sort: z.string().max(100).optional().describe('Field to sort by; prefix with - for descending.'),
      page: z.number().int().min(1).max(100_000).optional().describe('Page number, from 1.'),
      pageSize: z.number().int().min(1).max(2000).optional().describe('Records per page (default 25).'),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context, sent) {
      const { type, ...query } = args as { type: string } & Record<string, unknown>;
      if (context.vault && !context.redactedFreeTextSearch && typeof sent.q === 'string' && sent.q.trim() !== '') {
        return context.presenter.failure(
          'This server does not search free text (q) in sessions that keep personal data redacted, since the account system matches it against personal data too. Filter by fields instead, or sign in again and share personal data.',
          { code: 'redacted_free_text' },
        );
      }
      const { policy } = await context.catalog.entry(context.session, type);
      const revealing = context.vault ? revealingFilters(sent.filter, policy, type) : [];
      if (revealing.length > 0) {
        return context.presenter.failure(
          `Personal data is redacted in this session, so it cannot be filtered by range, substring or a list of values: ${revealing.join('; ')}. Filter it by one value (plain, eq or ne), a «PII:…» token or a value the person gave you, or by a list of «PII:…» tokens (in).`,
          { code: 'redacted_field_filter' },
        );
      }
      const sortedBy = context.vault ? revealingSort(sent.sort, policy, type) : [];
      if (sortedBy.length > 0) {
        return context.presenter.failure(
          `Personal data is redacted in this session, so results cannot be sorted by it: ${sortedBy.join(', ')}. Sort by a field without personal data, or sign in again and share personal data.`,
          { code: 'redacted_field_sort' },
        );
      }
      const tokensOutside = context.vault ? tokensInPlainSearch(sent, policy, type) : [];
      if (tokensOutside.length > 0) {
        return context.presenter.failure(
          `«PII:…» tokens can be searched for only in fields that hold personal data, where they match records without showing the value; here they would be compared with values you can read: ${tokensOutside.join(', ')}. Filter the personal-data field by the token instead.`,
          { code: 'pii_token_in_plain_field' },
        );
      }
      const body = await context.upstream.searchBody(context.session.upstreamToken, type, query);
      return context.presenter.searchPage(type, body, policy);
    },
  },
  {
    name: 'get_record',
    title: 'Get a record',
    description: 'Gets one record by id.',
    write: false,
    inputSchema: z.object({ type: entityType, id: recordId }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context) {
      const { policy } = await context.catalog.entry(context.session, args.type as string);
      const record = await context.upstream.get(context.session.upstreamToken, args.type as string, args.id as string);
      return context.presenter.result({ type: args.type, record }, policy);
    },
  },
  {
    name: 'create_record',
    title: 'Create a record',
    description: 'Creates a record of an entity type with the given field values. The account system checks permissions and validates the fields.',
    write: true,
    inputSchema: z.object({ type: entityType, data }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context, sent) {
      const { policy } = await context.catalog.entry(context.session, args.type as string);
      const refused = tokensOutOfPlace(context, policy, args.type as string, sent.data);
      if (refused) return refused;
      const record = await context.upstream.create(context.session.upstreamToken, args.type as string, args.data as Record<string, unknown>);
      return context.presenter.result({ type: args.type, created: true, record }, policy);
    },
  },
  {
    name: 'update_record',
    title: 'Update a record',
    description: 'Changes the given fields of one record; other fields stay as they are.',
    write: true,
    inputSchema: z.object({ type: entityType, id: recordId, data }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context, sent) {
      const { policy } = await context.catalog.entry(context.session, args.type as string);
      const refused = tokensOutOfPlace(context, policy, args.type as string, sent.data);
      if (refused) return refused;
      const record = await context.upstream.update(context.session.upstreamToken, args.type as string, args.id as string, args.data as Record<string, unknown>);
      return context.presenter.result({ type: args.type, updated: true, record }, policy);
    },
  },
  {
    name: 'delete_record',
    title: 'Delete a record',
    description: 'Deletes one record. This cannot be undone; confirm with the person first.',
    write: true,
    inputSchema: z.object({ type: entityType, id: recordId }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context) {
      await context.upstream.delete(context.session.upstreamToken, args.type as string, args.id as string);
      return context.presenter.result({ type: args.type, id: args.id, deleted: true }, context.catalog.genericPolicy);
    },
  },
  {
    name: 'run_command',
    title: 'Run a command on a record',
    description: 'Runs a command an entity type supports (see describe_entity_type), e.g. check_in a member, cancel a booking or mark_paid an invoice.',
    write: true,
    inputSchema: z.object({
      type: entityType,
      id: recordId,
      command: z.string().min(1).max(100).describe('Command name from describe_entity_type.'),
      args: z.record(z.string(), z.unknown()).optional().describe('Command arguments, if the command takes any; «PII:…» tokens only in arguments that hold personal data.'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    entityTypeOf: typeOf,
    async run(args, context, sent) {
      const { policy } = await context.catalog.entry(context.session, args.type as string);
      const refused = tokensOutOfPlace(context, policy, args.type as string, sent.args);
      if (refused) return refused;
      const outcome = await context.upstream.runCommand(
        context.session.upstreamToken,
        args.type as string,
        args.id as string,
        args.command as string,
        args.args as Record<string, unknown> | undefined,
      );
      return context.presenter.result({ type: args.type, id: args.id, command: args.command, ...outcome }, policy);
    },
  },
  {
    name: 'whoami',
    title: 'Who am I',
    description: 'Shows the signed-in account, what this connection may do (scopes), whether personal data is redacted, and when the session ends.',
    write: false,
    inputSchema: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(_args, context) {
      const { session } = context;
      return context.presenter.result(
        {
          account: { id: session.account.id, name: session.account.name, email: session.account.email, roles: session.account.roles },
          scopes: context.scopes,
          readOnly: !context.scopes.includes('mcp:write'),
          sessionEndsAt: new Date(session.expiresAt).toISOString(),
          personalData: session.sharePii
            ? 'Shared: personal data is sent to the AI provider as it is. To redact it, sign in again and leave "Allow the AI assistant to see personal data" unticked.'
            : `Redacted: personal data is replaced by «PII:CATEGORY:…» tokens before it reaches the AI provider.${context.redactedFreeTextSearch ? '' : ' This server does not search free text (q) while personal data is redacted: filter by fields.'} To share it, sign in again (use the re-authenticate tool or reconnect the app) and tick "Allow the AI assistant to see personal data".`,
        },
        accountFieldsPolicy(),
      );
    },
  },
  {
    name: 'reauthenticate',
    title: 'Sign in again',
    description: 'Ends this session so the app asks the person to sign in again, e.g. to change the personal-data choice or after a permission change. The next request will require a new sign-in.',
    write: false,
    inputSchema: z.object({}),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run(_args, context) {
      await context.endSession('reauthenticate');
      return context.presenter.result(
        { sessionEnded: true, next: 'The session has ended. The app will ask the person to sign in again on the next request.' },
        accountFieldsPolicy(),
      );
    },
  },
];

export const WRITE_TOOL_NAMES: ReadonlySet<string> = new Set(TOOLS.filter((tool) => tool.write).map((tool) => tool.name));

let accountPolicy: RedactionPolicy | undefined;
/** The account's own name and e-mail are personal data too. */
function accountFieldsPolicy(): RedactionPolicy {
  accountPolicy ??= policyForFields([
    { name: 'name', pii: 'NAME' },
    { name: 'email', pii: 'EMAIL' },
  ]);
  return accountPolicy;
}
