/**
 * What the upstream said about a failed call, screened for a session that keeps personal data
 * redacted. The message is shown as it is or not at all, never redacted into tokens: it often
 * repeats the assistant's arguments, and tokens for those would tell which of its guesses are
 * hidden values (a field name of thirty guessed birth dates, thirty tokens to compare with a
 * record's). It is not shown when:
 * - the call's tokens went upstream as the values they stand for: it may repeat them, glued to
 *   text of the assistant's where no redaction would find them;
 * - it repeats a word of the assistant's (other than the tools' argument names, the names the
 *   catalog gives the type, its fields, commands and enum values, the argument names the call
 *   itself gives, and numbers of under 7 digits such as years and sizes): whether such
 *   a message holds a value known to the session would answer, for all the words the assistant
 *   put in at once, whether any of them is one. Decided without the vault, on words read as
 *   redaction reads text (NFKC, lower case, soft hyphens and zero-width characters dropped:
 *   `Ⓕⓔⓡⓡⓔⓘⓡⓐ` is `ferreira`) and compared without their accents. A word counts as the
 *   assistant's also when it begins or ends a word or a run of its text with the punctuation and
 *   control characters taken out: upstreams cut, normalize and sanitize what they quote (`Ferré`
 *   sent decomposed and quoted composed, `Fe\u0001rré` quoted as `Ferré`, `Moreaux` cut to
 *   `Moreau`), and such a word would otherwise reach the vault as the upstream's own;
 * - it holds anything redaction would hide: a value the detectors find (they need no vault, so
 *   they read the whole message, field names such as `dob` included, which they need before a
 *   date), or a value known to the session, asked of the upstream's own words only: every word the
 *   assistant sent is blanked first, or a guess that is also a name (a person called Price, sent as
 *   a sort of `plans`), or of words too short to count as repeated (`Li Na`), would be tested
 *   against the session's values.
 */
import { detectsPersonalData, holdsKnownValue, matchKey, originalSpan, viewOf, type PiiVault } from '../pii/index.js';
import type { CatalogEntry } from './catalog-cache.js';
import { stringsOf } from './strings-of.js';

/** Words this short carry no guess worth hiding, and are in every message. */
const MIN_WORD_LENGTH = 3;
/** A shorter number repeated is a count, a size or a year, and the message is worth showing; it is still blanked before the vault is asked. */
const MIN_TRACKED_DIGITS = 7;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const ALL_DIGITS = /^\p{N}+$/u;
/** The tools' own argument and operator names: in a message they name the argument, not a value. */
const ARGUMENT_NAMES = ['type', 'id', 'filter', 'q', 'sort', 'page', 'pageSize', 'data', 'command', 'args', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'];

/** Every word of `text`, read as redaction reads text. */
const allWordsOf = (text: string): string[] => matchKey(text).match(WORD) ?? [];
const wordsOf = (text: string): string[] => allWordsOf(text).filter((word) => word.length >= MIN_WORD_LENGTH);
/** A word without its accents: decomposed or composed, with or without them, one word. */
const bare = (word: string): string => word.normalize('NFKD').replace(/\p{M}+/gu, '');

export interface UpstreamMessageContext {
  vault: PiiVault | undefined;
  tokensResolved: boolean;
  /** The arguments as the assistant sent them. */
  sent: Record<string, unknown>;
  /** The type's description, when the catalog has it: its names are not the assistant's words. */
  entry: CatalogEntry | undefined;
}

/** The sentence that quotes the upstream's message, or says why it is not shown; '' without a message. */
export function saidByUpstream(message: string | undefined, context: UpstreamMessageContext): string {
  if (!message) return '';
  const { vault } = context;
  if (vault === undefined) return ` The account system said: ${message}`;
  if (context.tokensResolved) return ' (Its message is not shown: it could repeat personal data passed to it as a «PII:…» token.)';
  // Names left out of what counts as repeated, prefixes and all: `Booking` begins the type's name `bookings`.
  const isRepeated = sentTextOf(context.sent, namesOf(context.entry, context.sent));
  if (wordsOf(message).some((word) => isRepeated(word) && !(ALL_DIGITS.test(word) && word.length < MIN_TRACKED_DIGITS))) {
    return ' (Its message is not shown: it repeats text of the arguments, which could be personal data.)';
  }
  // Every word the assistant sent is blanked, short ones too: a known value may be made of short words only (`Li Na`).
  if (detectsPersonalData(message) || holdsKnownValue(blankWords(message, sentTextOf(context.sent)), vault)) return ' (Its message is not shown: it may hold personal data.)';
  return ` The account system said: ${message}`;
}

/**
 * Whether a word (as allWordsOf reads it) is the assistant's: one of the words it sent, or, from 3
 * letters, the beginning or end of one of them or of a run of its text between spaces with
 * everything but letters and digits taken out; words and runs in `except` left out. Sorted lists
 * make each question a binary search: arguments may hold a megabyte of text.
 */
function sentTextOf(sent: Record<string, unknown>, except?: ReadonlySet<string>): (word: string) => boolean {
  const words = new Set<string>();
  const pieces: string[] = [];
  const add = (piece: string, isWord: boolean) => {
    if (except?.has(piece)) return;
    if (isWord) words.add(piece);
    pieces.push(piece);
  };
  for (const text of stringsOf(sent, undefined, true)) {
    const key = matchKey(text);
    for (const word of key.match(WORD) ?? []) add(bare(word), true);
    for (const run of key.split(/\s+/)) {
      const joined = bare(run).replace(NOT_LETTER_OR_DIGIT, '');
      if (joined.length >= MIN_WORD_LENGTH) add(joined, false);
    }
  }
  const starts = [...new Set(pieces)].sort();
  const ends = starts.map(reversed).sort();
  return (word) => {
    const b = bare(word);
    if (words.has(b)) return true;
    return b.length >= MIN_WORD_LENGTH && (beginsOne(starts, b) || beginsOne(ends, reversed(b)));
  };
}

const reversed = (s: string): string => [...s].reverse().join('');

/** Whether some string of `sorted` begins with `prefix`. */
function beginsOne(sorted: readonly string[], prefix: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]!.startsWith(prefix);
}

/** `text` with every word `isSent` owns replaced by spaces, in the original text. */
function blankWords(text: string, isSent: (word: string) => boolean): string {
  const view = viewOf(text, true);
  let out = '';
  let last = 0;
  for (const match of view.text.matchAll(WORD)) {
    if (!isSent(match[0])) continue;
    const [a, b] = originalSpan(view, match.index, match.index + match[0].length);
    if (a < last) continue;
    out += text.slice(last, a) + ' '.repeat(b - a);
    last = b;
  }
  return out + text.slice(last);
}

/**
 * The words of the tools' argument names, of the names the catalog gives the type, its fields,
 * commands and enum values, and of the argument names the call gives (the keys of `args` and
 * `data`: a message names them when it refuses one), without their accents.
 */
function namesOf(entry: CatalogEntry | undefined, sent: Record<string, unknown>): Set<string> {
  const schema = new Set<string>();
  const keysOf = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []);
  // The type's name only as the catalog gives it: an unknown type the assistant names is its own text.
  const names = [
    ...ARGUMENT_NAMES,
    entry?.entityType.type ?? '',
    ...(entry?.entityType.fields.flatMap((field) => [field.name, ...(field.enum ?? [])]) ?? []),
    ...(entry?.entityType.commands.map((command) => command.name) ?? []),
    ...keysOf(sent.args),
    ...keysOf(sent.data),
  ];
  for (const name of names) for (const word of wordsOf(name)) schema.add(bare(word));
  return schema;
}
