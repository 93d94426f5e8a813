import { readFileSync } from 'node:fs';
import { Reader } from 'maxmind';
import { type GeoResult, NO_GEO } from '../privacy/lookups.js';
import { ALIAS, FINE, type GeoTables, type Ipv6Tables } from './geo-tables.js';

export type GeoRecord = Record<string, unknown>;

/**
 * Reads one record layout into a GeoResult. Two layouts exist: MaxMind's (`country.iso_code`,
 * `subdivisions[0].names.en`, `city.names.en`) and ip-location-db's flat one (`country_code`, `state1`, `city`).
 * MaxMind leaves `country` out for some networks (anycast, satellite); `registered_country` is then the best
 * answer it has.
 */
export function readGeoRecord(record: GeoRecord | null): GeoResult {
  if (record === null) return NO_GEO;
  if (typeof record.country_code === 'string') {
    return { country: record.country_code, region: str(record.state1), city: str(record.city) };
  }
  const country = (record.country ?? record.registered_country) as { iso_code?: string } | undefined;
  const city = record.city as { names?: Record<string, string> } | undefined;
  const subdivisions = record.subdivisions as Array<{ iso_code?: string; names?: Record<string, string> }> | undefined;
  const region = subdivisions?.[0];
  return {
    country: country?.iso_code ?? '',
    region: region?.names?.en ?? region?.iso_code ?? '',
    city: city?.names?.en ?? '',
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The message a user gets for an mmdb file that cannot be read or is not one. */
export function mmdbFailure(file: string, what: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code ? `cannot read it (${code})` : `not a MaxMind DB file (${(err as Error).message})`;
  return new Error(`${file}: ${what}: ${reason}`);
}

interface Ranges {
  starts: Uint32Array;
  places: Uint32Array;
}

/** A growing typed array of range starts (`width` words each) and their places. */
class RangeBuilder {
  starts: Uint32Array;
  places: Uint32Array;
  length = 0;

  constructor(private readonly width: number) {
    this.starts = new Uint32Array(1024 * width);
    this.places = new Uint32Array(1024);
  }

  /** Adds a range, or extends the last one when it has the same place. */
  add(words: Uint32Array, at: number, place: number): void {
    if (this.length > 0 && this.places[this.length - 1] === place) return;
    if (this.length === this.places.length) {
      const starts = new Uint32Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const places = new Uint32Array(this.places.length * 2);
      places.set(this.places);
      this.places = places;
    }
    for (let w = 0; w < this.width; w++) this.starts[this.length * this.width + w] = words[at + w];
    this.places[this.length++] = place;
  }

  /** Copies of the filled parts: the doubled buffers are not kept. */
  finish(): Ranges {
    return { starts: this.starts.slice(0, this.length * this.width), places: this.places.slice(0, this.length) };
  }
}

/** The places of a database: each data record decoded once, each (country, region, city) stored once. */
class PlaceTable {
  private readonly strings: string[] = [''];
  private readonly stringIds = new Map<string, number>([['', 0]]);
  private places: number[] = [0, 0, 0];
  private readonly placeIds = new Map<string, number>([['\0\0', 0]]);
  private readonly byPointer = new Map<number, number>();
  /** Neighbouring leaves often share a record (a range split into several networks): asked again at once. */
  private lastPointer = -1;
  private lastPlace = 0;

  constructor(private readonly decode: (pointer: number, words: Uint32Array, at: number, width: number) => GeoRecord | null) {}

  /** The place of a data pointer, decoding its record at the first sight (`words` at `at`: an address it answers). */
  of(pointer: number, words: Uint32Array, at: number, width: number): number {
    if (pointer === this.lastPointer) return this.lastPlace;
    let place = this.byPointer.get(pointer);
    if (place === undefined) {
      const { country, region, city } = readGeoRecord(this.decode(pointer, words, at, width));
      const key = `${country}\0${region}\0${city}`;
      place = this.placeIds.get(key);
      if (place === undefined) {
        place = this.places.length / 3;
        this.places.push(this.string(country), this.string(region), this.string(city));
        this.placeIds.set(key, place);
      }
      this.byPointer.set(pointer, place);
    }
    this.lastPointer = pointer;
    this.lastPlace = place;
    return place;
  }

  finish(): Pick<GeoTables, 'places' | 'text' | 'stringEnds'> {
    const bytes = this.strings.map((name) => Buffer.from(name, 'utf8'));
    const stringEnds = new Uint32Array(bytes.length);
    let end = 0;
    for (const [s, name] of bytes.entries()) stringEnds[s] = end += name.length;
    return { places: Uint32Array.from(this.places), text: Buffer.concat(bytes), stringEnds };
  }

  private string(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }
}

/** The address of `words` (at `at`, 1 or 4 words) as text, for the public lookup. */
function addressText(words: Uint32Array, at: number, width: number): string {
  if (width === 1) {
    const n = words[at];
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) groups.push((words[at + w] >>> 16).toString(16), (words[at + w] & 0xffff).toString(16));
  return groups.join(':');
}

/**
 * Compiles an mmdb geo file by walking its search tree depth first (left before right, so leaves come in
 * address order). maxmind's Reader parses the metadata and decodes the data records; the tree's node layout
 * (24, 28 or 32-bit records) is the MaxMind DB format's. The file's bytes are dropped when this returns.
 */
export function compileGeoDatabase(file: string, what = 'geo database'): GeoTables {
  let db: Buffer;
  let reader: Reader<GeoRecord>;
  try {
    db = readFileSync(file);
    reader = new Reader<GeoRecord>(db);
  } catch (err) {
    throw mmdbFailure(file, what, err);
  }
  const { nodeCount, recordSize, nodeByteSize, ipVersion } = reader.metadata;
  const child = (node: number, right: boolean): number => {
    const o = node * nodeByteSize;
    if (recordSize === 24) return right ? (db[o + 3] << 16) | (db[o + 4] << 8) | db[o + 5] : (db[o] << 16) | (db[o + 1] << 8) | db[o + 2];
    if (recordSize === 28) {
      return right ? ((db[o + 3] & 0x0f) << 24) | (db[o + 4] << 16) | (db[o + 5] << 8) | db[o + 6]
        : ((db[o + 3] & 0xf0) << 20) | (db[o] << 16) | (db[o + 1] << 8) | db[o + 2];
    }
    return right ? db.readUInt32BE(o + 4) : db.readUInt32BE(o);
  };
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw mmdbFailure(file, what, new Error(`record size ${recordSize}`));
  // Decoding straight from the pointer skips a tree walk per record; the public lookup is the fallback.
  const resolve = (reader as unknown as { resolveDataPointer?: (pointer: number) => GeoRecord }).resolveDataPointer;
  const places = new PlaceTable(typeof resolve === 'function'
    ? (pointer) => resolve.call(reader, pointer)
    : (_pointer, words, at, width) => reader.get(addressText(words, at, width)));

  let ipv4Start = 0;
  if (ipVersion === 6) for (let i = 0; i < 96 && ipv4Start < nodeCount; i++) ipv4Start = child(ipv4Start, false);

  const walk = (root: number, bits: number, alias: number): RangeBuilder => {
    const width = bits / 32;
    const out = new RangeBuilder(width);
    const nodes = new Float64Array(bits + 2);
    const depths = new Uint8Array(bits + 2);
    const words = new Uint32Array((bits + 2) * width);
    let top = 1;
    nodes[0] = root;
    while (top > 0) {
      top--;
      const node = nodes[top];
      const depth = depths[top];
      const at = top * width;
      if (node === alias && depth <= 96) {
        out.add(words, at, ALIAS | depth);
      } else if (node < nodeCount && depth < bits) {
        // The right child (bit set) goes below the left one on the stack, so the left is walked first.
        const left = child(node, false);
        words.copyWithin(at + width, at, at + width);
        words[at + (depth >>> 5)] |= 1 << (31 - (depth & 31));
        nodes[top] = child(node, true);
        nodes[top + 1] = left;
        depths[top] = depth + 1;
        depths[top + 1] = depth + 1;
        top += 2;
      } else {
        // nodeCount itself is "no data"; a node still inside the tree at full depth answers nothing either.
        out.add(words, at, node > nodeCount ? places.of(node, words, at, width) : 0);
      }
    }
    return out;
  };

  const v4 = walk(ipv4Start, 32, -1).finish();
  const v6 = ipVersion === 6 ? ipv6Tables(walk(0, 128, ipv4Start < nodeCount ? ipv4Start : -1)) : null;
  return { v4Starts: v4.starts, v4Places: v4.places, v6, ...places.finish() };
}

/**
 * IPv6 ranges (four-word starts) as tables by the upper 64 bits (Ipv6Tables), with a fine table of whole
 * starts for the /64 networks that ranges split, each from the /64's first address.
 */
function ipv6Tables(ranges: RangeBuilder): Ipv6Tables {
  // The builders' own arrays, not copies: DB-IP's IPv6 file has 4M ranges (80 MB as whole starts).
  const { starts, places, length: n } = ranges;
  const coarse = new RangeBuilder(2);
  const fine = new RangeBuilder(4);
  const network = new Uint32Array(4);
  const lowZero = (i: number) => starts[4 * i + 2] === 0 && starts[4 * i + 3] === 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && starts[4 * j] === starts[4 * i] && starts[4 * j + 1] === starts[4 * i + 1]) j++;
    if (j === i + 1 && lowZero(i)) {
      coarse.add(starts, 4 * i, places[i]);
    } else {
      network.set(starts.subarray(4 * i, 4 * i + 2));
      coarse.add(network, 0, FINE);
      // The /64's first address is in range i when that starts there, else in the range before (the first start is ::).
      fine.add(network, 0, places[lowZero(i) ? i : i - 1]);
      for (let k = i; k < j; k++) if (!lowZero(k)) fine.add(starts, 4 * k, places[k]);
    }
    i = j;
  }
  const count = coarse.length;
  const lows = new Uint32Array(count);
  const highs: number[] = [];
  const highFirst: number[] = [];
  for (let i = 0; i < count; i++) {
    const high = coarse.starts[2 * i];
    if (i === 0 || high !== coarse.starts[2 * i - 2]) {
      highs.push(high);
      highFirst.push(i);
    }
    lows[i] = coarse.starts[2 * i + 1];
  }
  highFirst.push(count);
  const fineRanges = fine.finish();
  return {
    highs: Uint32Array.from(highs), highFirst: Uint32Array.from(highFirst), lows, places: coarse.places.slice(0, count),
    fineStarts: fineRanges.starts, finePlaces: fineRanges.places,
  };
}
