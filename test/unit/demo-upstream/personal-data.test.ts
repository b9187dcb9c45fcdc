import { describe, expect, it } from 'vitest';
import { LOCATIONS } from '../../../src/demo-upstream/locations.js';
import {
  buildGbVatNumber,
  buildIban,
  buildLandLine,
  buildMobilePhone,
  isValidIban,
} from '../../../src/demo-upstream/personal-data.js';
import { createRandom } from '../../../src/demo-upstream/random.js';

// Numbers in Ofcom's drama ranges and the North American 555-01xx fiction block.
const RESERVED_PHONE = [
  /^(\+44 ?|0)7700 ?900\d{3}$/,
  /^\+1 202-555-01\d{2}$/,
  /^(\+44 20 |020 |\(020\) )7946 0\d{3}$/,
  /^(\+44 (161|117|131) |0(161|117|131) |\(0(161|117|131)\) )496 0\d{3}$/,
];

describe('isValidIban', () => {
  it.each([
    ['GB82 WEST 1234 5698 7654 32', true],
    ['DE89 3704 0044 0532 0130 00', true],
    ['NL91 ABNA 0417 1643 00', true],
    ['GB82 WEST 1234 5698 7654 33', false],
    ['not an iban', false],
  ])('judges %s as %s', (iban, valid) => {
    expect(isValidIban(iban)).toBe(valid);
  });
});

describe('buildIban', () => {
  it.each(['GB', 'IE', 'DE', 'NL'] as const)('builds %s IBANs with valid check digits', (country) => {
    const random = createRandom(11);
    for (let i = 0; i < 200; i++) {
      const iban = buildIban(random, country);
      expect(iban.startsWith(country)).toBe(true);
      expect(isValidIban(iban)).toBe(true);
    }
  });
});

describe('buildGbVatNumber', () => {
  it('builds numbers whose weighted sum is divisible by 97', () => {
    const random = createRandom(5);
    for (let i = 0; i < 200; i++) {
      const vat = buildGbVatNumber(random);
      expect(vat).toMatch(/^GB\d{9}$/);
      const digits = vat.slice(2).split('').map(Number);
      const sum = digits.slice(0, 7).reduce((acc, d, index) => acc + d * (8 - index), 0) + Number(vat.slice(9));
      expect(sum % 97).toBe(0);
    }
  });
});

describe('phone numbers', () => {
  it('stay inside reserved fictional ranges, in international and local forms', () => {
    const random = createRandom(3);
    const numbers = [
      ...Array.from({ length: 200 }, () => buildMobilePhone(random)),
      ...LOCATIONS.flatMap((location) => Array.from({ length: 50 }, () => buildLandLine(random, location))),
    ];
    for (const number of numbers) expect(RESERVED_PHONE.some((pattern) => pattern.test(number)), number).toBe(true);
    expect(numbers.some((n) => n.startsWith('+44 '))).toBe(true);
    expect(numbers.some((n) => n.startsWith('0'))).toBe(true);
  });
});
