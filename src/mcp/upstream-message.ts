/**
 * What the upstream said about a failed call, screened for a session that keeps personal data
 * redacted. The message is shown as it is or not at all, never redacted into tokens: it often
 * repeats the assistant's arguments, and tokens for those would tell which of its guesses are
 * hidden values (a field name of thirty guessed birth dates, thirty tokens to compare with a
 * record's). It is not shown when:
 * - the call's tokens went upstream as the values they stand for: it may repeat them, glued to
 *   text of the assistant's where no redaction would find them;
 * - it repeats a word of the assistant's (other than the tools' argument names and the names the
 *   catalog gives the type, its fields and commands): whether such a message holds a value known to
 *   the session would answer, for all the words the assistant put in at once, whether any of them
 *   is one. Decided without the vault, on words read as redaction reads text (NFKC, lower case,
 *   soft hyphens and zero-width characters dropped: `Ⓕⓔⓡⓡⓔⓘⓡⓐ` is `ferreira`);
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
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** The tools' own argument and operator names: in a message they name the argument, not a value. */
const ARGUMENT_NAMES = ['type', 'id', 'filter', 'q', 'sort', 'page', 'pageSize', 'data', 'command', 'args', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'];

/** Every word of `text`, read as redaction reads text. */
const allWordsOf = (text: string): string[] => matchKey(text).match(WORD) ?? [];
const wordsOf = (text: string): string[] => allWordsOf(text).filter((word) => word.length >= MIN_WORD_LENGTH);

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
  // All of them, short ones too: a known value may be made of short words only (`Li Na`).
  const sentWords = new Set(stringsOf(context.sent).flatMap(allWordsOf));
  const names = namesOf(context.entry);
  if (wordsOf(message).some((word) => sentWords.has(word) && !names.has(word))) {
    return ' (Its message is not shown: it repeats text of the arguments, which could be personal data.)';
  }
  if (detectsPersonalData(message) || holdsKnownValue(blankWords(message, sentWords), vault)) return ' (Its message is not shown: it may hold personal data.)';
  return ` The account system said: ${message}`;
}

/** `text` with every word in `words` (as allWordsOf reads it) replaced by spaces, in the original text. */
function blankWords(text: string, words: ReadonlySet<string>): string {
  const view = viewOf(text, true);
  let out = '';
  let last = 0;
  for (const match of view.text.matchAll(WORD)) {
    if (!words.has(match[0])) continue;
    const [a, b] = originalSpan(view, match.index, match.index + match[0].length);
    if (a < last) continue;
    out += text.slice(last, a) + ' '.repeat(b - a);
    last = b;
  }
  return out + text.slice(last);
}

/** The words of the tools' argument names and of the names the catalog gives the type, its fields and commands. */
function namesOf(entry: CatalogEntry | undefined): Set<string> {
  const schema = new Set<string>();
  // The type's name only as the catalog gives it: an unknown type the assistant names is its own text.
  const names = [
    ...ARGUMENT_NAMES,
    entry?.entityType.type ?? '',
    ...(entry?.entityType.fields.map((field) => field.name) ?? []),
    ...(entry?.entityType.commands.map((command) => command.name) ?? []),
  ];
  for (const name of names) for (const word of wordsOf(name)) schema.add(word);
  return schema;
}
