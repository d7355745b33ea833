// Pictures made in the test: real ones (a PNG with real chunks and CRCs, photos made with sharp, with what a phone writes in them) and header-only forged ones for what must be refused before decoding.
import zlib from 'node:zlib';
import sharp from 'sharp';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A real PNG (8-bit RGB, one flat colour) any browser displays. */
export function png(width: number, height: number, rgb: [number, number, number] = [200, 80, 40]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3])]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Only a PNG's header, claiming any size: what a decompression bomb looks like to a header reader. */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** What a phone writes about a photo: device, date and where it was taken (the GPS IFD), plus XMP and a comment. */
export const PHONE_METADATA = {
  exif: {
    IFD0: { Make: 'PhoneCo', Model: 'Pocket X1', DateTime: '2024:06:01 12:00:00' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 45/1 36/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 50/1 24/1', GPSMapDatum: 'WGS-84' },
  },
  xmp: '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="45,45.6N"/></rdf:RDF></x:xmpmeta>',
  comment: 'shot at home',
};
/** Strings that must not survive in a stored picture: each comes from PHONE_METADATA. */
export const METADATA_LEAKS = ['PhoneCo', 'Pocket X1', '2024:06:01', 'WGS-84', 'xmpmeta', 'GPSLatitude', 'shot at home', 'Exif'];

/**
 * A photo-like JPEG (a gradient with noise, which compresses like a photo) with PHONE_METADATA,
 * stored sideways as phones do (Exif orientation 6: turn 90° clockwise to show) unless told
 * otherwise. Its stored top-left corner is a red square, to see where the pixels went.
 */
export async function phonePhoto(width: number, height: number, opts: { orientation?: number; quality?: number } = {}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = (seed >> 16) % 48;
      const i = (y * width + x) * 3;
      const red = x < width / 8 && y < height / 8;
      pixels[i] = red ? 230 : Math.min(255, Math.round((x / width) * 200) + noise);
      pixels[i + 1] = red ? 20 : Math.min(255, Math.round((y / height) * 160) + noise);
      pixels[i + 2] = red ? 20 : 90 + noise;
    }
  }
  const orientation = opts.orientation ?? 6;
  let photo = sharp(pixels, { raw: { width, height, channels: 3 } }).withExif(PHONE_METADATA.exif);
  // withMetadata, the only way to write an orientation, also adds an sRGB profile: only when needed
  if (orientation !== 1) photo = photo.withMetadata({ orientation });
  const jpeg = await photo
    .withXmp(PHONE_METADATA.xmp)
    .jpeg({ quality: opts.quality ?? 92 })
    .toBuffer();
  return withJpegComment(jpeg, PHONE_METADATA.comment);
}

/** A COM segment right after SOI (sharp writes none). */
export function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const head = Buffer.from([0xff, 0xfe, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

/** A JPEG's start: SOI, an APP0 (JFIF) segment, then a baseline frame header (SOF0) with the size. */
export function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

export function gifHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return Buffer.concat([b, Buffer.from([0x3b])]);
}

/** A WebP container with a VP8X (extended) chunk giving the canvas size. */
export function webpHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(22, 4);
  b.write('WEBP', 8, 'latin1');
  b.write('VP8X', 12, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}
