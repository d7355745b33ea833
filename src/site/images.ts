// Logos and pictures: the type read from the bytes, size and dimension limits, then each one decoded, cleaned, resized and recompressed for the web.
//
// checkImage reads headers only, so a decompression bomb is refused before any decoder runs.
// prepareImage then decodes with sharp (libvips), within the same pixel limit: the picture is
// turned upright, converted to sRGB, fitted inside a size a screen can use, re-encoded in its own
// web format, and given narrower copies for srcset. What a phone writes about a photo (GPS
// position, device, dates) is gone, because what is kept is the re-encode, never the upload —
// except an upload already smaller than its re-encode, which is kept with its metadata segments
// walked out (see keptAsUploaded).
//
// sharp's native part comes prebuilt inside the npm package @img/sharp-linux-x64 (an optional
// dependency): installing runs no script, so none needs approving.
import sharp, { type Sharp } from 'sharp';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_EXTENSIONS: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export interface ImageInfo {
  contentType: ImageType;
  width: number;
  height: number;
}

export interface ImageLimits {
  maxBytes: number;
  /** largest width or height */
  maxDimension: number;
}

/** Why an upload is not a picture we take; the code is the API's error code. */
export class ImageError extends Error {
  constructor(
    readonly code: 'image_empty' | 'image_too_large' | 'image_type_unsupported' | 'image_corrupt' | 'image_dimensions_too_large',
    readonly params: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'ImageError';
  }
}

/** The picture's type and dimensions, or an ImageError saying why it is refused. */
export function checkImage(bytes: Buffer, limits: ImageLimits): ImageInfo {
  if (bytes.length === 0) throw new ImageError('image_empty');
  if (bytes.length > limits.maxBytes) throw new ImageError('image_too_large', { maxMb: mb(limits.maxBytes) });
  const type = sniffImageType(bytes);
  if (!type) throw new ImageError('image_type_unsupported');
  const size = dimensionsOf(type, bytes);
  if (!size || size.width < 1 || size.height < 1) throw new ImageError('image_corrupt');
  if (size.width > limits.maxDimension || size.height > limits.maxDimension) {
    throw new ImageError('image_dimensions_too_large', { max: limits.maxDimension, width: size.width, height: size.height });
  }
  return { contentType: type, ...size };
}

/** The type the bytes say they are; SVG is never one (it can carry script). */
export function sniffImageType(b: Buffer): ImageType | undefined {
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'image/gif';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function mb(bytes: number): string {
  return (bytes / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 });
}

function dimensionsOf(type: ImageType, b: Buffer): { width: number; height: number } | undefined {
  switch (type) {
    case 'image/png':
      // The first chunk must be IHDR: length 13, then width and height, big-endian.
      if (b.length < 24 || b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
      return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
    case 'image/gif':
      if (b.length < 10) return undefined;
      return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
    case 'image/webp':
      return webpDimensions(b);
    case 'image/jpeg':
      return jpegDimensions(b);
  }
}

function webpDimensions(b: Buffer): { width: number; height: number } | undefined {
  if (b.length < 30) return undefined;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') {
    // extended format: the canvas size, 24-bit little-endian, minus one
    return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  if (chunk === 'VP8 ') {
    // lossy: a key frame's start code 9d 01 2a, then 14-bit width and height
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    // lossless: signature 0x2f, then 14 bits of width-1 and 14 bits of height-1
    if (b[20] !== 0x2f) return undefined;
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  return undefined;
}

/** Walks the JPEG's marker segments to the frame header (SOFn), which holds the dimensions. */
function jpegDimensions(b: Buffer): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // standalone markers carry no length
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / scan before any frame header
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (i + 9 > b.length) return undefined;
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

// ---------- Preparation: what a visitor's browser downloads ----------

export type ImageKind = 'logo' | 'picture';

/** The longest side kept: the logo shows 40 px high, a gallery picture at most a screen wide. */
export const MAX_SIDE: Record<ImageKind, number> = { logo: 512, picture: 2000 };

/** The narrower copies a picture gets for srcset, when it is wider than them; the logo, small already, gets none. */
export const VARIANT_WIDTHS: Record<ImageKind, readonly number[]> = { logo: [], picture: [480, 960] };

export interface ImageVariant {
  width: number;
  height: number;
  bytes: Buffer;
}

export interface PreparedImage extends ImageInfo {
  /** what is stored and served; width and height are its own, upright and resized */
  bytes: Buffer;
  /** the upload's size, to tell the customer what was saved */
  originalSize: number;
  /** narrower copies, narrowest first, each narrower than the picture itself */
  variants: ImageVariant[];
}

// libvips caches recent operations by input; an upload is decoded a few times in a row and never
// again, so the cache would only hold memory in a long-running server.
sharp.cache(false);

/**
 * The checked picture (checkImage) made ready for the web: upright (Exif orientation applied to
 * the pixels), sRGB, within MAX_SIDE (never enlarged), without any metadata, re-encoded in its own
 * format, plus its narrower copies. The same upload always gives the same bytes, so a redeploy
 * uploads nothing new. Throws ImageError('image_corrupt') when the decoder fails on the pixels.
 */
export async function prepareImage(bytes: Buffer, info: ImageInfo, kind: ImageKind, limits: ImageLimits): Promise<PreparedImage> {
  const decoded = () =>
    sharp(bytes, {
      // the header check ran first; this stops a header that lied about the size
      limitInputPixels: limits.maxDimension * limits.maxDimension,
      // refuse truncated and broken pixel data, tolerate the harmless warnings many cameras trigger
      failOn: 'error',
      // an animated GIF or WebP stays animated
      animated: info.contentType === 'image/gif' || info.contentType === 'image/webp',
    }).rotate();
  const meta = await decoding(() => decoded().metadata(), info, limits);
  const side = MAX_SIDE[kind];
  let kept = await decoding(
    () => encoded(() => decoded().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }), info.contentType),
    info,
    limits,
  );

  const untouched = kept.width === info.width && kept.height === info.height && (meta.orientation ?? 1) === 1 && !meta.hasProfile && (meta.pages ?? 1) === 1;
  if (untouched) {
    const asUploaded = keptAsUploaded(bytes, info.contentType);
    if (asUploaded && asUploaded.length < kept.bytes.length) kept = { ...kept, bytes: asUploaded };
  }

  const variants: ImageVariant[] = [];
  for (const width of VARIANT_WIDTHS[kind].filter((w) => w < kept.width)) {
    variants.push(await decoding(() => encoded(() => decoded().resize({ width }), info.contentType), info, limits));
  }
  return { contentType: info.contentType, width: kept.width, height: kept.height, bytes: kept.bytes, originalSize: bytes.length, variants };
}

/** A decoder failure, in the words the API answers with. */
async function decoding<T>(work: () => Promise<T>, info: ImageInfo, limits: ImageLimits): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) {
      throw new ImageError('image_dimensions_too_large', { max: limits.maxDimension, width: info.width, height: info.height });
    }
    throw new ImageError('image_corrupt');
  }
}

/**
 * The picture re-encoded in its own format: JPEG through mozjpeg (progressive, quality 80), WebP
 * at quality 80, GIF re-optimised with its frames, PNG lossless — as a palette when the picture
 * has 256 colours or fewer (then exact) and that is smaller. Re-encoding writes no metadata.
 */
async function encoded(pipeline: () => Sharp, type: ImageType): Promise<ImageVariant> {
  const make = () => pipeline().toColourspace('srgb');
  switch (type) {
    case 'image/jpeg':
      return output(make().jpeg({ quality: 80, mozjpeg: true }));
    case 'image/webp':
      return output(make().webp({ quality: 80, effort: 5 }));
    case 'image/gif':
      return output(make().gif({ effort: 7 }));
    case 'image/png': {
      const truecolour = await output(make().png({ compressionLevel: 9, adaptiveFiltering: true }));
      if (!(await hasFewColours(make()))) return truecolour;
      const palette = await output(make().png({ palette: true, quality: 100, dither: 0, compressionLevel: 9, effort: 10 }));
      return palette.bytes.length < truecolour.bytes.length ? palette : truecolour;
    }
  }
}

async function output(pipeline: Sharp): Promise<ImageVariant> {
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  // an animated picture's frames are stacked: one frame is pageHeight high
  return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
}

async function hasFewColours(pipeline: Sharp): Promise<boolean> {
  const pixels = await pipeline.ensureAlpha().raw().toBuffer();
  const colours = new Set<number>();
  for (let i = 0; i + 4 <= pixels.length; i += 4) {
    colours.add(pixels.readUInt32LE(i));
    if (colours.size > 256) return false;
  }
  return true;
}

/**
 * The upload itself, with everything but pixels walked out, for when it is already smaller than
 * its re-encode (a picture someone optimised before): JPEG keeps only its tables, frame, scans
 * and the Adobe segment decoders need; PNG only IHDR, PLTE, tRNS, IDAT and IEND. Anything after
 * the end of the image goes too. Only for upright pictures without a colour profile (the caller
 * checks), so nothing a browser needs is lost. Undefined for other types, or when the structure
 * does not add up.
 */
function keptAsUploaded(bytes: Buffer, type: ImageType): Buffer | undefined {
  if (type === 'image/jpeg') return jpegPixelsOnly(bytes);
  if (type === 'image/png') return pngPixelsOnly(bytes);
  return undefined;
}

const PNG_KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

function pngPixelsOnly(b: Buffer): Buffer | undefined {
  const kept: Buffer[] = [b.subarray(0, 8)];
  for (let i = 8; i + 12 <= b.length; ) {
    const end = i + 12 + b.readUInt32BE(i);
    if (end > b.length) return undefined;
    const type = b.toString('latin1', i + 4, i + 8);
    if (PNG_KEPT.has(type)) kept.push(b.subarray(i, end));
    if (type === 'IEND') return Buffer.concat(kept);
    i = end;
  }
  return undefined;
}

/** APPn segments (Exif, XMP, IPTC, ICC, JFIF and the rest) and comments go; Adobe's APP14 tells decoders the colour transform. */
const jpegSegmentKept = (marker: number) => !((marker >= 0xe0 && marker <= 0xef && marker !== 0xee) || marker === 0xfe);

function jpegPixelsOnly(b: Buffer): Buffer | undefined {
  const kept: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 2 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      kept.push(b.subarray(i, i + 2));
      return Buffer.concat(kept);
    }
    if (i + 4 > b.length) return undefined;
    const length = b.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) return undefined;
    if (jpegSegmentKept(marker)) kept.push(b.subarray(i, end));
    i = end;
    if (marker === 0xda) {
      // the scan's entropy-coded data runs to the next marker: 0xff followed by neither a stuffed 0x00 nor a restart marker
      let j = i;
      while (j + 1 < b.length && !(b[j] === 0xff && b[j + 1] !== 0x00 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7))) j++;
      kept.push(b.subarray(i, j));
      i = j;
    }
  }
  return undefined;
}
