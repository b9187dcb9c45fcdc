/**
 * The closed set of PII categories a token can carry. Matches the `pii` field of the upstream
 * catalog (src/upstream/types.ts) and the `«PII:CATEGORY:…»` token format.
 */

export const PII_CATEGORIES = ['NAME', 'EMAIL', 'PHONE', 'ADDRESS', 'DOB', 'SOCIAL', 'FINANCIAL', 'ID_DOC', 'BIO'] as const;

export type PiiCategory = (typeof PII_CATEGORIES)[number];

const CATEGORY_SET: ReadonlySet<string> = new Set(PII_CATEGORIES);

export function isPiiCategory(v: unknown): v is PiiCategory {
  return typeof v === 'string' && CATEGORY_SET.has(v);
}
