import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  UpstreamError,
  UpstreamForbiddenError,
  UpstreamInvalidRequestError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../src/upstream/index.js';
import { encodeSegment } from '../../../src/upstream/http-upstream.js';
import { toUpstreamError } from '../../../src/upstream/to-upstream-error.js';

const PERSONAL = 'Jane Doe (jane.doe@example.org) cannot be archived';

describe('UpstreamError', () => {
  it.each([
    [InvalidCredentialsError, 'invalid_credentials'],
    [UpstreamUnauthorizedError, 'unauthorized'],
    [UpstreamForbiddenError, 'forbidden'],
    [UpstreamNotFoundError, 'not_found'],
    [UpstreamInvalidRequestError, 'invalid_request'],
    [UpstreamUnavailableError, 'unavailable'],
    [UpstreamTimeoutError, 'timeout'],
  ])('%o carries the stable code %s', (ErrorClass, code) => {
    const error = new ErrorClass({ status: 400 });
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.name);
  });

  it('keeps the upstream message out of message, JSON and enumerable keys', () => {
    const error = new UpstreamForbiddenError({ status: 403, upstreamMessage: PERSONAL });
    expect(error.upstreamMessage).toBe(PERSONAL);
    expect(error.message).not.toContain('jane');
    expect(JSON.stringify(error)).not.toContain('jane');
    expect(Object.keys(error)).not.toContain('upstreamMessage');
    expect(JSON.stringify({ ...error })).not.toContain('jane');
  });
});

describe('toUpstreamError', () => {
  it.each([
    [400, UpstreamInvalidRequestError],
    [401, UpstreamUnauthorizedError],
    [403, UpstreamForbiddenError],
    [404, UpstreamNotFoundError],
    [408, UpstreamTimeoutError],
    [409, UpstreamInvalidRequestError],
    [413, UpstreamInvalidRequestError],
    [422, UpstreamInvalidRequestError],
    [429, UpstreamUnavailableError],
    [500, UpstreamUnavailableError],
    [503, UpstreamUnavailableError],
  ])('maps HTTP %i to %o', (status, ErrorClass) => {
    const error = toUpstreamError(status, undefined);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.status).toBe(status);
  });

  it('reads the entity API error body', () => {
    const error = toUpstreamError(409, { error: { code: 'conflict', message: 'Already archived.' } });
    expect(error.upstreamCode).toBe('conflict');
    expect(error.upstreamMessage).toBe('Already archived.');
  });

  it('reads the OAuth error body', () => {
    const error = toUpstreamError(400, { error: 'invalid_grant', error_description: 'Wrong password.' });
    expect(error.upstreamCode).toBe('invalid_grant');
    expect(error.upstreamMessage).toBe('Wrong password.');
  });
});

describe("the upstream's message, cut at 500 characters", () => {
  const said = (message: string) => toUpstreamError(400, { error: { code: 'x', message } }).upstreamMessage!;

  it('keeps a message of 500 characters whole, and cuts a longer one between words, never inside one', () => {
    expect(said('a'.repeat(500))).toBe('a'.repeat(500));
    // A word cut short would be a new word (`Moreaux` cut to `Moreau`), which the screen of redacted sessions would read as the upstream's own.
    expect(said(`${'.'.repeat(494)}Moreaux and more`)).toBe('.'.repeat(494));
    expect(said(`${'.'.repeat(494)}Moreau and more`)).toBe(`${'.'.repeat(494)}Moreau`);
    expect(said(`${'.'.repeat(495)}Moreau`)).toBe('.'.repeat(495));
    // Letters outside the basic plane are one character: neither half of one is kept.
    expect(said(`${'.'.repeat(499)}𝐌𝐨`)).toBe('.'.repeat(499));
    expect(said(`${'.'.repeat(497)}a 𝐌𝐨`)).toBe(`${'.'.repeat(497)}a `);
    // A soft hyphen or a zero-width space is inside a word: `More\u00adau` is not cut to `More`.
    expect(said(`${'.'.repeat(495)}More\u00adau`)).toBe('.'.repeat(495));
    expect(said(`${'.'.repeat(495)}More\u200bau`)).toBe('.'.repeat(495));
    // Nor is a number: the first groups of one would read as a short number.
    expect(said(`${'.'.repeat(493)}123 45 6789 and more`)).toBe('.'.repeat(493));
    expect(said(`${'.'.repeat(493)} 415 555 0143 and more`)).toBe(`${'.'.repeat(493)} `);
    expect(said(`${'.'.repeat(493)}١٢٣ ٤٥ ٦٧٨٩ and more`)).toBe('.'.repeat(493));
    expect(said(`${'.'.repeat(490)}123 - - - 45 - 6789`)).toBe('.'.repeat(490));
    expect(said(`${'a '.repeat(240)}page 12 of 40, and more`)).toBe(`${'a '.repeat(240)}page 12 of 40, and `);
  });
});

describe('encodeSegment', () => {
  it.each([
    ['mem_000001', 'mem_000001'],
    ['a/b', 'a%2Fb'],
    ['a b?c#d', 'a%20b%3Fc%23d'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['x.y', 'x.y'],
  ])('encodes %s as %s', (input, output) => {
    expect(encodeSegment(input)).toBe(output);
  });
});
