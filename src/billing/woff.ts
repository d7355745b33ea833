// A WOFF 1.0 font turned back into the TrueType/OpenType file it wraps, once per process: fontkit reads a WOFF by
// inflating its tables again on every embedding, which made an invoice's render cost seconds of CPU instead of tens of
// milliseconds. Layout from the W3C's "WOFF File Format 1.0" (www.w3.org/TR/WOFF/): a 44-byte header (signature,
// flavor at 4, numTables at 12), then a 20-byte directory entry per table (tag, offset, compLength, origLength,
// origChecksum); a table is zlib-compressed when compLength < origLength. The sfnt header's searchRange, entrySelector
// and rangeShift follow the OpenType specification's table directory.
import zlib from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

export function woffToSfnt(woff: Uint8Array): Buffer {
  const w = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (w.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 font');
  const flavor = w.readUInt32BE(4);
  const numTables = w.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = w.readUInt32BE(at + 4);
    const compLength = w.readUInt32BE(at + 8);
    const origLength = w.readUInt32BE(at + 12);
    const raw = w.subarray(offset, offset + compLength);
    return { tag: w.readUInt32BE(at), checksum: w.readUInt32BE(at + 16), data: compLength < origLength ? zlib.inflateSync(raw) : Buffer.from(raw) };
  });
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    header.writeUInt32BE(t.tag, at);
    header.writeUInt32BE(t.checksum, at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(t.data.length, at + 12);
    // each table starts on a 4-byte boundary
    const pad = (4 - (t.data.length % 4)) % 4;
    bodies.push(t.data, Buffer.alloc(pad));
    offset += t.data.length + pad;
  });
  return Buffer.concat([header, ...bodies]);
}
