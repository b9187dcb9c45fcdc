import { describe, expect, it } from 'vitest';
import { buildBrandCss, contrastRatio, MIN_CONTRAST, textColourOn, toReadableOnWhite } from '../../../src/interaction/brand-css.js';

const property = (css: string, name: string) => new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(css)![1]!;

describe('contrastRatio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#1f5fbf', '#ffffff', 6.09],
    ['#777777', '#ffffff', 4.48],
  ])('%s on %s is %s:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 1);
  });
});

describe('buildBrandCss', () => {
  it.each(['#1f5fbf', '#ffcc00', '#00ff00', '#777777', '#6e6e6e', '#000000', '#ffffff', '#e4002b', '#7f7f7f'])(
    'keeps the button label and accent text readable for %s',
    (accent) => {
      const css = buildBrandCss(accent);
      expect(contrastRatio(property(css, 'on-accent'), property(css, 'accent'))).toBeGreaterThanOrEqual(MIN_CONTRAST);
      expect(contrastRatio(property(css, 'accent-text'), '#ffffff')).toBeGreaterThanOrEqual(MIN_CONTRAST);
    },
  );

  it('uses a readable accent as it is', () => {
    expect(buildBrandCss('#1F5FBF')).toContain('--accent: #1f5fbf;');
    expect(buildBrandCss('#1F5FBF')).toContain('--accent-text: #1f5fbf;');
    expect(textColourOn('#1f5fbf')).toBe('#ffffff');
    expect(textColourOn('#ffcc00')).toBe('#111418');
    expect(toReadableOnWhite('#ffcc00')).not.toBe('#ffcc00');
  });
});
