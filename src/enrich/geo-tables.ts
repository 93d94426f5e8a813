import { ipv6ToGroups } from '../net/address.js';
import { type GeoResult, NO_GEO } from '../privacy/lookups.js';

/**
 * One mmdb geo database compiled to range tables. The search tree's leaves, in address order, become sorted
 * range starts (range i covers [start i, start i+1)), each with the index of its place; neighbouring ranges of
 * the same place are one range. Places are deduplicated (country, region, city) triples, place 0 none.
 */
export interface GeoTables {
  /** IPv4 range starts, ascending, the first 0. */
  v4Starts: Uint32Array;
  v4Places: Uint32Array;
  /** null for a database of IPv4 addresses only (which answers no IPv6 question). */
  v6: Ipv6Tables | null;
  /** Place p is the strings places[3p], places[3p + 1], places[3p + 2] (country, region, city); place 0 is ('', '', ''). */
  places: Uint32Array;
  /**
   * The distinct names as UTF-8, one after another (string s ends at stringEnds[s], string 0 is ''): decoded at
   * a place's first hit, so the JS heap holds only the names a log's clients are in.
   */
  text: Buffer;
  stringEnds: Uint32Array;
}

/**
 * IPv6 ranges by the upper 64 bits of their start (8 bytes a range: DB-IP's 4M IPv6 ranges in 33 MB), as a
 * table of the distinct first 32 bits and, per range, the next 32. The few /64 networks that ranges split are
 * marked FINE and have their ranges by whole starts in a fine table.
 */
export interface Ipv6Tables {
  /** The distinct bits 0–31 of the range starts, ascending (the first 0). */
  highs: Uint32Array;
  /** Where the ranges of highs[k] begin; one entry more, the range count. */
  highFirst: Uint32Array;
  /** Bits 32–63 of each range's start. */
  lows: Uint32Array;
  /** A place; `ALIAS | d`: the IPv4 table answers, for the 32 address bits from bit d on; FINE: see the fine table. */
  places: Uint32Array;
  /** The ranges of the /64s marked FINE, by whole starts (four words each), each such /64 from its first address. */
  fineStarts: Uint32Array;
  finePlaces: Uint32Array;
}

/**
 * Marks an IPv6 range that is the database's IPv4 subtree seen again (MaxMind files alias ::/96,
 * ::ffff:0:0/96 and 2002::/16 to it): answered by the IPv4 table, so the subtree is stored once.
 */
export const ALIAS = 0x80000000;

/** Marks an IPv6 /64 that ranges split (few are: registries allocate /64 or wider), answered by the fine table. */
export const FINE = 0x40000000;

/**
 * For each /16 of the IPv4 space, the first range that starts in it or after it: narrows a lookup's binary
 * search to the ranges of one /16 (~50 of 3.4M in DB-IP's city file) instead of all of them.
 */
function v4Index(starts: Uint32Array): Uint32Array {
  const index = new Uint32Array(65537);
  let i = 0;
  for (let block = 0; block < 65536; block++) {
    while (i < starts.length && starts[i] >>> 16 < block) i++;
    index[block] = i;
  }
  index[65536] = starts.length;
  return index;
}

/** Binary search: the last range whose start is at or below `key` in [lo, hi] (lo when none after it is). */
function rangeOfV4(starts: Uint32Array, key: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The last IPv6 range whose start's upper 64 bits (high, low) are at or below the address's. */
function rangeOfV6(v6: Ipv6Tables, high: number, low: number): number {
  const k = rangeOfV4(v6.highs, high, 0, v6.highs.length - 1);
  const end = v6.highFirst[k + 1];
  // An address past every start with these first 32 bits is in the last of their ranges.
  if (v6.highs[k] !== high) return end - 1;
  const first = v6.highFirst[k];
  return rangeOfV4(v6.lows, low, first > 0 ? first - 1 : 0, end - 1);
}

/** The last range whose start (`width` words each) is at or below the address `words` (as wide or wider). */
function rangeOfWords(starts: Uint32Array, width: number, words: Uint32Array): number {
  let lo = 0;
  let hi = starts.length / width - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    let above = false;
    for (let w = 0; w < width; w++) {
      const start = starts[mid * width + w];
      if (start !== words[w]) {
        above = start > words[w];
        break;
      }
    }
    if (above) hi = mid - 1;
    else lo = mid;
  }
  return lo;
}

/** The 32 address bits from bit `depth` (at most 96) on. */
function bitsFrom(words: Uint32Array, depth: number): number {
  const w = depth >>> 5;
  const shift = depth & 31;
  return shift === 0 ? words[w] : ((words[w] << shift) | (words[w + 1] >>> (32 - shift))) >>> 0;
}

/** String `s` of the tables' names. */
export function stringAt(tables: Pick<GeoTables, 'text' | 'stringEnds'>, s: number): string {
  return s === 0 ? '' : tables.text.toString('utf8', tables.stringEnds[s - 1], tables.stringEnds[s]);
}

/** Answers from compiled tables. A place's result object is made at its first hit and reused. */
export class GeoTableLookup {
  private readonly results: Array<GeoResult | undefined>;
  private readonly words = new Uint32Array(4);
  private readonly v4Blocks: Uint32Array;

  constructor(readonly tables: GeoTables) {
    this.results = new Array<GeoResult | undefined>(tables.places.length / 3);
    this.v4Blocks = v4Index(tables.v4Starts);
  }

  /** @param ip an IPv4 address as a 32-bit number */
  lookupV4(ip: number): GeoResult {
    // The range holding `ip` starts in its /16 (at or after index[block]) or is the last one before it.
    const block = ip >>> 16;
    const first = this.v4Blocks[block];
    const lo = first > 0 ? first - 1 : 0;
    return this.place(this.tables.v4Places[rangeOfV4(this.tables.v4Starts, ip, lo, this.v4Blocks[block + 1] - 1)]);
  }

  /** @param ip a normalised IPv6 literal */
  lookupV6(ip: string): GeoResult {
    const v6 = this.tables.v6;
    if (v6 === null) return NO_GEO;
    const groups = ipv6ToGroups(ip);
    const words = this.words;
    for (let w = 0; w < 4; w++) words[w] = ((groups[2 * w] << 16) | groups[2 * w + 1]) >>> 0;
    let place = v6.places[rangeOfV6(v6, words[0], words[1])];
    if (place === FINE) place = v6.finePlaces[rangeOfWords(v6.fineStarts, 4, words)];
    if (place >= ALIAS) return this.lookupV4(bitsFrom(words, place - ALIAS));
    return this.place(place);
  }

  private place(p: number): GeoResult {
    if (p === 0) return NO_GEO;
    let result = this.results[p];
    if (result === undefined) {
      const { places } = this.tables;
      result = { country: stringAt(this.tables, places[3 * p]), region: stringAt(this.tables, places[3 * p + 1]), city: stringAt(this.tables, places[3 * p + 2]) };
      this.results[p] = result;
    }
    return result;
  }
}
