/**
 * The one way out for everything the model reads: results and failures alike pass the PII filter
 * here, unless the session chose to share personal data. Tool failures are results with
 * `isError: true` and a hint the assistant can act on, never thrown exceptions.
 * A large search page is parsed, filtered and serialized by a result worker (result-workers.ts),
 * off the event loop, through the same structuredOf.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { redact, type PiiVault, type RedactionPolicy } from '../pii/index.js';
// Not through upstream/index.ts: this module also runs in result workers, which must not load the HTTP client.
import { giveBackBody } from '../upstream/body-buffers.js';
import { parseSearchPage } from '../upstream/schemas.js';
import { literalText } from './answer-bytes.js';
import type { PresentedPage, ResultWorkers, SerializedText } from './result-workers.js';
import { stringsOf } from './strings-of.js';

export interface Presenter {
  result(value: Record<string, unknown>, policy: RedactionPolicy): CallToolResult;
  /** A search page from the upstream's body (searchBody), presented as result() presents it. */
  searchPage(type: string, body: Buffer, policy: RedactionPolicy): Promise<CallToolResult>;
  /**
   * A tool failure in Gatehouse's own words, which may quote the assistant's arguments as it sent
   * them, and nothing else: shown as it is. Redacting it would answer which of the assistant's
   * strings are hidden values, since a value's token is the same every time. Text from the upstream
   * is screened before it is quoted (run-tool.ts).
   */
  failure(message: string, details?: Record<string, unknown>): CallToolResult;
  /**
   * The same presenter for one call whose tokens stood for `resolved`: no answer of it shows them in
   * plain. `written`: the fields the call writes, whose values are the assistant's own text.
   */
  forCall(resolved: readonly string[], written?: ReadonlySet<string>): Presenter;
}

/** Told to the assistant instead of an answer that repeats a value one of its tokens stood for. */
const ECHO_WITHHELD =
  'The account system answered with personal data that was passed to it as a «PII:…» token, outside the fields this session keeps redacted, so the answer is not shown. Pass tokens only in fields that hold personal data, or sign in again and share personal data.';

/** A result's structuredContent as JSON text, and its text content as a JSON string literal when already made (ASCII bytes from a result worker). */
export interface SerializedResult {
  structured: SerializedText;
  /** `JSON.stringify` of the text content (which is the structured JSON text). */
  text?: SerializedText;
  /** For the fast path, once the response is written: see PresentedPage.release. */
  release?: () => void;
}

/**
 * The serialized parts of a presented result: the fast path splices them into the response instead
 * of serializing the same value again.
 */
const serialized = new WeakMap<CallToolResult, SerializedResult>();
export const serializedOf = (result: CallToolResult): SerializedResult | undefined => serialized.get(result);

/** The structuredContent of a result. */
export function structuredOf(value: unknown, vault: PiiVault | undefined, policy: RedactionPolicy): Record<string, unknown> {
  const clean = vault ? (redact(value, vault, policy) as Record<string, unknown>) : (value as Record<string, unknown>);
  return { ...clean, piiRedaction: vault ? 'on' : 'off' };
}

/** The structuredContent of a result and its JSON text (also the text content). */
export function presentStructured(value: unknown, vault: PiiVault | undefined, policy: RedactionPolicy): { structured: Record<string, unknown>; json: string } {
  const structured = structuredOf(value, vault, policy);
  return { structured, json: JSON.stringify(structured) };
}

/** The value a search_records result presents. */
export const searchResultValue = (type: string, page: Record<string, unknown>): Record<string, unknown> => ({ type, ...page });

/**
 * A result made in a result worker: its text is decoded and its structuredContent parsed only if
 * something other than the fast path reads them (the SDK's path).
 */
function resultOfSerialized(parts: PresentedPage): CallToolResult {
  let json: string | undefined;
  const jsonText = () => {
    if (json !== undefined) return json;
    const { structured, text } = parts;
    if (typeof structured === 'string') return (json = structured);
    // From the text content's literal: the structured JSON writes characters outside ASCII as escapes (answer-bytes.ts).
    if (typeof text === 'string') return (json = JSON.parse(text) as string);
    const pieces = Buffer.isBuffer(text) ? [text] : text;
    // Detached: the fast path gave the buffer back to its worker once the response was written.
    if (pieces.some((piece) => piece.byteLength === 0)) throw new Error("a result worker's answer was read after its buffer went back to the worker");
    const literal = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    return (json = literalText(literal.subarray(1, -1)));
  };
  let structuredContent: Record<string, unknown> | undefined;
  const result = {
    content: [
      {
        type: 'text' as const,
        get text() {
          return jsonText();
        },
      },
    ],
    get structuredContent() {
      return (structuredContent ??= JSON.parse(jsonText()) as Record<string, unknown>);
    },
  } as CallToolResult;
  serialized.set(result, parts);
  return result;
}

const NONE_RESOLVED: readonly string[] = [];
const NONE_WRITTEN: ReadonlySet<string> = new Set();

/**
 * `vault` is absent exactly when the person chose to share personal data. With result workers,
 * `owner` (the session) is whose turn a large page takes in them.
 */
export function createPresenter(
  options: { vault: PiiVault | undefined } & ({ workers?: undefined } | { workers: ResultWorkers; owner: string }),
  resolved: readonly string[] = NONE_RESOLVED,
  written: ReadonlySet<string> = NONE_WRITTEN,
): Presenter {
  const { vault, workers } = options;
  const piiRedaction = vault ? 'on' : 'off';
  // The values this call's tokens stood for went upstream in plain: a result showing one where redaction did not hide it is withheld.
  const checksEchoes = vault !== undefined && resolved.length > 0;

  const presenter: Presenter = {
    result(value, policy) {
      const { structured, json } = presentStructured(value, vault, policy);
      if (checksEchoes && repeatsAny(structured, resolved, written)) return presenter.failure(ECHO_WITHHELD, { code: 'pii_echo_withheld' });
      const presented: CallToolResult = { content: [{ type: 'text', text: json }], structuredContent: structured };
      serialized.set(presented, { structured: json });
      return presented;
    },
    async searchPage(type, body, policy) {
      if (workers !== undefined && !checksEchoes && workers.takes(body, vault)) {
        const input = { type, body, policy, vault, owner: options.owner };
        const presented = await workers.presentSearch(input);
        if (presented !== undefined) return resultOfSerialized(presented);
        body = input.body; // the page, back from the worker that had it
      }
      let page: Record<string, unknown>;
      try {
        page = parseSearchPage(body) as unknown as Record<string, unknown>;
      } finally {
        giveBackBody(body); // parsed: the page holds copies
      }
      return presenter.result(searchResultValue(type, page), policy);
    },
    failure(message, details = {}) {
      const structured = { error: message, ...details, piiRedaction };
      return { isError: true, content: [{ type: 'text', text: structured.error }], structuredContent: structured };
    },
    forCall: (next, nextWritten) => createPresenter(options, next, nextWritten),
  };
  return presenter;
}

/** Values shorter than this are looked for as whole words only: as parts of words they are everywhere (`Lin` in `linkedin`). */
const MIN_ECHO_PART = 5;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a string or key in `value`, outside the fields the call wrote (the assistant's own text,
 * which may hold its guesses: checking it would answer whether one is the value), contains one of
 * the `resolved` values, in any case.
 */
function repeatsAny(value: unknown, resolved: readonly string[], written: ReadonlySet<string>): boolean {
  const tests = resolved.map((v): ((s: string) => boolean) => {
    const lower = v.toLowerCase();
    if (lower.length >= MIN_ECHO_PART) return (s) => s.toLowerCase().includes(lower);
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])`, 'iu');
    return (s) => word.test(s);
  });
  return stringsOf(value, written).some((s) => tests.some((test) => test(s)));
}
