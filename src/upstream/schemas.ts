/**
 * Shapes the client accepts from an upstream. A response that does not fit becomes
 * UpstreamUnavailableError rather than a half-typed value. Records only need a string `id`.
 * Search pages, the one shape read on every tool call, are checked by hand: zod over 2,000 records
 * is measurable, and even over a page's five fields it cost ≈ 12 µs a 10 KB call between calls
 * (bench/HISTORY.md, "Two zod checks and a URL off the fast path").
 * A field's `pii` must be present (a category or null): a missing category is never read as
 * "not personal data".
 */
import { z } from 'zod';
import { decodeJson } from './decode-json.js';
import { UpstreamUnavailableError } from './errors.js';
import type { SearchPage } from './types.js';

const FIELD_TYPES = ['id', 'string', 'text', 'number', 'boolean', 'date', 'datetime', 'enum'] as const;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer'),
  expires_in: z.number().positive().optional(),
});

export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  locations: z.array(z.object({ id: z.string(), name: z.string() })),
  readOnly: z.boolean(),
});

const summaryShape = { type: z.string(), title: z.string(), description: z.string() };

export const entitySummariesSchema = z.array(z.object(summaryShape));

export const entityTypeSchema = z.object({
  ...summaryShape,
  fields: z.array(
    z.object({
      name: z.string(),
      // An upstream's newer field type degrades to 'string' rather than failing the whole type.
      type: z.enum(FIELD_TYPES).catch('string'),
      description: z.string().default(''),
      pii: z.string().nullable(),
      filterable: z.boolean().default(false),
      readOnly: z.boolean().default(false),
      required: z.boolean().default(false),
      enum: z.array(z.string()).optional(),
      references: z.string().optional(),
    }),
  ),
  commands: z.array(z.object({ name: z.string(), description: z.string().default(''), destructive: z.boolean() })).default([]),
});

export const recordSchema = z.looseObject({ id: z.string() });

export const commandResultSchema = z.object({ message: z.string(), record: recordSchema.optional() });

export function isRecord(value: unknown): value is { id: string } & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string';
}

/** The search page in a successful search's body (Upstream.searchBody); UpstreamUnavailableError when it is not one. */
export function parseSearchPage(body: Uint8Array): SearchPage {
  return searchPageOf(decodeJson({ status: 200, bytes: body }).body);
}

/**
 * `value` checked as a search page, with only a page's fields (as zod's object would keep them);
 * UpstreamUnavailableError when it is not one.
 */
export function searchPageOf(value: unknown): SearchPage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UpstreamUnavailableError({ status: 200 });
  const { records, page, pageSize, total, hasMore } = value as Record<string, unknown>;
  const isPage =
    Array.isArray(records) && records.every(isRecord) && Number.isSafeInteger(page) && Number.isSafeInteger(pageSize) && Number.isSafeInteger(total) && typeof hasMore === 'boolean';
  if (!isPage) throw new UpstreamUnavailableError({ status: 200 });
  return { records, page, pageSize, total, hasMore } as SearchPage;
}
