import { cachedCompilation } from './asn-cache.js';
import { compileGeoDatabase } from './geo-compile.js';
import type { GeoTables } from './geo-tables.js';

const MAGIC = 0x4f45474c; // "LGEO"
const FORMAT = 2;
const HEADER_BYTES = 36;
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

/**
 * Layout: a header of 32-bit counts (range counts, places, strings, text bytes), the typed arrays one after
 * another (little-endian, as this machine's typed arrays are read back without a copy), then the names' text.
 */
export function encodeGeoTables(tables: GeoTables): Buffer {
  const { text } = tables;
  const { v6 } = tables;
  const sections = [tables.v4Starts, tables.v4Places, ...(v6 ? [v6.highs, v6.highFirst, v6.lows, v6.places, v6.fineStarts, v6.finePlaces] : []), tables.places,
    tables.stringEnds];
  const out = Buffer.alloc(HEADER_BYTES + sections.reduce((sum, s) => sum + s.byteLength, 0) + text.length);
  const counts = [MAGIC, FORMAT, tables.v4Places.length, v6?.highs.length ?? NO_IPV6, v6?.places.length ?? 0, v6?.finePlaces.length ?? 0,
    tables.places.length / 3, tables.stringEnds.length, text.length];
  for (const [i, count] of counts.entries()) out.writeUInt32LE(count, 4 * i);
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
  const [n4, highCount, n6, nFine, placeCount, stringCount, textBytes] = [2, 3, 4, 5, 6, 7, 8].map((i) => file.readUInt32LE(4 * i));
  const ipv6 = highCount !== NO_IPV6;
  const textAt = HEADER_BYTES + 4 * (2 * n4 + (ipv6 ? 2 * highCount + 1 + 2 * n6 + 5 * nFine : 0) + 3 * placeCount + stringCount);
  if (file.length !== textAt + textBytes || n4 === 0) return null;
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
  const v6 = ipv6
    ? { highs: words(highCount), highFirst: words(highCount + 1), lows: words(n6), places: words(n6), fineStarts: words(4 * nFine), finePlaces: words(nFine) }
    : null;
  const places = words(3 * placeCount);
  const stringEnds = words(stringCount);
  if (stringCount === 0 || stringEnds[stringCount - 1] !== textBytes) return null;
  return { v4Starts, v4Places, v6, places, text: bytes.subarray(textAt, textAt + textBytes), stringEnds };
}
