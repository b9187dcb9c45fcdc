/**
 * The operator's accent colour as CSS custom properties, served as /assets/brand.css. The CSP is
 * `style-src 'self'`, so the colour cannot be injected inline; a tiny generated stylesheet can.
 * Colours are adjusted so text stays readable (WCAG 2.x contrast ≥ 4.5:1) whatever the operator
 * picks; this module does not validate the colour format (config.ts does).
 */
const WHITE = '#ffffff';
const DARK = '#111418';
export const MIN_CONTRAST = 4.5;

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.x relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.039_28 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The accent itself when it is readable on white, otherwise the accent darkened until it is. */
export function toReadableOnWhite(accent: string): string {
  let colour = accent.toLowerCase();
  for (let step = 0; step < 40 && contrastRatio(colour, WHITE) < MIN_CONTRAST; step++) {
    colour = toHex(channels(colour).map((c) => c * 0.92) as [number, number, number]);
  }
  return colour;
}

/** White or near-black, whichever reads better on the given background. */
export function textColourOn(background: string): string {
  return contrastRatio(WHITE, background) >= contrastRatio(DARK, background) ? WHITE : DARK;
}

/**
 * `--accent` fills the primary button and `--on-accent` is its label; `--accent-text` is the accent
 * for text, links and focus rings on white. A mid-tone accent that neither white nor dark text can
 * reach 4.5:1 on is darkened for the button too.
 */
export function buildBrandCss(accentColor: string): string {
  const requested = accentColor.toLowerCase();
  const onRequested = textColourOn(requested);
  const accent = contrastRatio(onRequested, requested) >= MIN_CONTRAST ? requested : toReadableOnWhite(requested);
  return [
    '/* Generated from BRAND_ACCENT_COLOR. */',
    ':root {',
    `  --accent: ${accent};`,
    `  --on-accent: ${textColourOn(accent)};`,
    `  --accent-text: ${toReadableOnWhite(requested)};`,
    '}',
    '',
  ].join('\n');
}
