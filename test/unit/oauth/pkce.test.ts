import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPkce } from '../../../src/oauth/index.js';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = createHash('sha256').update(verifier).digest('base64url');

describe('checkPkce', () => {
  it('accepts the verifier of the challenge (RFC 7636 appendix B)', () => {
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(checkPkce(verifier, challenge)).toBe(true);
  });

  it.each([
    ['another verifier', 'x'.repeat(43)],
    ['the challenge itself (plain method)', challenge],
    ['a too short verifier', 'abc'],
    ['a verifier with forbidden characters', `${verifier}!`],
  ])('refuses %s', (_name, candidate) => {
    expect(checkPkce(candidate, challenge)).toBe(false);
  });
});
