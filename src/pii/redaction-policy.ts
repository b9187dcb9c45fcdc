/**
 * A redaction policy: which fields of an upstream entity hold PII, compiled once per entity type
 * (catalog categories + field-name rules) and reused across requests. Field names are classified
 * once and cached, so the hot path does one Map lookup per key.
 */

import { isPiiCategory, type PiiCategory } from './categories.js';
import { DEFAULT_FIELD_NAME_RULES, isPersonKey, toSnakeCase, type FieldNameRule } from './field-name-rules.js';

declare const policyBrand: unique symbol;

/** Opaque; build with buildRedactionPolicy. */
export interface RedactionPolicy {
  readonly [policyBrand]: true;
}

export interface RedactionPolicyOptions {
  /** From the upstream catalog: field name -> category, matched case- and separator-insensitively at any depth. */
  fieldCategories?: Record<string, PiiCategory>;
  /** Defaults to DEFAULT_FIELD_NAME_RULES; pass `[...DEFAULT_FIELD_NAME_RULES, ...mine]` to extend. */
  fieldNameRules?: readonly FieldNameRule[];
  /**
   * From the upstream catalog: fields typed as ids, enum members or dates (matched like
   * fieldCategories). Their values are still scanned by the value detectors, but a value with no
   * space and no `@` is not searched for known values: an id is not prose, and a phone number's
   * digits inside "ord_07700900123" are part of the id, not a mention.
   */
  atomicFields?: Iterable<string>;
  /**
   * From the upstream catalog: every field its records have, personal or not, so that whether they
   * are people can be told before seeing one (isPersonalField). Result workers only redact, so it
   * is not carried to them (PortablePolicy).
   */
  recordFields?: Iterable<string>;
}

/** What a field name tells about its value. */
export interface KeyInfo {
  readonly category: PiiCategory | null;
  /** The category applies only in a person context. */
  readonly personContext: boolean;
  /** A NAME field whose value is a person's name for sure (catalog or explicit rule): its parts propagate. */
  readonly explicitName: boolean;
  /** An object under this key is a person (`member`, `customer`, …). */
  readonly personKey: boolean;
  /** The key itself may be data (has `@`, digits, spaces, non-ASCII): scan it like a value. */
  readonly keyIsData: boolean;
  /** The catalog types the field as an id, enum member or date (see RedactionPolicyOptions.atomicFields). */
  readonly atomic: boolean;
  /** marksPerson of the rest, worked out once: the filter asks it of every key it meets. */
  readonly marksPerson: boolean;
}

/** A policy as plain data, to build the same policy in another thread (see policyFromPortable). */
export interface PortablePolicy {
  fieldCategories: Record<string, PiiCategory>;
  atomicFields: string[];
  /** null: DEFAULT_FIELD_NAME_RULES. */
  rules: Array<{ source: string; flags: string; category: PiiCategory; personContext: boolean }> | null;
}

const MAX_CACHED_KEYS = 10_000;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$.\-]*$/;

function compact(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export class CompiledPolicy {
  readonly #catalog: Map<string, PiiCategory>;
  readonly #atomic: Set<string>;
  readonly #rules: readonly FieldNameRule[];
  readonly #cache = new Map<string, KeyInfo>();
  readonly portable: PortablePolicy;
  /** A field of these records marks a person (marksPerson): redaction treats each of them as one. */
  readonly describesPeople: boolean;

  constructor(options: RedactionPolicyOptions) {
    this.#catalog = new Map();
    for (const [name, category] of Object.entries(options.fieldCategories ?? {})) {
      if (!isPiiCategory(category)) throw new TypeError(`fieldCategories.${name}: unknown PII category`);
      this.#catalog.set(compact(name), category);
    }
    this.#atomic = new Set([...(options.atomicFields ?? [])].map(compact));
    const rules = options.fieldNameRules ?? DEFAULT_FIELD_NAME_RULES;
    for (const r of rules) {
      if (!(r.pattern instanceof RegExp) || !isPiiCategory(r.category)) throw new TypeError('invalid field-name rule');
    }
    this.#rules = rules.map((r) => ({ ...r, pattern: new RegExp(r.pattern.source, r.pattern.flags.replace(/[gy]/g, '')) }));
    this.describesPeople = [...Object.keys(options.fieldCategories ?? {}), ...(options.recordFields ?? [])].some((name) => this.classify(name).marksPerson);
    this.portable = {
      fieldCategories: { ...options.fieldCategories },
      atomicFields: [...(options.atomicFields ?? [])],
      rules:
        options.fieldNameRules === undefined
          ? null
          : this.#rules.map((r) => ({ source: r.pattern.source, flags: r.pattern.flags, category: r.category, personContext: r.personContext === true })),
    };
  }

  classify(key: string): KeyInfo {
    let info = this.#cache.get(key);
    if (info === undefined) {
      info = this.#classify(key);
      if (this.#cache.size < MAX_CACHED_KEYS) this.#cache.set(key, info);
    }
    return info;
  }

  #classify(key: string): KeyInfo {
    const info = this.#fromName(key);
    return { ...info, marksPerson: marksPerson(info) };
  }

  #fromName(key: string): Omit<KeyInfo, 'marksPerson'> {
    const snake = toSnakeCase(key);
    const keyIsData = !PLAIN_KEY.test(key) || /\d{4}/.test(key);
    const personKey = isPersonKey(snake);
    const atomic = this.#atomic.has(compact(key));
    const fromCatalog = this.#catalog.get(compact(key));
    if (fromCatalog !== undefined) {
      return { category: fromCatalog, personContext: false, explicitName: fromCatalog === 'NAME', personKey, keyIsData, atomic };
    }
    for (const r of this.#rules) {
      if (r.pattern.test(snake)) {
        const personContext = r.personContext === true;
        return { category: r.category, personContext, explicitName: r.category === 'NAME' && !personContext, personKey, keyIsData, atomic };
      }
    }
    return { category: null, personContext: false, explicitName: false, personKey, keyIsData, atomic };
  }
}

/** Categories whose field belongs to a person, so the object holding it is one. */
const PERSON_EVIDENCE: ReadonlySet<PiiCategory> = new Set(['EMAIL', 'PHONE', 'DOB', 'ID_DOC', 'SOCIAL']);

/**
 * Whether a field of this kind makes the object holding it a person, so that the fields field-name
 * rules mark only in a person's context (`name`, `city`) count there: an e-mail, phone, birth date,
 * ID or social field, or a name the catalog or an explicit rule vouches for.
 */
function marksPerson(info: Omit<KeyInfo, 'marksPerson'>): boolean {
  return info.category !== null && !info.personContext && (PERSON_EVIDENCE.has(info.category) || info.explicitName);
}

export function buildRedactionPolicy(options: RedactionPolicyOptions = {}): RedactionPolicy {
  return new CompiledPolicy(options) as unknown as RedactionPolicy;
}

export function compiled(policy: RedactionPolicy): CompiledPolicy {
  if (!(policy instanceof CompiledPolicy)) throw new TypeError('not a RedactionPolicy from buildRedactionPolicy');
  return policy;
}

/**
 * Whether a field holds personal data in records of `recordType`, as far as can be told before seeing
 * one: the catalog or a field-name rule says so. A rule that needs a person around it (`name`, `city`)
 * counts where the records are people: one of their catalog fields marks a person, as redaction
 * finds it (an e-mail, a phone, a name: marksPerson), or the type's name says so (`members`), which
 * may refuse a filter on a field redaction would show (safe side).
 */
export function isPersonalField(policy: RedactionPolicy, recordType: string, field: string): boolean {
  const compiledPolicy = compiled(policy);
  // An upstream that matched field names regardless of case would filter `nAme` as `name`, which
  // the rules, reading `n_ame`, would not flag: asked in lower case too, the stricter answer wins.
  const personal = (info: KeyInfo) =>
    info.category !== null && (!info.personContext || compiledPolicy.describesPeople || isPersonKey(toSnakeCase(recordType)));
  return personal(compiledPolicy.classify(field)) || personal(compiledPolicy.classify(field.toLowerCase()));
}

export function portablePolicy(policy: RedactionPolicy): PortablePolicy {
  return compiled(policy).portable;
}

export function policyFromPortable(p: PortablePolicy): RedactionPolicy {
  return buildRedactionPolicy({
    fieldCategories: p.fieldCategories,
    atomicFields: p.atomicFields,
    ...(p.rules === null ? {} : { fieldNameRules: p.rules.map((r) => ({ pattern: new RegExp(r.source, r.flags), category: r.category, personContext: r.personContext })) }),
  });
}
