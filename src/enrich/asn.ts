import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cachedRegistry, defaultCacheDir, type RegistryArrays } from './asn-cache.js';
import { embeddedPackageFile } from './embedded.js';

export interface AsnResult {
  asn: number;
  org: string;
}

export const NO_ASN: AsnResult = Object.freeze({ asn: 0, org: '' });

function embeddedDir(): string {
  return dirname(embeddedPackageFile('@ip-location-db/asn', 'package.json'));
}

/**
 * Sorted, non-overlapping address ranges → (ASN, organisation), searched by binary search. IPv4 ranges are
 * 32-bit numbers in typed arrays; IPv6 ranges keep their upper 64 bits (registry allocations are never
 * finer than a /64 in practice, so the upper half decides). A row's result object is made on its first hit
 * and reused, so a lookup allocates nothing.
 */
class RangeTable<K extends number | bigint> {
  private readonly results: Array<AsnResult | undefined>;
  private readonly starts: ArrayLike<K>;
  private readonly ends: ArrayLike<K>;
  private readonly asns: Uint32Array;
  private readonly orgIndex: Uint32Array;
  private readonly orgs: readonly string[];

  constructor(arrays: RegistryArrays<K>) {
    ({ starts: this.starts, ends: this.ends, asns: this.asns, orgIndex: this.orgIndex, orgs: this.orgs } = arrays);
    this.results = new Array<AsnResult | undefined>(this.asns.length);
  }

  find(key: K): AsnResult {
    let lo = 0;
    let hi = this.asns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] > key) hi = mid - 1;
      else if (this.ends[mid] < key) lo = mid + 1;
      else {
        this.results[mid] ??= { asn: this.asns[mid], org: this.orgs[this.orgIndex[mid]] };
        return this.results[mid];
      }
    }
    return NO_ASN;
  }
}

/** The org field of a `start,end,asn,org` row, which may be a quoted CSV field. */
function orgField(line: string, from: number): string {
  const org = line.slice(from);
  return org.length > 1 && org.charCodeAt(0) === 34 && org.charCodeAt(org.length - 1) === 34
    ? org.slice(1, -1).replace(/""/g, '"') : org;
}

/** A typed array of range bounds: Uint32Array for IPv4, BigUint64Array for IPv6. */
interface KeyArray<K> {
  [index: number]: K;
  readonly length: number;
  subarray(begin: number, end: number): KeyArray<K>;
}

/** Reads `start,end,asn,org` rows straight into typed arrays (starts and ends by the given key parser). */
function parseRegistry<K extends number | bigint>(
  text: string, makeArray: (n: number) => KeyArray<K>, key: (text: string) => K,
): RegistryArrays<K> {
  const lines = text.split('\n');
  const starts = makeArray(lines.length);
  const ends = makeArray(lines.length);
  const asns = new Uint32Array(lines.length);
  const orgIndex = new Uint32Array(lines.length);
  const orgs: string[] = [];
  const orgIds = new Map<string, number>();
  let n = 0;
  for (const line of lines) {
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0) continue;
    const org = orgField(line, c3 + 1);
    let id = orgIds.get(org);
    if (id === undefined) {
      id = orgs.length;
      // A copy: a slice would keep the whole file's text (21 MB) alive for as long as the table lives.
      orgs.push(org.length < 13 ? org : ` ${org}`.slice(1));
      orgIds.set(org, id);
    }
    starts[n] = key(line.slice(0, c1));
    ends[n] = key(line.slice(c1 + 1, c2));
    asns[n] = Number(line.slice(c2 + 1, c3));
    orgIndex[n] = id;
    n++;
  }
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n), asns: asns.subarray(0, n), orgIndex: orgIndex.subarray(0, n), orgs };
}

/** The upper 64 bits of an IPv6 address given as eight 16-bit groups. */
export function ipv6Upper64(groups: readonly number[]): bigint {
  return (BigInt(groups[0]) << 48n) | (BigInt(groups[1]) << 32n) | (BigInt(groups[2]) << 16n) | BigInt(groups[3]);
}

/** The public ASN registry (`@ip-location-db/asn`: RouteViews + DB-IP ASN lite, CC BY 4.0), numeric CSV files. */
export class AsnLookup {
  /** Read at the first IPv6 address: most logs have few or none. */
  private v6: RangeTable<bigint> | null = null;

  private constructor(private readonly v4: RangeTable<number>, private readonly dir: string, private readonly cacheDir: string | null) {}

  /**
   * @param cacheDir where the CSV files are kept compiled (asn-cache.ts); null parses them on every open
   */
  static async open(dir = embeddedDir(), cacheDir: string | null = defaultCacheDir()): Promise<AsnLookup> {
    const csv = join(dir, 'asn-ipv4-num.csv');
    const v4 = cachedRegistry<number>(csv, false, cacheDir, () => parseRegistry<number>(readFileSync(csv, 'utf8'), (n) => new Uint32Array(n), Number));
    return new AsnLookup(new RangeTable(v4), dir, cacheDir);
  }

  lookupV4(ipInt: number): AsnResult {
    return this.v4.find(ipInt);
  }

  /** @param upper64 the upper 64 bits of the IPv6 address */
  lookupV6(upper64: bigint): AsnResult {
    if (this.v6 === null) {
      const csv = join(this.dir, 'asn-ipv6-num.csv');
      this.v6 = new RangeTable(cachedRegistry<bigint>(csv, true, this.cacheDir,
        () => parseRegistry<bigint>(readFileSync(csv, 'utf8'), (n) => new BigUint64Array(n), (text) => BigInt(text) >> 64n)));
    }
    return this.v6.find(upper64);
  }

  /** Whether the IPv6 table has been read (it is read at the first IPv6 lookup). */
  get ipv6Loaded(): boolean {
    return this.v6 !== null;
  }
}
