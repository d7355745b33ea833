// Archive checks against hostile ZIPs forged byte by byte: zip-slip, zip bombs (high ratio, lying sizes), links, encryption, duplicates, missing index, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArchiveError, checkArchive, type ArchiveLimits } from '../../src/site/archive.ts';
import { siteZip, unixMode, zip } from '../support/zip.ts';

const LIMITS: ArchiveLimits = { maxBytes: 5_000_000, maxFiles: 50, maxUncompressedBytes: 20_000_000, maxRatio: 100 };
const index = { name: 'index.html', data: '<!doctype html><title>ok</title>' };

async function refused(archive: Buffer, code: string, limits: Partial<ArchiveLimits> = {}): Promise<ArchiveError> {
  try {
    await checkArchive(archive, { ...LIMITS, ...limits });
  } catch (err) {
    assert.ok(err instanceof ArchiveError, `an ArchiveError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, the archive was accepted`);
}

test('an honest site is accepted, its files keyed by served path', async () => {
  const checked = await checkArchive(siteZip(), LIMITS);
  assert.deepEqual([...checked.files.keys()].sort(), ['/404.html', '/css/site.css', '/index.html']);
  assert.match(checked.files.get('/index.html')!.toString(), /Hello from the archive/);
  assert.equal(checked.root, '');
});

test('a single top folder holding index.html is removed; OS junk is dropped', async () => {
  const checked = await checkArchive(
    siteZip('mon-site/', [
      { name: '__MACOSX/mon-site/._index.html', data: 'resource fork' },
      { name: 'mon-site/.DS_Store', data: 'junk' },
    ]),
    LIMITS,
  );
  assert.equal(checked.root, 'mon-site/');
  assert.deepEqual([...checked.files.keys()].sort(), ['/404.html', '/css/site.css', '/index.html']);
});

test('UTF-8 names are kept, with or without the UTF-8 flag', async () => {
  const checked = await checkArchive(zip([index, { name: Buffer.from('images/café.svg', 'utf8'), data: '<svg/>' }]), LIMITS);
  assert.ok(checked.files.has('/images/café.svg'));
});

test('missing index.html: refused', async () => {
  await refused(zip([{ name: 'home.html', data: 'x' }]), 'archive_no_index');
  // two top folders: no single root to take
  await refused(
    zip([
      { name: 'a/index.html', data: 'x' },
      { name: 'b/index.html', data: 'x' },
    ]),
    'archive_no_index',
  );
  await refused(zip([]), 'archive_no_index');
});

test('zip-slip: parent segments, absolute paths, backslashes, drive letters, control characters', async () => {
  for (const name of [
    '../evil.html',
    'site/../../evil.html',
    '/etc/passwd',
    '..\\..\\evil.html',
    'dir\\index.html',
    'C:/Windows/evil.html',
    'c:evil',
    'a//b.html',
    './index.html',
    'a/\u0000b',
  ]) {
    const err = await refused(zip([index, { name, data: 'x' }]), 'archive_unsafe_path');
    assert.equal(err.params.path, name);
  }
  // a folder entry climbing out is refused too
  await refused(zip([index, { name: '../up/' }]), 'archive_unsafe_path');
});

test('symbolic links and special files, from the external attributes: refused', async () => {
  await refused(zip([index, { name: 'passwd', data: '/etc/passwd', method: 0, externalAttributes: unixMode(0o120777) }]), 'archive_link');
  await refused(zip([index, { name: 'link/', externalAttributes: unixMode(0o120755) }]), 'archive_link');
  await refused(zip([index, { name: 'fifo', data: '', externalAttributes: unixMode(0o010644) }]), 'archive_link');
  // Windows: a reparse point (symbolic link or junction) in the DOS attributes
  await refused(zip([index, { name: 'junction', data: 'x', versionMadeBy: 20, externalAttributes: 0x400 | 0x20 }]), 'archive_link');
});

test('encrypted entries: refused before reading them', async () => {
  await refused(zip([index, { name: 'secret.html', data: 'x', flags: 0x801 }]), 'archive_encrypted');
  await refused(zip([index, { name: 'aes.html', data: 'x', method: 99 }]), 'archive_encrypted');
});

test('compression methods other than stored and deflate: refused', async () => {
  await refused(zip([index, { name: 'bz.html', data: 'x', method: 12 }]), 'archive_unsupported_compression');
});

test('duplicate names, and a file where a folder is: refused', async () => {
  await refused(zip([index, { name: 'a.html', data: '1' }, { name: 'a.html', data: '2' }]), 'archive_duplicate_entry');
  await refused(zip([index, { name: 'css', data: 'file' }, { name: 'css/site.css', data: 'x' }]), 'archive_duplicate_entry');
});

test('too many files: refused, counted while reading', async () => {
  const many = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.html`, data: 'x' }));
  await refused(zip([index, ...many]), 'archive_too_many_files', { maxFiles: 10 });
  // folders do not count as files
  await checkArchive(zip([index, ...Array.from({ length: 9 }, (_, i) => ({ name: `d${i}/` }))]), { ...LIMITS, maxFiles: 1 });
});

test('too big as uploaded: refused before opening it', async () => {
  const err = await refused(siteZip(), 'archive_too_large', { maxBytes: 100 });
  assert.equal(err.params.maxMb, 0);
});

test('zip bomb, high ratio: 50 MB of zeros in a few kilobytes is refused after its first MiB or so', async () => {
  const bomb = zip([index, { name: 'bomb.html', data: Buffer.alloc(50_000_000) }]);
  assert.ok(bomb.length < 100_000, `a ${bomb.length}-byte bomb`);
  const started = Date.now();
  await refused(bomb, 'archive_compression_ratio', { maxUncompressedBytes: 1_000_000_000 });
  assert.ok(Date.now() - started < 2_000, 'stopped early, not after inflating it all');
});

test('zip bomb, lying sizes: an entry inflating past its declared size is stopped right there', async () => {
  const liar = zip([index, { name: 'liar.html', data: Buffer.alloc(50_000_000), uncompressedSize: 1000 }]);
  const started = Date.now();
  await refused(liar, 'archive_corrupt', { maxUncompressedBytes: 1_000_000_000, maxRatio: 1_000_000 });
  assert.ok(Date.now() - started < 2_000, 'stopped early, not after inflating it all');
  await refused(zip([index, { name: 'short.html', data: 'twelve bytes', uncompressedSize: 300 }]), 'archive_corrupt');
});

test('zip bomb, many honest entries: the total is counted on the bytes inflated', async () => {
  const wide = zip([index, ...Array.from({ length: 5 }, (_, i) => ({ name: `page${i}.html`, data: Buffer.alloc(3_000_000, 0x20) }))]);
  // the ratio limit is set out of the way: only the running total can stop it
  await refused(wide, 'archive_too_large_uncompressed', { maxUncompressedBytes: 5_000_000, maxRatio: 1_000_000 });
});

test('a CRC that does not match the content: refused', async () => {
  await refused(zip([index, { name: 'x.html', data: 'hello', crc: 1234 }]), 'archive_corrupt');
});

test('not a ZIP at all, or a truncated one: refused', async () => {
  await refused(Buffer.from('this is not a zip file, just text'), 'archive_invalid');
  const whole = siteZip();
  await refused(whole.subarray(0, whole.length - 30), 'archive_invalid');
  await refused(Buffer.alloc(0), 'archive_invalid');
});
