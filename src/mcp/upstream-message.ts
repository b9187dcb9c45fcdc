/**
 * What the upstream said about a failed call, screened for a session that keeps personal data
 * redacted. The message is shown as it is or not at all, never redacted into tokens: it often
 * repeats the assistant's arguments, and tokens for those would tell which of its guesses are
 * hidden values (a field name of thirty guessed birth dates, thirty tokens to compare with a
 * record's). It is not shown when:
 * - the call's tokens went upstream as the values they stand for: it may repeat them, glued to
 *   text of the assistant's where no redaction would find them;
 * - the arguments are longer than 16 KB: too long to check cheaply what it repeats of them;
 * - it repeats a word of the assistant's (other than the tools' argument names, the names the
 *   catalog gives the type, its fields, commands and enum values, the argument names the call
 *   itself gives as identifiers, and numbers of under 7 digits such as years and sizes): whether
 *   such a message holds a value known to the session would answer, for all the words the
 *   assistant put in at once, whether any of them is one. Decided without the vault, on words read
 *   as redaction reads text (NFKC, lower case, soft hyphens and zero-width characters dropped:
 *   `Ⓕⓔⓡⓡⓔⓘⓡⓐ` is `ferreira`), compared without their accents and with case folded in full
 *   (`Groß` is `GROSS`);
 * - the arguments hold text an upstream may rewrite as it quotes it (REWRITABLE: letters outside
 *   ASCII, digits inside a word, escapes and encodings): it may quote a guess transliterated,
 *   sanitized or decoded, a word no comparison with the arguments finds, and asking the vault
 *   about it would answer for the guess. An encoding nothing here recognizes by its shape (base64
 *   without digits, ROT13) is not caught: docs/pii.md, Known limits;
 * - it holds anything redaction would hide: a value the detectors find (they need no vault, so
 *   they read the whole message, field names such as `dob` included, which they need before a
 *   date), or a value known to the session, asked of the upstream's own words only: every word the
 *   assistant sent is blanked first, or a guess that is also a name (a person called Price, sent as
 *   a sort of `plans`), or of words too short to count as repeated (`Li Na`), would be tested
 *   against the session's values. Blanked too is any word that stands anywhere in a string the
 *   assistant sent, with everything but letters and digits taken out: upstreams cut, normalize and
 *   sanitize what they quote (`a/Fe\u0001rr/b` quoted as `a/Ferr/b`, `Du pont` as `Dupont`,
 *   `Moreaux` cut to `Moreau`), and such a word would otherwise reach the vault as the upstream's
 *   own.
 */
import { detectsPersonalData, holdsKnownValue, matchKey, originalSpan, viewOf, type PiiVault } from '../pii/index.js';
import type { CatalogEntry } from './catalog-cache.js';
import { fieldsSetBy, stringsOf } from './strings-of.js';

/** Words this short carry no guess worth hiding, and are in every message. */
const MIN_WORD_LENGTH = 3;
/** A shorter number repeated is a count, a size or a year, and the message is worth showing; it is still blanked before the vault is asked. */
const MIN_TRACKED_DIGITS = 7;
/**
 * Arguments longer than this, as NFKC writes their strings, keys and numbers, are not screened:
 * the upstream's message is not shown. Indexing costs the event loop ≈ 0.4–1.2 µs a character, and
 * every session waits meanwhile; counted after NFKC, since one character can become 18 (`ﷺ`).
 */
const MAX_SCREENED_TEXT = 16 * 1024;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const ALL_DIGITS = /^\p{N}+$/u;
/** A key that reads as an argument's name: the keys of `args` and `data` are exempt only then. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The tools' own argument and operator names: in a message they name the argument, not a value. */
const ARGUMENT_NAMES = ['type', 'id', 'filter', 'q', 'sort', 'page', 'pageSize', 'data', 'command', 'args', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'];

/** Every word of `text`, read as redaction reads text. */
const allWordsOf = (text: string): string[] => matchKey(text).match(WORD) ?? [];
const wordsOf = (text: string): string[] => allWordsOf(text).filter((word) => word.length >= MIN_WORD_LENGTH);
/**
 * Text without its accents and with case folded in full: decomposed or composed, with or without
 * accents, `Groß` or `GROSS`, one word.
 */
const bare = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .toLowerCase()
    .replace(UNDECOMPOSED, (letter) => ASCII_FOLD[letter]!);
/** Letters NFKD leaves whole that upstreams write in ASCII (`Łukasz` as `Lukasz`), and final sigma. */
const ASCII_FOLD: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', æ: 'ae', œ: 'oe', þ: 'th', ı: 'i', ħ: 'h', ŀ: 'l', ς: 'σ' };
const UNDECOMPOSED = new RegExp(`[${Object.keys(ASCII_FOLD).join('')}]`, 'g');
/**
 * Text an upstream may rewrite as it quotes it, into words no comparison with the arguments finds:
 * letters outside ASCII (transliterated: `Παπαδόπουλος` as `Papadopoulos`, `Müller` as `Mueller`,
 * small capitals as capitals), digits inside a word (`Mo1reau` sanitized to `Moreau`), and
 * encodings an upstream may decode: percent (`%72`), HTML entities with or without `;` (`&#114`,
 * `&eacute`, `&amp#114;`), backslash escapes (`\u0072`, `\162`, `\x{72}`), quoted-printable (`=72`)
 * and runs that read as base64.
 */
const REWRITABLE = /(?![\x00-\x7f])[\p{L}\p{M}]|\p{L}\p{N}+\p{L}|%[0-9a-f]{2}|&[#a-z]|\\[0-9a-z{]|=[0-9a-f]{2}/iu;
/** A run of base64's alphabet long enough to hold a name: padded, or mixing both cases with digits. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}=*/g;
const isBase64Like = (run: string): boolean => run.endsWith('=') || (/[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run));
/** Canonical UUIDs are ids, not words: their hex letters around digits would count as a word's digits. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const rewritable = (text: string): boolean => {
  const plain = text.replace(UUID, ' ');
  return REWRITABLE.test(plain) || (plain.match(BASE64_RUN) ?? []).some(isBase64Like);
};

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
  const names = namesOf(context.entry, context.sent);
  const sent = indexSent(context.sent, names);
  if (sent === undefined) return ' (Its message is not shown: the arguments are too long to check what it repeats of them.)';
  const repeats = (word: string) => {
    const b = bare(word);
    return !(ALL_DIGITS.test(b) && b.length < MIN_TRACKED_DIGITS) && sent.isRepeated(b);
  };
  if (wordsOf(message).some(repeats)) return ' (Its message is not shown: it repeats text of the arguments, which could be personal data.)';
  // Whether the vault knows a word the upstream made of such text would answer for the assistant's guesses.
  if (sent.rewritable) return ' (Its message is not shown: the arguments hold text an account system may rewrite as it quotes it.)';
  // Every word the assistant sent is blanked, names and short ones too: a known value may be made of short words only (`Li Na`).
  if (detectsPersonalData(message) || holdsKnownValue(blankWords(message, sent.isSent), vault)) return ' (Its message is not shown: it may hold personal data.)';
  return ` The account system said: ${message}`;
}

interface SentIndex {
  /** Whether a bare word is one the assistant sent, or stands anywhere in its text: blanked before the vault is asked. */
  isSent(word: string): boolean;
  /** Whether a bare word is one the assistant sent, exactly: a message repeating it is not shown. */
  isRepeated(word: string): boolean;
  /** Whether some of the text is such an upstream may rewrite (REWRITABLE, or base64-like): then the vault is not asked at all. */
  rewritable: boolean;
}

/**
 * What the assistant sent, as the screen compares words with it; undefined when too long to index.
 * A bare word is repeated when it is one of the assistant's words, and sent also when it stands
 * anywhere in its text with everything but letters and digits taken out: upstreams cut, normalize
 * and sanitize what they quote (`Du pont` as `Dupont`, `a/Fe\u0001rr/b` as `a/Ferr/b`). Only exact words hide a message:
 * `after` is in `Afternoon yoga`, and hiding every such message would hide most; the others are
 * blanked all the same, so the vault never sees them.
 */
function indexSent(value: Record<string, unknown>, names: ReadonlySet<string>): SentIndex | undefined {
  const texts = stringsOf(value, undefined, true);
  let length = 0;
  // The raw length first: NFKC of a long text is itself work.
  for (const text of texts) if ((length += text.length) > MAX_SCREENED_TEXT) return undefined;
  length = 0;
  for (const text of texts) if ((length += text.normalize('NFKC').length) > MAX_SCREENED_TEXT) return undefined;
  const words = new Set<string>();
  const joined: string[] = [];
  for (const text of texts) {
    const key = bare(matchKey(text));
    for (const word of key.match(WORD) ?? []) words.add(word);
    joined.push(key.replace(NOT_LETTER_OR_DIGIT, ''));
  }
  // One string each, strings kept apart by a character no word holds.
  const all = joined.join('\n');
  return {
    isSent: (word) => words.has(word) || all.includes(word),
    isRepeated: (word) => words.has(word) && !names.has(word),
    rewritable: texts.some(rewritable),
  };
}

/**
 * `text` with every word the assistant sent replaced by spaces, in the original text. Where one
 * original character reads as two words (`℀` is `a/c`), what the first left is blanked too, never
 * skipped: a word after it would reach the vault whole.
 */
function blankWords(text: string, isSent: (word: string) => boolean): string {
  const view = viewOf(text, true);
  let out = '';
  let last = 0;
  for (const match of view.text.matchAll(WORD)) {
    if (!isSent(bare(match[0]))) continue;
    const [a, b] = originalSpan(view, match.index, match.index + match[0].length);
    if (b <= last) continue;
    const from = Math.max(a, last);
    out += text.slice(last, from) + ' '.repeat(b - from);
    last = b;
  }
  return out + text.slice(last);
}

/**
 * The words of the tools' argument names, of the names the catalog gives the type, its fields,
 * commands and enum values, and of the argument names the call gives (the keys of `args` and
 * `data` that read as names: a message names them when it refuses one), bare.
 */
function namesOf(entry: CatalogEntry | undefined, sent: Record<string, unknown>): Set<string> {
  const schema = new Set<string>();
  // The type's name only as the catalog gives it: an unknown type the assistant names is its own text.
  const names = [
    ...ARGUMENT_NAMES,
    entry?.entityType.type ?? '',
    ...(entry?.entityType.fields.flatMap((field) => [field.name, ...(field.enum ?? [])]) ?? []),
    ...(entry?.entityType.commands.map((command) => command.name) ?? []),
    ...fieldsSetBy(sent).filter((field) => IDENTIFIER.test(field)),
  ];
  for (const name of names) for (const word of wordsOf(name)) schema.add(bare(word));
  return schema;
}
