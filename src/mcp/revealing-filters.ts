/**
 * Filters that would let an assistant read redacted values through search results. A range or a
 * substring on a personal-data field answers yes or no about part of a value the session hides, so
 * repeated searches (`email` contains "a", then "ab", …) spell the value out. Equality (eq, ne, in)
 * only confirms a value the assistant already has: from the person, or as a «PII:…» token.
 */
import { isPersonalField, type RedactionPolicy } from '../pii/index.js';

const REVEALING_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'contains'] as const;

/** The personal-data fields filtered with a revealing operator, as "field (operator, …)". */
export function revealingFilters(filter: unknown, policy: RedactionPolicy): string[] {
  if (typeof filter !== 'object' || filter === null) return [];
  const found: string[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) continue;
    const operators = REVEALING_OPERATORS.filter((operator) => operator in condition);
    if (operators.length > 0 && isPersonalField(policy, field)) found.push(`${field} (${operators.join(', ')})`);
  }
  return found;
}
