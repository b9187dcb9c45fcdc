/** Maps an upstream HTTP error answer to the client's error types (status first, body second). */
import {
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
  type UpstreamErrorDetails,
} from './errors.js';

const MAX_MESSAGE = 500;
// A number's groups are one number to the screen: the first groups of a long one (`123 45` of
// `123 45 6789`) would read as a short one.
const NUMBER_END = /\p{N}+(?:[^\p{L}\p{M}\p{N}]{1,7}\p{N}+)*[^\p{L}\p{M}\p{N}]{0,7}$/u;
const NUMBER_GOES_ON = /^[^\p{L}\p{M}\p{N}]{0,7}\p{N}/u;
// Soft hyphens and zero-width characters are inside words: a cut after one leaves a word cut short.
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]$/u;
const WORD_END = /[\p{L}\p{N}\p{M}\p{Default_Ignorable_Code_Point}]+$/u;

/**
 * At most MAX_MESSAGE characters, cut between words and outside numbers: a word or a number cut
 * short is a new one, which the screen of a redacted session (src/mcp/upstream-message.ts) would
 * read as the upstream's own.
 */
function cutAtWord(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  let end = MAX_MESSAGE;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never half of a surrogate pair
  const cut = text.slice(0, end);
  const inNumber = NUMBER_GOES_ON.test(text.slice(end, end + 10)) && NUMBER_END.test(cut);
  if (inNumber) return cut.replace(NUMBER_END, '');
  return WORD_CHARACTER.test(String.fromCodePoint(text.codePointAt(end)!)) ? cut.replace(WORD_END, '') : cut;
}

/** Reads `{error:{code,message}}` (entity API) or `{error, error_description}` (OAuth). */
export function readErrorBody(body: unknown): { upstreamCode?: string; upstreamMessage?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, error_description: description, message } = body as Record<string, unknown>;
  const nested = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined;
  const code = nested ? nested.code : error;
  const text = nested ? nested.message : (description ?? message);
  return {
    ...(typeof code === 'string' ? { upstreamCode: code.slice(0, 100) } : {}),
    ...(typeof text === 'string' ? { upstreamMessage: cutAtWord(text) } : {}),
  };
}

export function toUpstreamError(status: number, body: unknown): UpstreamError {
  const details: UpstreamErrorDetails = { status, ...readErrorBody(body) };
  if (status === 401) return new UpstreamUnauthorizedError(details);
  if (status === 403) return new UpstreamForbiddenError(details);
  if (status === 404) return new UpstreamNotFoundError(details);
  if (status === 408) return new UpstreamTimeoutError(details);
  if (status === 429 || status >= 500 || status < 400) return new UpstreamUnavailableError(details);
  return new UpstreamInvalidRequestError(details);
}
