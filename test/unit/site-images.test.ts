// Pictures are typed by their bytes, never by their name; sizes and dimensions come from the headers and are bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageError, checkImage, sniffImageType, withoutMetadata } from '../../src/site/images.ts';
import { gifHeader, jpegHeader, png, pngHeader, webpHeader } from '../support/images.ts';

const LIMITS = { maxBytes: 200_000, maxDimension: 4000 };

function refused(bytes: Buffer, code: string, limits = LIMITS): ImageError {
  try {
    checkImage(bytes, limits);
  } catch (err) {
    assert.ok(err instanceof ImageError);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

test('PNG, JPEG, GIF and WebP are recognised with their dimensions', () => {
  assert.deepEqual(checkImage(png(40, 30), LIMITS), { contentType: 'image/png', width: 40, height: 30 });
  assert.deepEqual(checkImage(jpegHeader(1024, 768), LIMITS), { contentType: 'image/jpeg', width: 1024, height: 768 });
  assert.deepEqual(checkImage(gifHeader(16, 9), LIMITS), { contentType: 'image/gif', width: 16, height: 9 });
  assert.deepEqual(checkImage(webpHeader(800, 600), LIMITS), { contentType: 'image/webp', width: 800, height: 600 });
});

test('a JPEG with Exif before its frame header: the segments are walked to SOF', () => {
  const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x0a]), Buffer.from('Exif\0\0abcd', 'latin1').subarray(0, 8)]);
  const jpeg = jpegHeader(640, 480);
  const withExif = Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]);
  assert.deepEqual(checkImage(withExif, LIMITS), { contentType: 'image/jpeg', width: 640, height: 480 });
});

test('text, HTML and SVG are not pictures, whatever they are called', () => {
  assert.equal(sniffImageType(Buffer.from('hello, I am a text file named photo.png')), undefined);
  refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image_type_unsupported');
  refused(Buffer.from('<!doctype html><script>alert(1)</script>'), 'image_type_unsupported');
  refused(Buffer.from('%PDF-1.7'), 'image_type_unsupported');
});

test('empty, too heavy, too big in pixels, or a header cut short: refused', () => {
  refused(Buffer.alloc(0), 'image_empty');
  refused(png(10, 10), 'image_too_large', { maxBytes: 50, maxDimension: 4000 });
  const big = refused(pngHeader(50_000, 50_000), 'image_dimensions_too_large');
  assert.deepEqual(big.params, { max: 4000, width: 50_000, height: 50_000 });
  refused(png(10, 10).subarray(0, 20), 'image_corrupt');
  refused(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image_corrupt');
  refused(pngHeader(0, 10), 'image_corrupt');
});

test('a JPEG loses its Exif (GPS), XMP and comments but keeps its orientation; the pixels are untouched', () => {
  const tiff = (entries: [tag: number, type: number, value: number][]) => {
    const b = Buffer.alloc(8 + 2 + entries.length * 12 + 4);
    b.write('II', 0, 'latin1');
    b.writeUInt16LE(42, 2);
    b.writeUInt32LE(8, 4);
    b.writeUInt16LE(entries.length, 8);
    entries.forEach(([tag, type, value], n) => {
      b.writeUInt16LE(tag, 10 + n * 12);
      b.writeUInt16LE(type, 12 + n * 12);
      b.writeUInt32LE(1, 14 + n * 12);
      b.writeUInt16LE(value, 18 + n * 12);
    });
    return b;
  };
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  // Orientation 6 (rotate 90°) and a GPSInfo pointer, as a phone writes them
  const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff([[0x0112, 3, 6], [0x8825, 4, 26]]), Buffer.from('GPS 45.76N 4.83E')]));
  const xmp = segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>exif:GPSLatitude</x:xmpmeta>', 'latin1'));
  const comment = segment(0xfe, Buffer.from('shot at home', 'latin1'));
  const jpeg = jpegHeader(640, 480);
  const scan = Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0x56, 0xff, 0xd9]);
  const original = Buffer.concat([jpeg.subarray(0, 2), exif, xmp, comment, jpeg.subarray(2, jpeg.length - 2), scan]);
  assert.deepEqual(checkImage(original, LIMITS), { contentType: 'image/jpeg', width: 640, height: 480 });

  const clean = withoutMetadata(original, 'image/jpeg');
  const text = clean.toString('latin1');
  for (const leak of ['GPS', 'xmpmeta', 'shot at home']) assert.ok(!text.includes(leak), leak);
  assert.deepEqual(checkImage(clean, LIMITS), { contentType: 'image/jpeg', width: 640, height: 480 });
  assert.ok(clean.subarray(clean.length - scan.length).equals(scan), 'the scan data is untouched');
  // the orientation survives, alone, in a minimal Exif segment right after SOI
  assert.equal(clean.toString('latin1', 6, 12), 'Exif\0\0');
  assert.equal(clean.readUInt16BE(12 + 18), 6);

  // upright photos get no Exif at all
  const upright = Buffer.concat([jpeg.subarray(0, 2), segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff([[0x0112, 3, 1]])])), jpeg.subarray(2, jpeg.length - 2), scan]);
  assert.ok(!withoutMetadata(upright, 'image/jpeg').includes(Buffer.from('Exif')));
});

test('a PNG loses its eXIf and text chunks and stays a valid PNG', () => {
  const image = png(4, 4);
  const text = Buffer.alloc(12 + 19);
  text.writeUInt32BE(19, 0);
  text.write('tEXt', 4, 'latin1');
  text.write('Location\0Lyon 45.7N', 8, 'latin1');
  const withText = Buffer.concat([image.subarray(0, 33), text, image.subarray(33)]);
  const clean = withoutMetadata(withText, 'image/png');
  assert.ok(!clean.toString('latin1').includes('Location'));
  assert.ok(clean.equals(image), 'exactly the original PNG');
  assert.throws(() => withoutMetadata(withText.subarray(0, 40), 'image/png'), ImageError);
});
