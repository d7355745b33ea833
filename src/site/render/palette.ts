// The site's colours: the customer's two, and every shade derived from them so text always reads (WCAG AA).
import { TEMPLATE_COLORS, type SiteDocument, type SiteTemplate } from '../document.ts';
import { LAYOUTS } from './layouts.ts';

export const WHITE = '#ffffff';
export const NEAR_BLACK = '#15181c';

export interface Palette {
  primary: string;
  onPrimary: string;
  accent: string;
  onAccent: string;
  /** primary and accent darkened until they read as text on the page (WCAG AA, 4.5:1) */
  primaryInk: string;
  accentInk: string;
  primarySoft: string;
  heroEnd: string;
  bg: string;
  ink: string;
  inkSoft: string;
  muted: string;
  line: string;
  lineStrong: string;
  footerBg: string;
}

export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** `amount` of `to` into `from`: mix(c, white, 0.9) is a pale tint of c. */
export function mix(from: string, to: string, amount: number): string {
  const a = parseHex(from);
  const b = parseHex(to);
  return toHex([0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * amount) as Rgb);
}

export function rgba(hex: string, alpha: number): string {
  return `rgba(${parseHex(hex).join(',')},${alpha})`;
}

/** WCAG 2 relative luminance. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textColorOn(background: string): string {
  return contrastRatio(WHITE, background) >= contrastRatio(NEAR_BLACK, background) ? WHITE : NEAR_BLACK;
}

/** The colour itself if it reads on `background`, else the closest darker shade that does. */
export function readableOn(color: string, background: string, min = 4.5): string {
  for (let step = 0; step <= 20; step++) {
    const shade = mix(color, '#000000', step * 0.05);
    if (contrastRatio(shade, background) >= min) return shade;
  }
  return NEAR_BLACK;
}

export const isHexColor = (value: unknown): value is string => typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);

export function palette(doc: SiteDocument, template: SiteTemplate): Palette {
  // Colours go into CSS: anything but #rrggbb would be a way out of the style sheet.
  const fallback = TEMPLATE_COLORS[template];
  const layout = LAYOUTS[template];
  const primary = (isHexColor(doc.colors?.primary) ? doc.colors.primary : fallback.primary).toLowerCase();
  const accent = (isHexColor(doc.colors?.accent) ? doc.colors.accent : fallback.accent).toLowerCase();
  const onPrimary = textColorOn(primary);
  const bg = layout.background;
  const ink = NEAR_BLACK;
  return {
    primary,
    onPrimary,
    accent,
    onAccent: textColorOn(accent),
    primaryInk: readableOn(primary, bg),
    accentInk: readableOn(accent, bg),
    primarySoft: mix(primary, WHITE, 0.9),
    // The gradient moves away from the text colour, so the hero text never loses contrast.
    heroEnd: onPrimary === WHITE ? mix(primary, '#000000', 0.28) : mix(primary, WHITE, 0.3),
    bg,
    ink,
    inkSoft: mix(ink, bg, 0.18),
    muted: mix(ink, bg, 0.4),
    line: mix(ink, bg, 0.88),
    lineStrong: mix(ink, bg, 0.7),
    footerBg: mix(primary, '#0b0d10', 0.86),
  };
}
