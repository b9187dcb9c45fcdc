/**
 * What the upstream said about a failed call, screened for a session that keeps personal data
 * redacted. The message is shown as it is or not at all, never redacted into tokens: it often
 * repeats the assistant's arguments, and tokens for those would tell which of its guesses are
 * hidden values (a field name of thirty guessed birth dates, thirty tokens to compare with a
 * record's).
 *
 * It is shown only when every word of it is one that says nothing of a person the assistant does
 * not already know: a word of MESSAGE_WORDS (the grammar and the nouns of API errors), a name the
 * catalog gives the type (its title, fields, enum values, references and commands, singular or
 * plural), a tool's argument name, a number of under 7 digits, a single letter, or a word of the
 * assistant's own arguments (singular or plural too: `booking` of `bookings`); and the detectors
 * find nothing in it. Words are read as redaction
 * reads text (NFKC, lower case, soft hyphens and zero-width characters dropped) and split into runs
 * of letters and runs of digits. It is not shown at all when the call's tokens went upstream as
 * the values they stand for: it may repeat them, glued to text of the assistant's where no
 * redaction would find them.
 *
 * The decision reads the message, the arguments and the catalog, never the session's values: it
 * is the same whether or not a guess of the assistant's is a value the session hides, however the
 * upstream rewrites the guess as it quotes it (cut, transliterated, decoded, ROT13). A person the
 * upstream names in its own words is not in the vocabulary, so such a message is not shown, known
 * to the session or not. The price: a message in other words, or in another language, is withheld;
 * the error code and Gatehouse's own text are always there.
 */
import { detectsPersonalData, matchKey } from '../pii/index.js';
import type { CatalogEntry } from './catalog-cache.js';
import { MESSAGE_WORDS } from './message-words.js';
import { stringsOf } from './strings-of.js';

/** A longer number could be a phone, an account or a card; a shorter one is a count, a size, a year or part of a date. */
const MAX_PLAIN_DIGITS = 6;
/**
 * Arguments longer than this are not read for the assistant's words: the message is then shown
 * only when it needs none of them. Reading costs the event loop ≈ 1 µs a character.
 */
const MAX_READ_ARGUMENTS = 16 * 1024;
const WORD = /[\p{L}\p{M}]+|\p{N}+/gu;
const PLAIN_NUMBER = new RegExp(`^[0-9]{1,${MAX_PLAIN_DIGITS}}$`);
const SINGLE_LETTER = /^[a-z]$/;
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
  if (detectsPersonalData(message)) return ' (Its message is not shown: it may hold personal data.)';
  const names = namesOf(context.entry);
  const unexplained = wordsOf(message).filter((word) => !PLAIN_NUMBER.test(word) && !SINGLE_LETTER.test(word) && !isName(word, MESSAGE_WORDS) && !isName(word, names));
  if (unexplained.length > 0 && !unexplained.every(isSentBy(context.sent))) {
    return " (Its message is not shown: it has words that are neither the arguments nor an error's usual words, which could be personal data.)";
  }
  return ` The account system said: ${message}`;
}

/** Every word of `text`, read as redaction reads text: runs of letters and runs of digits. */
const wordsOf = (text: string): string[] => matchKey(text).match(WORD) ?? [];

/** Whether `word` is one of `names`, or its plural or singular (`member` of `members`). */
const isName = (word: string, names: ReadonlySet<string>): boolean =>
  names.has(word) || names.has(`${word}s`) || (word.endsWith('s') && names.has(word.slice(0, -1)));

/** Whether a word is one of the assistant's, or its plural or singular; never, for arguments too long to read. */
function isSentBy(sent: Record<string, unknown>): (word: string) => boolean {
  const texts = stringsOf(sent, undefined, true);
  let length = 0;
  for (const text of texts) if ((length += text.length) > MAX_READ_ARGUMENTS) return () => false;
  const words = new Set(texts.flatMap(wordsOf));
  return (word) => isName(word, words);
}

/** The words of the tools' argument names and of the names the catalog gives the type. */
function namesOf(entry: CatalogEntry | undefined): Set<string> {
  const type = entry?.entityType;
  const names = [
    ...ARGUMENT_NAMES,
    type?.type ?? '',
    type?.title ?? '',
    ...(type?.fields.flatMap((field) => [field.name, field.references ?? '', ...(field.enum ?? [])]) ?? []),
    ...(type?.commands.map((command) => command.name) ?? []),
  ];
  return new Set(names.flatMap(wordsOf));
}
