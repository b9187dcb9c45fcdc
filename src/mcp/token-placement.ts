/**
 * Where a redacted session may use «PII:…» tokens: only in fields that hold personal data. A token
 * written into any other field (a booking's title) is stored upstream as the value it stands for,
 * and every later read shows that field as it is: redaction covers personal-data fields and what
 * its detectors find, not copies of hidden values elsewhere. A token searched for in any other field
 * compares the hidden value with values the session reads in plain (`city` of locations `ne` a
 * member's city leaves out exactly that city); in `q` too, which the upstream matches against
 * every text field, and `sort` takes a field name, never a value.
 */
import { findTokens, isPersonalField, type RedactionPolicy } from '../pii/index.js';
import { stringsOf } from './strings-of.js';

const holdsToken = (value: unknown) => stringsOf(value).some((s) => findTokens(s).length > 0);

/** The fields of `fields` (field values or command arguments, as sent) that hold a token but not personal data of `recordType`. */
export function tokensInPlainFields(fields: unknown, policy: RedactionPolicy, recordType: string): readonly string[] {
  if (typeof fields !== 'object' || fields === null) return [];
  return Object.entries(fields)
    .filter(([field, value]) => holdsToken(value) && !isPersonalField(policy, recordType, field))
    .map(([field]) => field);
}

/** Where `sent` (search_records arguments as sent) searches for a token outside the personal-data fields of `recordType`. */
export function tokensInPlainSearch(sent: Record<string, unknown>, policy: RedactionPolicy, recordType: string): readonly string[] {
  const places = tokensInPlainFields(sent.filter, policy, recordType).map((field) => `filter.${field}`);
  for (const key of ['q', 'sort']) if (holdsToken(sent[key])) places.push(key);
  return places;
}
