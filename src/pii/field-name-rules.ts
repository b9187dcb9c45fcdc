/**
 * Field-name rules: which fields hold PII when the upstream has no catalog (or its catalog misses
 * a field). A rule's pattern is tested against the field name in snake_case lowercase
 * (`dateOfBirth`, `DATE_OF_BIRTH`, `date-of-birth` → `date_of_birth`; `VATNumber` → `vat_number`),
 * at any depth. Only English names are covered.
 *
 * Choices (over-redaction is the safe side, but these keep ordinary business data readable):
 * - plain `name`, `display_name`, `contact`, `city`, `town` are PII only in a person context: the
 *   same object has another person field (email, phone, first name, birth date, …) or an e-mail
 *   value, or sits under a key like `member`, `customer`, `contact`, `owner`. A location, plan or
 *   resource `name` stays readable.
 * - `company_name`, `location_name`, `file_name`, etc. are not PII; `country`, `state`, `region`
 *   are not flagged (too coarse to identify anyone, and everywhere in business data).
 * - `bic`/`swift` are not flagged (they name a bank, not a person); `vat` alone is not (often an
 *   amount or rate), `vat_number`/`vat_id` are.
 * - free text about a person (`notes`, `bio`, `about`, `comments`, `remarks`) is BIO, tokenized whole.
 * - `email_verified`, `phone_count`, … do not match: rules are anchored at the end of the name.
 */

import type { PiiCategory } from './categories.js';

export interface FieldNameRule {
  /** Tested against the snake_case lowercase field name. */
  readonly pattern: RegExp;
  readonly category: PiiCategory;
  /** Applies only when the surrounding object looks like a person (see module comment). */
  readonly personContext?: boolean;
}

/** `dateOfBirth`, `DATE_OF_BIRTH`, `date-of-birth`, `Date of birth` → `date_of_birth`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Anchored at the end of the name; `b` adds a word boundary before (`tel` must not match `hotel`). */
function rule(category: PiiCategory, source: string, opts: { b?: boolean; personContext?: boolean } = {}): FieldNameRule {
  const lead = opts.b === false ? '' : '(?:^|_)';
  const pattern = new RegExp(`${lead}(?:${source})(?:_?\\d+)?$`);
  return opts.personContext ? { pattern, category, personContext: true } : { pattern, category };
}

const NUMBER = '(?:_?(?:number|num|no|nr|id|code))?';
const PERSON_ROLE =
  'member|customer|contact|person|user|owner|guest|visitor|attendee|employee|booker|tenant|holder|account_?holder|card_?holder|' +
  'signatory|emergency_?contact|billing|recipient|sender|coach|teacher|student|patient|applicant|candidate|invitee|' +
  'organi[sz]er|buyer|payer|payee|beneficiary|next_?of_?kin|spouse|guardian|referrer';

export const DEFAULT_FIELD_NAME_RULES: readonly FieldNameRule[] = Object.freeze([
  // EMAIL before ADDRESS: `email_address` is an e-mail.
  rule('EMAIL', 'e_?mails?(?:_?address(?:es)?)?|mail(?:_?address)?'),
  rule('EMAIL', '[a-z0-9]e_?mail(?:_?address)?', { b: false }),
  // PHONE
  rule(
    'PHONE',
    '(?:(?:mobile|cell|home|work|office|land_?line|contact|emergency|primary|secondary|business|private|direct|personal|alt(?:ernate)?|other|day|evening|night)_?)?' +
      '(?:phone|telephone|tel|mobile|cell|cellphone|land_?line|fax|whats_?app|sms)(?:_?(?:number|num|no|nr))?s?',
  ),
  rule('PHONE', '[a-z0-9](?:phone|telephone)(?:_?(?:number|num|no|nr))?s?', { b: false }),
  // ID_DOC
  rule(
    'ID_DOC',
    `passport${NUMBER}|id_?(?:document|doc|card)${NUMBER}|identity_?(?:card|document|number)${NUMBER}|national_?id${NUMBER}|` +
      `driv(?:er|ers|ing)_?licen[cs]e${NUMBER}|licen[cs]e_?number|ssn|social_?security${NUMBER}|national_?insurance${NUMBER}|nino|` +
      `personal_?id${NUMBER}|document_?number|residence_?permit${NUMBER}|visa_?number`,
  ),
  // FINANCIAL
  rule(
    'FINANCIAL',
    `iban|bank_?account${NUMBER}|account_?(?:number|no|nr)|sort_?code|routing_?number|` +
      `(?:credit_?|debit_?|payment_?)?card_?(?:number|no|nr)|credit_?card|cc_?(?:number|no|nr)|pan|cvv|cvc|` +
      `vat_?(?:number|no|nr|id|reg(?:istration)?_?(?:number|no)?)|tax_?(?:id|number|no|nr|code|identification_?number)|tin`,
  ),
  rule('FINANCIAL', '[a-z0-9]iban', { b: false }),
  // DOB
  rule('DOB', 'date_?of_?birth|dob|birth_?date|birth_?day|birthday|born(?:_?on)?|birth_?year|year_?of_?birth'),
  rule('DOB', '[a-z0-9](?:date_?of_?birth|birth_?date)', { b: false }),
  // SOCIAL
  rule(
    'SOCIAL',
    '(?:twitter|linked_?in|facebook|instagram|tiktok|github|skype|telegram|mastodon|snapchat|pinterest|youtube|bluesky)' +
      '(?:_?(?:url|handle|username|user|profile|link|id|account))?|(?:x|threads)_?(?:url|handle|username|profile)|social(?:_?[a-z]+)?',
  ),
  // ADDRESS
  rule('ADDRESS', '[a-z0-9_]*address(?:es)?(?:_?line)?', { b: false }),
  rule(
    'ADDRESS',
    'street(?:_?(?:name|address|number|line))?|post(?:al)?_?code|postcode|zip(?:_?code)?|zipcode|house_?(?:number|no|nr)|' +
      'apartment|apt|flat_?(?:number|no)|address_?line',
  ),
  rule('ADDRESS', 'city|town|locality|suburb|line_?[12]|geo(?:location)?|lat(?:itude)?|lon(?:g|gitude)?|coordinates', { personContext: true }),
  // NAME
  rule(
    'NAME',
    '(?:full|first|last|middle|given|family|maiden|nick|legal|preferred|christian|fore|birth|sur)_?names?|surname|initials|' +
      `(?:${PERSON_ROLE})_?(?:full_?)?names?|user_?name|contact_?person|(?:account|card)_?holder|spouse|next_?of_?kin`,
  ),
  rule('NAME', 'names?|display_?name|contact', { personContext: true }),
  // BIO
  rule('BIO', '(?:[a-z]+_)?(?:notes?|bio|biography|about(?:_?me)?|comments?|remarks|allergies|dietary_?requirements|medical[a-z_]*)'),
]);

const PERSON_KEY = new RegExp(`(?:^|_)(?:${PERSON_ROLE}|host|partner|people|persons?|members|customers|contacts|users|owners|guests|visitors|attendees|employees|profile|account)s?$`);

/** Is an object found under this (snake_case) key likely a person? */
export function isPersonKey(snake: string): boolean {
  return PERSON_KEY.test(snake);
}
