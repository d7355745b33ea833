// The site's icons: an SVG monogram, and the PNGs and favicon.ico that browsers, phones and crawlers ask for, made from the logo when there is one.
import sharp, { type Sharp } from 'sharp';
import { escapeHtml } from './html.ts';
import { SANS, SERIF } from './style.ts';
import type { SiteView } from './view.ts';

/** The icons made at deploy time (renderSiteFiles), beside the pages renderSite writes. */
export const ICON_FILES = ['/favicon.ico', '/favicon-32.png', '/apple-touch-icon.png'] as const;
/** favicon.ico holds these sizes: a tab (16), a taskbar or a high-density tab (32), a desktop shortcut (48). */
const ICO_SIZES = [16, 32, 48] as const;
/** what iOS asks for on the home screen; it shows transparency as black, so this one is opaque */
const TOUCH_SIZE = 180;

/** The <link> tags: the SVG monogram stays the sharpest choice without a logo; with one, the PNGs made from it. */
export function iconLinks(v: SiteView): string[] {
  return [
    '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">',
    ...(v.images?.logo ? [] : ['<link rel="icon" href="/favicon.svg" type="image/svg+xml">']),
    '<link rel="icon" href="/favicon-32.png" type="image/png" sizes="32x32">',
    `<link rel="apple-touch-icon" href="/apple-touch-icon.png" sizes="${TOUCH_SIZE}x${TOUCH_SIZE}">`,
  ];
}

/** The monogram: the initials on the brand colour, with an accent bar. */
export function faviconSvg(v: SiteView): string {
  const size = Array.from(v.initials).length > 1 ? 27 : 34;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="${v.colors.primary}"/>
<rect x="14" y="48" width="36" height="4" rx="2" fill="${v.colors.accent}"/>
<text x="32" y="30" text-anchor="middle" dominant-baseline="central" font-family="${escapeHtml(v.layout.font === 'serif' ? SERIF : SANS)}" font-size="${size}" font-weight="700" fill="${v.colors.onPrimary}">${escapeHtml(v.initials)}</text>
</svg>
`;
}

// PNG without a time chunk and at a fixed compression: the same picture gives the same bytes, so a redeploy uploads nothing new.
const png = (img: Sharp) => img.png({ compressionLevel: 9, adaptiveFiltering: false, palette: false }).toBuffer();

/**
 * favicon.ico, favicon-32.png and apple-touch-icon.png, from the logo's bytes when given (fitted
 * whole into the square, never cropped), else from the monogram. Deterministic like the pages.
 */
export async function siteIconFiles(v: SiteView, logo: Buffer | undefined): Promise<Map<string, Buffer>> {
  const transparent = { r: 0, g: 0, b: 0, alpha: 0 };
  const square = (size: number): Promise<Buffer> => {
    if (logo) return png(sharp(logo, { pages: 1 }).resize(size, size, { fit: 'contain', background: transparent }));
    // rendered at the size asked for, so small icons stay crisp rather than scaled down
    return png(sharp(Buffer.from(faviconSvg(v)), { density: (72 * size) / 64 }).resize(size, size));
  };
  const touch = logo
    ? // a logo on white with a margin, the way iOS shows app icons
      await png(
        sharp(await png(sharp(logo, { pages: 1 }).resize(144, 144, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 1 } })))
          .extend({ top: 18, bottom: 18, left: 18, right: 18, background: { r: 255, g: 255, b: 255, alpha: 1 } })
          .flatten({ background: '#ffffff' }),
      )
    : await png(sharp(await square(TOUCH_SIZE)).flatten({ background: v.colors.primary }));
  const sizes = await Promise.all(ICO_SIZES.map((s) => square(s)));
  return new Map([
    ['/favicon.ico', icoOf(ICO_SIZES.map((size, i) => ({ size, png: sizes[i]! })))],
    ['/favicon-32.png', sizes[ICO_SIZES.indexOf(32)]!],
    ['/apple-touch-icon.png', touch],
  ]);
}

/**
 * An ICO file whose images are PNGs (every browser since IE 11 and Windows Vista reads them):
 * ICONDIR (6 bytes), one 16-byte ICONDIRENTRY per image, then the images.
 */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png: data }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // width (0 means 256)
    header.writeUInt8(size >= 256 ? 0 : size, at + 1); // height
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3); // reserved
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}
