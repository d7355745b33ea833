// WCAG 2 contrast, the same arithmetic as the site renderer (src/site/render.ts): which text colour a button of this colour gets, and how well it reads.
const WHITE = '#ffffff';
/** the renderer's dark text colour */
const NEAR_BLACK = '#15181c';

export const isHexColor = (v: string): boolean => /^#[0-9a-fA-F]{6}$/.test(v.trim());

function luminance(hex: string): number {
  const n = parseInt(hex.trim().slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

export interface TextOn {
  text: 'white' | 'dark';
  ratio: number;
  /** AA for body text (4.5:1), large text only (3:1), or too low */
  level: 'good' | 'large' | 'low';
}

/** The text colour the renderer puts on this background, and the contrast it gets. */
export function textOn(background: string): TextOn {
  const white = contrastRatio(WHITE, background);
  const dark = contrastRatio(NEAR_BLACK, background);
  const ratio = Math.max(white, dark);
  return { text: white >= dark ? 'white' : 'dark', ratio, level: ratio >= 4.5 ? 'good' : ratio >= 3 ? 'large' : 'low' };
}
