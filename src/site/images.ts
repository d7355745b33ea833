// Logos and pictures: the type read from the bytes (never from the name or the declared type), size and dimension limits.
//
// Only the headers are read: no decoder runs on uploaded bytes here. The pictures are served as
// uploaded (no resizing or recompression: no pure-JS/WASM image library was taken in); the
// dimension limit keeps a decompression bomb out of visitors' browsers. What a phone writes
// about a photo (GPS position, device, dates) is removed from JPEG and PNG before it is kept:
// see withoutMetadata.

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

// ---------- Metadata: a photo's GPS position has no business on a public site ----------

/**
 * The picture without its metadata, pixels untouched. JPEG: Exif, XMP, IPTC and comments go; an
 * Exif orientation other than "upright" is written back alone, so a portrait photo stays upright.
 * PNG: eXIf and the text chunks go. WebP and GIF are kept as they are (WebP's EXIF/XMP chunks: left to do).
 * Throws ImageError('image_corrupt') when the segments or chunks do not add up.
 */
export function withoutMetadata(bytes: Buffer, type: ImageType): Buffer {
  if (type === 'image/jpeg') return jpegWithoutMetadata(bytes);
  if (type === 'image/png') return pngWithoutMetadata(bytes);
  return bytes;
}

const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function pngWithoutMetadata(b: Buffer): Buffer {
  const kept: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i < b.length) {
    if (i + 12 > b.length) throw new ImageError('image_corrupt');
    const length = b.readUInt32BE(i);
    const end = i + 12 + length;
    if (end > b.length) throw new ImageError('image_corrupt');
    const type = b.toString('latin1', i + 4, i + 8);
    if (!PNG_DROPPED.has(type)) kept.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(kept);
}

/** APP1 (Exif, XMP), APP13 (IPTC) and COM are dropped; APP0, ICC profiles (APP2) and Adobe (APP14) stay: decoders need them. */
const JPEG_DROPPED = new Set([0xe1, 0xed, 0xfe]);

function jpegWithoutMetadata(b: Buffer): Buffer {
  const kept: Buffer[] = [b.subarray(0, 2)];
  let orientation = 1;
  let i = 2;
  for (;;) {
    if (i + 4 > b.length || b[i] !== 0xff) throw new ImageError('image_corrupt');
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9) {
      kept.push(b.subarray(i));
      break;
    }
    const length = b.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) throw new ImageError('image_corrupt');
    if (marker === 0xe1 && b.toString('latin1', i + 4, i + 10) === 'Exif\0\0') orientation = exifOrientation(b.subarray(i + 10, end)) ?? orientation;
    if (!JPEG_DROPPED.has(marker)) kept.push(b.subarray(i, end));
    if (marker === 0xda) {
      // start of scan: the entropy-coded data and everything after it are pixels, kept as they are
      kept.push(b.subarray(end));
      break;
    }
    i = end;
  }
  if (orientation !== 1) kept.splice(1, 0, orientationSegment(orientation));
  return Buffer.concat(kept);
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF structure, if it is there and sane. */
function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** An APP1 Exif segment holding nothing but the orientation. */
function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // one value
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}
