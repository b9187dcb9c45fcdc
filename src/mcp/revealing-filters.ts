/**
 * Filters that would let an assistant read redacted values through search results, checked on the
 * arguments as the assistant sent them (tokens not yet resolved). A range or a substring on a
 * personal-data field answers yes or no about part of a value the session hides, so repeated
 * searches (`email` contains "a", then "ab", …) spell the value out; a list of raw values does the
 * same for a field with few values (a birth date in ten halvings of 500 dates). A single value
 * (plain, eq or ne) confirms one guess a search; a list may hold only «PII:…» tokens, values the
 * session was shown. Sorting by a personal field is a range too: where a hidden value falls among
 * values the assistant knows (one the person gave, a record it wrote) halves it like `lt` would.
 * Free text `q` is matched by the upstream against personal fields too, and only
 * PII_FREE_TEXT_SEARCH=refuse closes it (search_records; docs/pii.md, "Known limits").
 */
import { findTokens, isPersonalField, type RedactionPolicy } from '../pii/index.js';

const REVEALING_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'contains'] as const;
const NONE: readonly string[] = [];

const isWholeToken = (value: unknown) => typeof value === 'string' && findTokens(value)[0] === value.trim();

/** The personal-data fields of `recordType` filtered in a revealing way, as "field (operator, …)". */
export function revealingFilters(filter: unknown, policy: RedactionPolicy, recordType: string): readonly string[] {
  if (typeof filter !== 'object' || filter === null) return NONE;
  const found: string[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) continue;
    const operators: string[] = REVEALING_OPERATORS.filter((operator) => operator in condition);
    const list = (condition as { in?: unknown }).in;
    if (Array.isArray(list) && !list.every(isWholeToken)) operators.push('in with values that are not «PII:…» tokens');
    if (operators.length > 0 && isPersonalField(policy, recordType, field)) found.push(`${field} (${operators.join(', ')})`);
  }
  return found;
}

/**
 * The personal-data fields of `recordType` that `sort` orders by. Every name-like part counts, so
 * an upstream's own syntax for several fields or a direction (`createdAt,email`, `email:desc`)
 * cannot hide one.
 */
export function revealingSort(sort: unknown, policy: RedactionPolicy, recordType: string): readonly string[] {
  if (typeof sort !== 'string') return NONE;
  return sort.split(/[^\p{L}\p{N}_.$]+/u).filter((field) => field !== '' && isPersonalField(policy, recordType, field));
}
