import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/secret.js';
import { createTokenCipher } from '../../../src/sessions/token-cipher.js';

const cipher = createTokenCipher([new Secret(randomBytes(32))]);
const PURPOSE = 'test-purpose';

/** The sealed form with its tag (the fourth part) replaced. */
const withTag = (sealed: string, tag: (bytes: Buffer) => Buffer) => {
  const parts = sealed.split('.');
  parts[3] = tag(Buffer.from(parts[3]!, 'base64url')).toString('base64url');
  return parts.join('.');
};

describe('createTokenCipher', () => {
  it('opens what it sealed, for the same purpose only', () => {
    const sealed = cipher.seal('upstream-token', PURPOSE);
    expect(cipher.open(sealed, PURPOSE)).toBe('upstream-token');
    expect(() => cipher.open(sealed, 'another-purpose')).toThrow();
  });

  it('seals with a full 16-byte tag', () => {
    expect(Buffer.from(cipher.seal('x', PURPOSE).split('.')[3]!, 'base64url')).toHaveLength(16);
  });

  // A truncated tag is a prefix of the real one, so GCM would verify it: only the length check refuses it.
  it.each([4, 8, 12, 15])('refuses the genuine tag truncated to %i bytes', (length) => {
    const sealed = cipher.seal('upstream-token', PURPOSE);
    expect(() => cipher.open(withTag(sealed, (tag) => tag.subarray(0, length)), PURPOSE)).toThrow('not readable');
  });

  it.each([
    ['a longer tag', (tag: Buffer) => Buffer.concat([tag, Buffer.from([0])])],
    ['an empty tag', () => Buffer.alloc(0)],
    ['a flipped bit', (tag: Buffer) => Buffer.from(tag.map((byte, index) => (index === 0 ? byte ^ 1 : byte)))],
  ])('refuses %s', (_name, tag) => {
    expect(() => cipher.open(withTag(cipher.seal('upstream-token', PURPOSE), tag), PURPOSE)).toThrow();
  });
});
