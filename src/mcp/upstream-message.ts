/**
 * What the upstream said about a failed call, screened for a session that keeps personal data
 * redacted. The message is shown as it is or not at all, never redacted into tokens: it often
 * repeats the assistant's arguments, and tokens for those would tell which of its guesses are
 * hidden values (a field name of thirty guessed birth dates, thirty tokens to compare with a
 * record's).
 *
 * It is shown only when all of it is text that says nothing of a person the assistant does not
 * already know:
 * - words of MESSAGE_WORDS (the grammar and the nouns of API errors), names the catalog gives the
 *   type (its title, fields, references, commands, and the enum values of fields that hold no
 *   personal data; singular or plural; a name of several words only whole), the tools' argument
 *   names, the type and the id the call names, and a few single letters;
 * - numbers of up to 6 digits, read whole across separators (`555-0143` is 7, so is `555 - 0143`),
 *   times of day and ISO dates whole, the dates only where the type holds no birth dates (where
 *   it may, or the catalog has not said, a date is a number, and one with a two-digit year is
 *   withheld);
 * - quotes of the assistant's own arguments: text in quotes whose words are those of one whole
 *   string or key the call sent (`no field 'Müller'`, `no record 'bkg_000001'`). Only quoted and
 *   only whole: a list of guessed names in an argument would otherwise let through a message that
 *   names one of them in the upstream's own words (`cancelled by Priya Moreau`). And only from
 *   calls of at most 16 KB, 64 strings nested at most 64 deep, 8 strings that these rules would
 *   not show unquoted (each is one guess at what an upstream quotes: a name, a birth date, an
 *   account number; only those lend), and no quote mark (which could pair with the upstream's);
 * and when it holds nothing the detectors find, and no character that a model reads but words do
 * not show (symbols, private use, unassigned and default-ignorable code points, controls, lone
 * surrogates: tag characters and variation selectors carry text). Words are read as redaction
 * reads text (NFKC, lower case). It is not shown at all when the call's tokens went upstream as
 * the values they stand for: it may repeat them, glued to text of the assistant's where no
 * redaction would find them.
 *
 * The decision reads the message, the arguments and the catalog, never the session's values: it
 * is the same whether or not a guess of the assistant's is a value the session hides, however the
 * upstream rewrites the guess as it quotes it (cut, transliterated, decoded, ROT13: the rewritten
 * quote is no string the call sent). The price: a message in other words, or in another language,
 * is withheld; the error code and Gatehouse's own text are always there.
 */
import { detectsPersonalData, matchKey } from '../pii/index.js';
import type { CatalogEntry } from './catalog-cache.js';
import { MESSAGE_WORDS } from './message-words.js';

/** A longer number could be a phone, an account or a card; a shorter one is a count, a size or a year. */
const MAX_PLAIN_DIGITS = 6;
/** Arguments lend quotes only up to this much text, as NFKC writes it: reading costs the event loop ≈ 1 µs a character. */
const MAX_READ_ARGUMENTS = 16 * 1024;
/** Nor from more strings than a call needs: beyond, they are a list of guesses. */
const MAX_LENDING_STRINGS = 64;
/** Nor from more strings that the message's own rule would not show unquoted: each is one guess at what an upstream quotes. */
const MAX_GUESSING_STRINGS = 8;
/** What an upstream quotes is an id, a name or a value, not a paragraph. */
const MAX_QUOTED_WORDS = 12;
/** The type and the id the call names count as names, unquoted, when they are as short as such names. */
const MAX_NAMED = 64;
/** Arguments nested deeper lend nothing: no call of these tools needs it. */
const MAX_DEPTH = 64;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** matchKey writes decimal digits in ASCII; other numerals (`፩`) are words no vocabulary holds. */
const DIGITS = /^[0-9]+$/;
/**
 * Digits joined by one other character, or by up to three spaces or punctuation, are one number
 * (`555-0143`, `123 45 6789`, `07700·900·123`, `555 - 0143`); `, ` and `; ` separate a list's.
 */
const JOIN = String.raw`(?:[^\p{L}\p{M}\p{N}]|\s{1,3}|\s{0,2}[^\p{L}\p{M}\p{N}\s,;]{1,3}\s{0,2})`;
const NUMBER = new RegExp(String.raw`[0-9]+(?:${JOIN}[0-9]+)*`, 'gu');
/** Three groups of digits shaped as a date with a two-digit year or a day first (`12/03/85`, `85-03-12`). */
const DATE_SHAPE = /^(?:[0-9]{1,2}[^0-9]+[0-9]{1,2}[^0-9]+[0-9]{2,4}|[0-9]{2,4}[^0-9]+[0-9]{1,2}[^0-9]+[0-9]{1,2})$/;
/**
 * An ISO date and a time of day, whole: not a piece of a longer number (`1985-03-12-4567`,
 * `12:34:56:78`, `12:34 567890`: digits joined to it as NUMBER joins them; a list's `, ` does not),
 * and `55:50:14` is no time.
 */
const TIME_OF_DAY = String.raw`(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:\s?(?:z|[+-]\d\d:?\d\d))?`;
const WHOLE = (pattern: string) => new RegExp(String.raw`(?<![0-9]${JOIN})\b${pattern}\b(?!${JOIN}[0-9])`, 'gu');
const ISO_DATE = WHOLE(String.raw`\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[t ]${TIME_OF_DAY})?`);
const TIME = WHOLE(TIME_OF_DAY);
/** A quote: not opened after, nor closed before, a letter or digit, so `can't` and `booking's` are no quotes. */
const QUOTED = /(?<![\p{L}\p{N}])(?:'([^']*)'|"([^"]*)"|‘([^’]*)’|“([^”]*)”|„([^“”]*)[“”]|`([^`]*)`|«([^»]*)»)(?![\p{L}\p{N}])/gu;
/** A character that could open or close a quote: in a string sent, it would pair with the upstream's own text. */
const QUOTE_MARK = /['"‘’“”„`«»]/;
const SINGLE_LETTERS = new Set(['a', 'e', 'g', 'i', 's', 't']);
/**
 * What a model reads that words do not show: symbols (Braille, regional indicators), private use,
 * unassigned code points, lone surrogates, control characters but tab and line ends, and
 * default-ignorable ones (tag characters, variation selectors, fillers, zero-width and
 * bidirectional controls), any of which can carry text.
 */
const UNREADABLE = /[\p{So}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u;
/** The tools' own argument and operator names: in a message they name the argument, not a value. */
const ARGUMENT_NAMES = ['type', 'id', 'filter', 'q', 'sort', 'page', 'pageSize', 'data', 'command', 'args', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'];

export interface UpstreamMessageContext {
  /** Whether the session keeps personal data redacted: otherwise the message is shown as it is. */
  redacting: boolean;
  tokensResolved: boolean;
  /** The arguments as the assistant sent them. */
  sent: Record<string, unknown>;
  /** The type's description, when the catalog has it: its names are not the assistant's words. */
  entry: CatalogEntry | undefined;
}

/** The sentence that quotes the upstream's message, or says why it is not shown; '' without a message. */
export function saidByUpstream(message: string | undefined, context: UpstreamMessageContext): string {
  if (!message) return '';
  if (!context.redacting) return ` The account system said: ${message}`;
  if (context.tokensResolved) return ' (Its message is not shown: it could repeat personal data passed to it as a «PII:…» token.)';
  if (detectsPersonalData(message) || UNREADABLE.test(message)) return ' (Its message is not shown: it may hold personal data.)';
  const { names, phrases } = namesOf(context.entry, context.sent);
  // A date is a date, unless the type may hold birth dates (or the catalog has not said): then it is a number like others.
  const birthDates = context.entry === undefined || context.entry.entityType.fields.some((field) => field.pii === 'DOB');
  const explained = (word: string) => DIGITS.test(word) || SINGLE_LETTERS.has(word) || MESSAGE_WORDS.has(word) || isName(word, names);
  const plainNumber = (number: string) => number.replace(/[^0-9]/g, '').length <= MAX_PLAIN_DIGITS && !(birthDates && DATE_SHAPE.test(number));
  /** Whether text read as matchKey reads it says nothing of a person: the rule for the message, and for what makes no guess. */
  const plain = (text: string): boolean => {
    let rest = birthDates ? text : text.replace(ISO_DATE, ' ');
    rest = rest.replace(TIME, ' ');
    for (const phrase of phrases) rest = rest.replace(phrase, ' ');
    return (rest.match(WORD) ?? []).every(explained) && (rest.match(NUMBER) ?? []).every(plainNumber);
  };
  if (plain(withoutQuotesOf(matchKey(message), context.sent, plain))) return ` The account system said: ${message}`;
  return " (Its message is not shown: it has words that are neither an error's usual words nor a quote of the arguments, which could be personal data.)";
}

/** Whether `word` is one of `names`, or its plural or singular (`member` of `members`, `status` of `statuses`). */
const isName = (word: string, names: ReadonlySet<string>): boolean =>
  names.has(word) ||
  names.has(`${word}s`) ||
  (word.endsWith('s') && names.has(word.slice(0, -1))) ||
  (SIBILANT_END.test(word) && names.has(`${word}es`)) ||
  (SIBILANT_PLURAL.test(word) && names.has(word.slice(0, -2)));
/** English adds `es` after these endings (`statuses`, `boxes`, `batches`); only there, or `does` would make `do` a name's plural. */
const SIBILANT_END = /(?:s|x|z|ch|sh)$/;
const SIBILANT_PLURAL = /(?:s|x|z|ch|sh)es$/;

/**
 * `text` (read as matchKey reads it) with every quote of a whole string the call sent taken out.
 */
function withoutQuotesOf(text: string, sent: Record<string, unknown>, plain: (text: string) => boolean): string {
  let lent: ReadonlySet<string> | undefined;
  return text.replace(QUOTED, (quote: string, ...groups: unknown[]) => {
    lent ??= lendingStringsOf(sent, plain);
    const inside = groups.slice(0, 7).find((group): group is string => typeof group === 'string') ?? '';
    const quoted = inside.match(WORD)?.join(' ') ?? '';
    // A break where the quote was: no phrase runs across it, and numbers on both sides read as one (the safe side).
    return quoted !== '' && lent.has(quoted) ? ' . ' : quote;
  });
}

/**
 * The words of every string, key and number the call sent, one entry a string. None when the
 * arguments are longer than MAX_READ_ARGUMENTS (counted as NFKC writes them, one character `ﷺ` is
 * 18, and at least one a value, so empty ones count too), nest deeper than MAX_DEPTH, hold more
 * than MAX_LENDING_STRINGS such strings or more than MAX_GUESSING_STRINGS that the message's own
 * rule (`plain`) would not show unquoted (a birth date or an account number is a guess as much as a
 * name), or hold a quote mark as matchKey reads it (`＇` is `'`), which could pair with one of the
 * upstream's into a quote of its own text. Its own walk rather than stringsOf, which reads every
 * string of any size: this one stops as soon as a limit is passed.
 */
function lendingStringsOf(sent: Record<string, unknown>, plain: (text: string) => boolean): ReadonlySet<string> {
  const none = new Set<string>();
  const texts: string[] = [];
  let budget = MAX_READ_ARGUMENTS;
  const take = (text: string): boolean => {
    budget -= Math.max(1, text.length);
    if (budget >= 0) texts.push(text);
    return budget >= 0;
  };
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value === 'string') return take(value);
    if (typeof value === 'number') return take(JSON.stringify(value));
    if (value === null || typeof value !== 'object') return (budget -= 1) >= 0;
    if ((budget -= 1) < 0 || depth > MAX_DEPTH) return false;
    if (Array.isArray(value)) return value.every((item) => visit(item, depth + 1));
    // Key by key, so that an object of a hundred thousand keys stops at the budget.
    for (const key in value) if (Object.hasOwn(value, key) && !(take(key) && visit((value as Record<string, unknown>)[key], depth + 1))) return false;
    return true;
  };
  if (!visit(sent, 0)) return none;
  let normalized = 0;
  for (const text of texts) if ((normalized += text.normalize('NFKC').length) > MAX_READ_ARGUMENTS) return none;
  for (const text of texts) if (QUOTE_MARK.test(matchKey(text))) return none;
  // Only guesses lend: a quote of a plain string is judged as the upstream wrote it, since the
  // string's own separators (`1985, 03, 12`) are not the quote's (`'1985-03-12'`).
  const lent = new Set<string>();
  const seen = new Set<string>();
  for (const text of texts) {
    const read = matchKey(text);
    const words = read.match(WORD) ?? [];
    if (words.length === 0 || words.length > MAX_QUOTED_WORDS) continue;
    const key = words.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > MAX_LENDING_STRINGS) return none;
    if (!plain(read)) lent.add(key);
    if (lent.size > MAX_GUESSING_STRINGS) return none;
  }
  return lent;
}

/**
 * The tools' argument names, the type and the id the call names, and the names the catalog gives
 * the type (enum values only of fields that hold no personal data: a `gender`'s `female` is a
 * person's): those of one word, and those of several (`mark_paid`, `first name`) as phrases, only
 * whole and with one space, `_` or `-` between their words (`mark` alone is a given name).
 */
function namesOf(entry: CatalogEntry | undefined, sent: Record<string, unknown>): Names {
  const named = (value: unknown): string => (typeof value === 'string' && value.length <= MAX_NAMED ? value : '');
  const ofCall = namesIn([named(sent.type), named(sent.id)]);
  const ofCatalog = entry === undefined ? ARGUMENT_NAMES_ONLY : catalogNamesOf(entry);
  return { names: new Set([...ofCatalog.names, ...ofCall.names]), phrases: [...ofCatalog.phrases, ...ofCall.phrases] };
}

interface Names {
  names: ReadonlySet<string>;
  phrases: RegExp[];
}

const ARGUMENT_NAMES_ONLY = namesIn(ARGUMENT_NAMES);
/** Per catalog entry, which the catalog cache keeps for minutes: its phrases are compiled once, not a failed call each. */
const catalogNames = new WeakMap<CatalogEntry, Names>();

function catalogNamesOf(entry: CatalogEntry): Names {
  let names = catalogNames.get(entry);
  if (names === undefined) {
    const type = entry.entityType;
    names = namesIn([
      ...ARGUMENT_NAMES,
      type.type,
      type.title,
      ...type.fields.flatMap((field) => [field.name, field.references ?? '', ...(field.pii === null ? (field.enum ?? []) : [])]),
      ...type.commands.map((command) => command.name),
    ]);
    catalogNames.set(entry, names);
  }
  return names;
}

function namesIn(all: readonly string[]): Names {
  const single = new Set<string>();
  const phrases = new Map<string, RegExp>();
  for (const name of all) {
    const words = matchKey(name).match(WORD) ?? [];
    if (words.length === 1) single.add(words[0]!);
    else if (words.length > 1) phrases.set(words.join(' '), new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${words.join('[ _-]')}(?![\\p{L}\\p{M}\\p{N}])`, 'gu'));
  }
  return { names: single, phrases: [...phrases.values()] };
}
