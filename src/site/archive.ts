// A static site uploaded as a ZIP: every check that keeps a hostile archive out, made while reading it, never trusting its headers.
//
// What is refused, and why (the code is the API's error code):
//   archive_too_large              the upload itself is over the limit
//   archive_invalid                not a ZIP we can read (no central directory, truncated, multi-disk...)
//   archive_too_many_files         more files than allowed (counted while reading, not from the header)
//   archive_unsafe_path            zip-slip: "..", an absolute path, a backslash, a drive letter, control characters
//   archive_link                   a symbolic link or another special file (from the entry's external attributes)
//   archive_encrypted              an encrypted entry (we could not check what it holds)
//   archive_unsupported_compression  anything but stored or deflated
//   archive_duplicate_entry        two entries with one name, or a file where a folder is
//   archive_too_large_uncompressed the files together inflate past the limit (counted while inflating)
//   archive_compression_ratio      one entry inflates far more than honest files do (zip bomb)
//   archive_corrupt                an entry's real size or CRC is not what its header says
//   archive_no_index               no index.html at the root (or at the root of a single top folder)
import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

export interface ArchiveLimits {
  /** the ZIP as uploaded */
  maxBytes: number;
  maxFiles: number;
  /** every file together, once inflated */
  maxUncompressedBytes: number;
  /** inflated / compressed, per entry, past RATIO_FLOOR_BYTES */
  maxRatio: number;
}

export type ArchiveErrorCode =
  | 'archive_too_large'
  | 'archive_invalid'
  | 'archive_too_many_files'
  | 'archive_unsafe_path'
  | 'archive_link'
  | 'archive_encrypted'
  | 'archive_unsupported_compression'
  | 'archive_duplicate_entry'
  | 'archive_too_large_uncompressed'
  | 'archive_compression_ratio'
  | 'archive_corrupt'
  | 'archive_no_index';

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    readonly params: Record<string, unknown> = {},
  ) {
    super(`${code}${params.path ? `: ${String(params.path)}` : ''}`);
    this.name = 'ArchiveError';
  }
}

export interface CheckedArchive {
  /** "/index.html" → bytes, ready to deploy */
  files: Map<string, Buffer>;
  /** all files together */
  contentBytes: number;
  /** the single top folder that was removed ("site/"), or "" */
  root: string;
}

/** Small files compress well (a page of spaces, an SVG): the ratio limit only applies past this much output. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_PATH_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

/** What operating systems leave in archives; dropped silently rather than published. */
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

// Unix file types in the high 16 bits of the external attributes (st_mode)
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** The DOS attribute Windows sets on symbolic links and junctions. */
const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;

// yauzl exports its file-name decoder (the Info-ZIP Unicode path field, UTF-8 flag, CP437) without typings.
const decodeName = (
  yauzl as unknown as {
    getFileNameLowLevel(flags: number, raw: Buffer, extra: yauzl.ExtraField[], strictFileNames: boolean): string;
  }
).getFileNameLowLevel;

/**
 * Read the whole archive once, checking as it goes; resolves with its files or rejects with an
 * ArchiveError. Nothing is written anywhere: the caller keeps the result only when it resolves.
 */
export async function checkArchive(zip: Buffer, limits: ArchiveLimits): Promise<CheckedArchive> {
  if (zip.length > limits.maxBytes) throw new ArchiveError('archive_too_large', { maxMb: mib(limits.maxBytes) });
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(
        zip,
        // own checks for names and sizes (decodeStrings/validateEntrySizes would answer with generic errors)
        { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, strictFileNames: true, autoClose: true },
        (err, z) => (err ? reject(err) : resolve(z)),
      ),
    );
  } catch {
    throw new ArchiveError('archive_invalid');
  }
  // A central directory claiming more entries than we could accept is refused before reading any.
  // (Folders count as entries too, hence the allowance.)
  if (zipfile.entryCount > limits.maxFiles * 2 + 100) {
    zipfile.close();
    throw new ArchiveError('archive_too_many_files', { max: limits.maxFiles });
  }

  const files = new Map<string, Buffer>();
  const folders = new Set<string>();
  let fileCount = 0;
  let total = 0;
  try {
    for await (const entry of zipfile.eachEntry()) {
      const raw = entry.fileNameRaw;
      // Many tools write UTF-8 names without setting the UTF-8 flag; valid UTF-8 is read as such.
      const flags = isUtf8(raw) ? entry.generalPurposeBitFlag | 0x800 : entry.generalPurposeBitFlag;
      const name = decodeName(flags, raw, entry.extraFields, true);
      const isFolder = name.endsWith('/');
      const path = safePath(isFolder ? name.slice(0, -1) : name, name);

      if (isLink(entry)) throw new ArchiveError('archive_link', { path: name });
      // bit 0: traditional encryption; bit 6: strong encryption; method 99: WinZip AES
      if (entry.generalPurposeBitFlag & 0x41 || entry.compressionMethod === 99) throw new ArchiveError('archive_encrypted', { path: name });
      if (isFolder) {
        if (folders.has(path) || files.has(path)) throw new ArchiveError('archive_duplicate_entry', { path: name });
        folders.add(path);
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new ArchiveError('archive_unsupported_compression', { path: name });
      }
      if (++fileCount > limits.maxFiles) throw new ArchiveError('archive_too_many_files', { max: limits.maxFiles });
      if (files.has(path) || folders.has(path)) throw new ArchiveError('archive_duplicate_entry', { path: name });

      const content = await inflate(zipfile, entry, name, limits, total);
      total += content.length;
      if (JUNK.test(path)) continue;
      files.set(path, content);
    }
  } catch (err) {
    zipfile.close();
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('archive_invalid');
  }

  // A file named like a folder another file lives in ("a" and "a/b") cannot both be served.
  for (const p of files.keys()) {
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
      if (files.has(p.slice(0, i))) throw new ArchiveError('archive_duplicate_entry', { path: p.slice(0, i) });
    }
  }
  return withRoot(files, total);
}

/** The path as it will be served, or archive_unsafe_path. `shown` is the name as the archive spells it. */
function safePath(name: string, shown: string): string {
  const unsafe = () => new ArchiveError('archive_unsafe_path', { path: shown });
  if (name === '' || name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe();
  if (/[\u0000-\u001f\u007f]/.test(name) || Buffer.byteLength(name) > MAX_PATH_BYTES) throw unsafe();
  const segments = name.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || Buffer.byteLength(s) > MAX_SEGMENT_BYTES) throw unsafe();
  }
  return segments.join('/');
}

/** The type bits of the external attributes: Unix st_mode when set, and the DOS reparse-point bit. */
function isLink(entry: yauzl.Entry): boolean {
  const attrs = entry.externalFileAttributes >>> 0;
  const mode = attrs >>> 16;
  const type = mode & S_IFMT;
  // S_IFLNK above all, but a fifo, a device or a socket has no place in a website either
  if (type === S_IFLNK || (type !== 0 && type !== S_IFREG && type !== S_IFDIR)) return true;
  return (attrs & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
}

/** Inflate one entry, counting every byte as it comes: a lying header cannot make us inflate past a limit. */
async function inflate(zipfile: yauzl.ZipFile, entry: yauzl.Entry, name: string, limits: ArchiveLimits, before: number): Promise<Buffer> {
  const stream = await zipfile.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  const ratioLimit = Math.max(RATIO_FLOOR_BYTES, limits.maxRatio * Math.max(1, entry.compressedSize));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // The header's size is a ceiling the entry is held to, not a figure the limits rely on.
      if (size > entry.uncompressedSize) throw new ArchiveError('archive_corrupt', { path: name });
      if (before + size > limits.maxUncompressedBytes) {
        throw new ArchiveError('archive_too_large_uncompressed', { maxMb: mib(limits.maxUncompressedBytes) });
      }
      if (size > ratioLimit) throw new ArchiveError('archive_compression_ratio', { path: name, max: limits.maxRatio });
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  const content = Buffer.concat(chunks, size);
  if (size !== entry.uncompressedSize) throw new ArchiveError('archive_corrupt', { path: name });
  // yauzl does not check CRCs; zlib.crc32 exists from Node 20.15 on.
  const crc32 = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
  if (crc32 && crc32(content) >>> 0 !== entry.crc32 >>> 0) throw new ArchiveError('archive_corrupt', { path: name });
  return content;
}

/** index.html at the root, or at the root of the one folder everything sits in (which is then removed). */
function withRoot(files: Map<string, Buffer>, total: number): CheckedArchive {
  const keyed = (m: Map<string, Buffer>, root: string): CheckedArchive => {
    const out = new Map<string, Buffer>();
    for (const [p, content] of m) out.set(`/${p.slice(root.length)}`, content);
    return { files: out, contentBytes: total, root };
  };
  if (files.has('index.html')) return keyed(files, '');
  const tops = new Set([...files.keys()].map((p) => (p.includes('/') ? `${p.slice(0, p.indexOf('/'))}/` : '')));
  const [top] = tops;
  if (tops.size === 1 && top && files.has(`${top}index.html`)) return keyed(files, top);
  throw new ArchiveError('archive_no_index');
}

/** Limits are set in MiB (ARCHIVE_MAX_MB); messages say them the same way. */
function mib(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}
