/**
 * PII: detect, tokenize, filter, resolve. Pure functions and an in-memory vault; no I/O, no
 * logging, no environment. See docs/pii.md.
 */

export { PII_CATEGORIES, isPiiCategory, type PiiCategory } from './categories.js';
export {
  createVault,
  restoreVault,
  mergeVaultEntries,
  vaultPairsSince,
  MIN_SECRET_BYTES,
  type PiiVault,
  type SerializedVault,
  type VaultOptions,
  type RestoreOptions,
} from './vault.js';
export { buildRedactionPolicy, isPersonalField, type RedactionPolicy, type RedactionPolicyOptions } from './redaction-policy.js';
export { DEFAULT_FIELD_NAME_RULES, toSnakeCase, type FieldNameRule } from './field-name-rules.js';
export { detectsPersonalData, redact, redactText } from './redact.js';
export { resolveTokens } from './resolve-tokens.js';
export { findTokens, isToken } from './token-format.js';
export { matchKey, originalSpan, viewOf } from './text-view.js';
export { detectSpans } from './detect-values.js';
export { isValidIban } from './detectors/iban.js';
export { luhnValid } from './detectors/card.js';
export { isPhoneNumber } from './detectors/phone.js';
