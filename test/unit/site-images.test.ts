// Pictures are typed by their bytes, never by their name, and bounded by their headers; then decoded, turned upright, resized, recompressed, stripped of metadata, and given narrower copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ImageError, checkImage, prepareImage, sniffImageType, type ImageKind, type ImageLimits } from '../../src/site/images.ts';
import { METADATA_LEAKS, PHONE_METADATA, gifHeader, jpegHeader, phonePhoto, png, pngHeader, webpHeader, withJpegComment } from '../support/images.ts';

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

// ---------- prepareImage: what visitors download ----------

const UPLOAD_LIMITS: ImageLimits = { maxBytes: 20_000_000, maxDimension: 6000 };

async function prepared(bytes: Buffer, kind: ImageKind, limits = UPLOAD_LIMITS) {
  return prepareImage(bytes, checkImage(bytes, limits), kind, limits);
}

async function preparationRefused(bytes: Buffer, code: string, limits = UPLOAD_LIMITS): Promise<ImageError> {
  const err = await prepareImage(bytes, checkImage(bytes, limits), 'picture', limits).then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ImageError, String(err));
  assert.equal(err.code, code);
  return err;
}

function assertNoMetadataLeft(bytes: Buffer, what: string) {
  const text = bytes.toString('latin1');
  for (const leak of METADATA_LEAKS) assert.ok(!text.includes(leak), `${what}: ${leak}`);
  // the GPSInfo pointer (tag 0x8825), in either byte order, would mean a GPS IFD survived
  assert.ok(!bytes.includes(Buffer.from([0x88, 0x25, 0x00, 0x04])) && !bytes.includes(Buffer.from([0x25, 0x88, 0x04, 0x00])), `${what}: GPSInfo`);
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data } = await sharp(bytes).extract({ left: x, top: y, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
  return [...data];
}

test('a big phone photo comes out upright, within 2000 px, much lighter, without its Exif, GPS, XMP or comment', async () => {
  const upload = await phonePhoto(3000, 2000);
  // the upload really carries what a phone writes
  const before = await sharp(upload).metadata();
  assert.equal(before.orientation, 6);
  assert.ok(before.exif && before.xmp);
  for (const leak of ['PhoneCo', 'WGS-84', 'xmpmeta', 'shot at home']) assert.ok(upload.includes(leak), leak);

  const out = await prepared(upload, 'picture');
  // turned by its pixels: shown 2000 wide by 3000 high, fitted inside 2000 px
  assert.equal(out.contentType, 'image/jpeg');
  assert.deepEqual([out.width, out.height], [1333, 2000]);
  assert.equal(out.originalSize, upload.length);
  assert.ok(out.bytes.length < upload.length / 3, `${out.bytes.length} bytes from ${upload.length}`);
  const after = await sharp(out.bytes).metadata();
  assert.deepEqual([after.format, after.width, after.height], ['jpeg', 1333, 2000]);
  assert.equal(after.orientation, undefined, 'no orientation left to apply: the pixels are upright');
  assert.equal(after.exif, undefined);
  assert.equal(after.xmp, undefined);
  assert.equal(after.iptc, undefined);
  assert.equal(after.icc, undefined);
  assert.equal(after.isProgressive, true);
  assertNoMetadataLeft(out.bytes, 'picture');
  // the red square stored top-left is shown top-right once turned 90° clockwise
  const [r1, g1] = await pixel(out.bytes, out.width - 40, 40);
  assert.ok(r1! > 180 && g1! < 80, `top right is red: ${r1},${g1}`);
  const [r2, g2] = await pixel(out.bytes, 40, 40);
  assert.ok(!(r2! > 180 && g2! < 80), `top left is not: ${r2},${g2}`);
});

test('a picture gets copies 480 and 960 px wide, clean too, and the same upload gives the same bytes again', async () => {
  const upload = await phonePhoto(2400, 1600, { orientation: 1 });
  const out = await prepared(upload, 'picture');
  assert.deepEqual([out.width, out.height], [2000, 1333]);
  assert.deepEqual(
    out.variants.map((v) => [v.width, v.height]),
    [
      [480, 320],
      [960, 640],
    ],
  );
  for (const v of out.variants) {
    const meta = await sharp(v.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', v.width, v.height]);
    assert.ok(v.bytes.length < out.bytes.length);
    assertNoMetadataLeft(v.bytes, `variant ${v.width}`);
  }
  const again = await prepared(upload, 'picture');
  assert.ok(again.bytes.equals(out.bytes), 'the picture is byte-stable');
  assert.equal(again.variants.length, out.variants.length);
  again.variants.forEach((v, i) => assert.ok(v.bytes.equals(out.variants[i]!.bytes), `variant ${v.width} is byte-stable`));

  // only copies narrower than the picture; a logo gets none, and is fitted inside 512 px
  const middling = await prepared(await phonePhoto(700, 500, { orientation: 1 }), 'picture');
  assert.deepEqual(
    middling.variants.map((v) => v.width),
    [480],
  );
  const logo = await prepared(upload, 'logo');
  assert.deepEqual([logo.width, logo.height, logo.variants.length], [512, 341, 0]);
});

test('a PNG logo with transparency stays a PNG with its transparency; a small one is never enlarged', async () => {
  const width = 800;
  const height = 600;
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    // a blue mark on the left half, transparent on the right
    rgba.set(x < width / 2 ? [20, 60, 200, 255] : [0, 0, 0, 0], i * 4);
  }
  const upload = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  const out = await prepared(upload, 'logo');
  assert.equal(out.contentType, 'image/png');
  assert.deepEqual([out.width, out.height], [512, 384]);
  const meta = await sharp(out.bytes).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.hasAlpha, true);
  assert.deepEqual(
    await sharp(out.bytes)
      .ensureAlpha()
      .extract({ left: 500, top: 10, width: 1, height: 1 })
      .raw()
      .toBuffer()
      .then((b) => b[3]),
    0,
    'still transparent',
  );
  assert.deepEqual(
    [...(await sharp(out.bytes).ensureAlpha().extract({ left: 10, top: 10, width: 1, height: 1 }).raw().toBuffer())],
    [20, 60, 200, 255],
    'few colours: exact',
  );

  const small = await prepared(png(40, 30), 'logo');
  assert.deepEqual([small.width, small.height], [40, 30]);
  assert.ok(small.bytes.length <= png(40, 30).length);
});

test('an upload already lighter than its re-encode is kept as uploaded, pixels untouched, without its metadata', async () => {
  // a photo someone optimised before: quality 40, upright, within the size
  const upload = await phonePhoto(800, 600, { orientation: 1, quality: 40 });
  const out = await prepared(upload, 'picture');
  assert.deepEqual([out.width, out.height], [800, 600]);
  assert.ok(out.bytes.length < upload.length);
  assertNoMetadataLeft(out.bytes, 'kept upload');
  const meta = await sharp(out.bytes).metadata();
  assert.equal(meta.exif, undefined);
  assert.equal(meta.xmp, undefined);
  // the same pixels as the upload: not recompressed (a re-encode at quality 80 would be heavier)
  const [a, b] = await Promise.all([sharp(upload).raw().toBuffer(), sharp(out.bytes).raw().toBuffer()]);
  assert.ok(a.equals(b));
  const reencoded = await sharp(upload).jpeg({ quality: 80, mozjpeg: true }).toBuffer();
  assert.ok(out.bytes.length < reencoded.length);
});

test('a header that passes but pixels that do not decode: image_corrupt; a picture beyond the pixel limit never reaches the decoder', async () => {
  const photo = await phonePhoto(600, 400, { orientation: 1 });
  await preparationRefused(photo.subarray(0, Math.floor(photo.length / 2)), 'image_corrupt');
  await preparationRefused(jpegHeader(640, 480), 'image_corrupt');
  const pngBody = png(64, 64);
  const broken = Buffer.from(pngBody);
  broken.fill(0x55, 41, broken.length - 12); // the IDAT's compressed data, now garbage
  await preparationRefused(broken, 'image_corrupt');
  // the decoder has its own limit, from the same setting, should a header lie
  const err = await prepareImage(png(100, 100), { contentType: 'image/png', width: 10, height: 10 }, 'picture', { maxBytes: 1_000_000, maxDimension: 50 }).then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ImageError);
  assert.equal(err.code, 'image_dimensions_too_large');
});

test('WebP stays WebP; an animated GIF stays animated, resized frame by frame', async () => {
  const webp = await sharp(await phonePhoto(2400, 1200, { orientation: 1 }))
    .webp({ quality: 95 })
    .toBuffer();
  const w = await prepared(webp, 'picture');
  assert.equal(w.contentType, 'image/webp');
  assert.deepEqual([w.width, w.height], [2000, 1000]);
  assert.equal((await sharp(w.bytes).metadata()).format, 'webp');
  assert.ok(w.bytes.length < webp.length);

  const frame = (rgb: number[]) => Buffer.concat(Array.from({ length: 600 * 300 }, () => Buffer.from(rgb)));
  const gif = await sharp(Buffer.concat([frame([200, 30, 30]), frame([30, 30, 200])]), {
    raw: { width: 600, height: 600, channels: 3, pageHeight: 300 } as never,
  })
    .gif({ delay: [200, 200], loop: 0 })
    .toBuffer();
  assert.equal((await sharp(gif, { animated: true }).metadata()).pages, 2);
  const g = await prepared(gif, 'logo');
  assert.equal(g.contentType, 'image/gif');
  assert.deepEqual([g.width, g.height], [512, 256]);
  const meta = await sharp(g.bytes, { animated: true }).metadata();
  assert.deepEqual([meta.pages, meta.pageHeight], [2, 256]);
});

test('a comment hidden after the first scan of a JPEG is gone too', async () => {
  // COM segments may sit between scans of a progressive JPEG
  const progressive = await sharp(await phonePhoto(400, 300, { orientation: 1 }))
    .jpeg({ quality: 30, progressive: true })
    .toBuffer();
  const secondScan = progressive.indexOf(Buffer.from([0xff, 0xda]), progressive.indexOf(Buffer.from([0xff, 0xda])) + 2);
  assert.ok(secondScan > 0);
  const hidden = Buffer.concat([
    progressive.subarray(0, secondScan),
    withJpegComment(Buffer.from([0xff, 0xd8]), PHONE_METADATA.comment).subarray(2),
    progressive.subarray(secondScan),
  ]);
  assert.equal((await sharp(hidden).metadata()).width, 400, 'still a valid JPEG');
  const out = await prepared(hidden, 'picture');
  assertNoMetadataLeft(out.bytes, 'progressive');
});
