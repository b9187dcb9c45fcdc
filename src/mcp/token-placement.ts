/**
 * Where a redacted session may write «PII:…» tokens: only into fields that hold personal data. A
 * token written into any other field (a booking's title) is stored upstream as the value it stands
 * for, and every later read shows that field as it is: redaction covers personal-data fields and
 * what its detectors find, not copies of hidden values elsewhere.
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
