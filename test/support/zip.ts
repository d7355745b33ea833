// A tiny ZIP writer for tests: honest archives, and hostile ones with forged names, sizes, attributes and flags.
import zlib from 'node:zlib';

export interface ZipEntry {
  /** written as is (a Buffer for raw bytes); a trailing "/" makes a folder */
  name: string | Buffer;
  data?: Buffer | string;
  /** 8 deflate (default for files), 0 stored */
  method?: number;
  /** general purpose bit flag; bit 11 (UTF-8 names) is set for string names unless given */
  flags?: number;
  /** external file attributes: the Unix mode sits in the high 16 bits */
  externalAttributes?: number;
  /** high byte 3 = Unix (the default), 0 = MS-DOS */
  versionMadeBy?: number;
  // forgeries: what the headers claim, whatever the data is
  crc?: number;
  uncompressedSize?: number;
  compressedSize?: number;
}

/** Unix mode → external attributes, e.g. unixMode(0o120777) for a symbolic link. */
export const unixMode = (mode: number) => (mode << 16) >>> 0;

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const isFolder = name.at(-1) === 0x2f;
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : (e.data ?? Buffer.alloc(0));
    const method = e.method ?? (isFolder ? 0 : 8);
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    const flags = e.flags ?? (typeof e.name === 'string' ? 0x800 : 0);
    const crc = e.crc ?? zlib.crc32(data);
    const compressed = e.compressedSize ?? body.length;
    const uncompressed = e.uncompressedSize ?? data.length;
    const external = e.externalAttributes ?? unixMode(isFolder ? 0o040755 : 0o100644);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed >>> 0, 18);
    local.writeUInt32LE(uncompressed >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.versionMadeBy ?? (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed >>> 0, 20);
    central.writeUInt32LE(uncompressed >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(external >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A small, honest static site. */
export function siteZip(prefix = '', extra: ZipEntry[] = []): Buffer {
  return zip([
    ...(prefix ? [{ name: prefix }] : []),
    {
      name: `${prefix}index.html`,
      data: '<!doctype html><html><head><title>Archive site</title><link rel="stylesheet" href="/css/site.css"></head><body><h1>Hello from the archive</h1></body></html>\n',
    },
    { name: `${prefix}css/site.css`, data: 'body{font-family:sans-serif}\n' },
    { name: `${prefix}404.html`, data: '<!doctype html><title>Not here</title>\n' },
    ...extra,
  ]);
}
