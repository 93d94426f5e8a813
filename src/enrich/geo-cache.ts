import { cachedCompilation } from './asn-cache.js';
import { compileGeoDatabase } from './geo-compile.js';
import type { GeoTables } from './geo-tables.js';

const MAGIC = 0x4f45474c; // "LGEO"
const FORMAT = 1;
const HEADER_BYTES = 32;
const NO_IPV6 = 0xffffffff;

/**
 * An mmdb geo file's range tables, read from the cache folder (asn-cache.ts: keyed by the file's path, size
 * and modification time) when they were compiled before, else compiled from the file and written there.
 * The cache holds what the public (or the user's licensed) database says of address ranges, never anything
 * from a log.
 */
export function cachedGeoTables(file: string, cacheDir: string | null, what = 'geo database'): GeoTables {
  return cachedCompilation(file, cacheDir, {
    extension: '.mmdb',
    tag: `geo${FORMAT}`,
    compile: () => compileGeoDatabase(file, what),
    encode: encodeGeoTables,
    decode: decodeGeoTables,
  });
}

function byteView(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function encodeGeoTables(tables: GeoTables): Buffer {
  const text = Buffer.from(tables.strings.join('\n'), 'utf8');
  const sections = [tables.v4Starts, tables.v4Places, tables.v6Starts, tables.v6Places, tables.v6FineStarts, tables.v6FinePlaces, tables.places]
    .filter((section): section is Uint32Array => section !== null);
  const out = Buffer.alloc(HEADER_BYTES + sections.reduce((sum, s) => sum + s.byteLength, 0) + text.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(tables.v4Places.length, 8);
  out.writeUInt32LE(tables.v6Places?.length ?? NO_IPV6, 12);
  out.writeUInt32LE(tables.v6FinePlaces?.length ?? 0, 16);
  out.writeUInt32LE(tables.places.length / 3, 20);
  out.writeUInt32LE(tables.strings.length, 24);
  out.writeUInt32LE(text.length, 28);
  let at = HEADER_BYTES;
  for (const section of sections) {
    out.set(byteView(section), at);
    at += section.byteLength;
  }
  text.copy(out, at);
  return out;
}

export function decodeGeoTables(file: Buffer): GeoTables | null {
  if (file.length < HEADER_BYTES || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== FORMAT) return null;
  const n4 = file.readUInt32LE(8);
  const n6Field = file.readUInt32LE(12);
  const n6 = n6Field === NO_IPV6 ? 0 : n6Field;
  const nFine = file.readUInt32LE(16);
  const placeCount = file.readUInt32LE(20);
  const stringCount = file.readUInt32LE(24);
  const textBytes = file.readUInt32LE(28);
  const textAt = HEADER_BYTES + 4 * (2 * n4 + 3 * n6 + 5 * nFine + 3 * placeCount);
  if (file.length !== textAt + textBytes) return null;
  // Typed arrays over the file's bytes need them aligned: a copy when the buffer is not.
  const bytes = file.byteOffset % 4 === 0 ? file : Buffer.from(file);
  let at = HEADER_BYTES;
  const words = (count: number): Uint32Array => {
    const array = new Uint32Array(bytes.buffer, bytes.byteOffset + at, count);
    at += 4 * count;
    return array;
  };
  const v4Starts = words(n4);
  const v4Places = words(n4);
  const ipv6 = n6Field !== NO_IPV6;
  const v6Starts = ipv6 ? words(2 * n6) : null;
  const v6Places = ipv6 ? words(n6) : null;
  const v6FineStarts = ipv6 ? words(4 * nFine) : null;
  const v6FinePlaces = ipv6 ? words(nFine) : null;
  const places = words(3 * placeCount);
  const strings = bytes.toString('utf8', textAt, textAt + textBytes).split('\n');
  if (strings.length !== stringCount || n4 === 0) return null;
  return { v4Starts, v4Places, v6Starts, v6Places, v6FineStarts, v6FinePlaces, places, strings };
}
