import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * finer than a /64 in practice, so the upper half decides).
 */
class RangeTable<K extends number | bigint> {
  constructor(
    private readonly starts: ArrayLike<K>,
    private readonly ends: ArrayLike<K>,
    private readonly asns: Uint32Array,
    private readonly orgIndex: Uint32Array,
    private readonly orgs: readonly string[],
  ) {}

  find(key: K): AsnResult {
    let lo = 0;
    let hi = this.asns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] > key) hi = mid - 1;
      else if (this.ends[mid] < key) lo = mid + 1;
      else return { asn: this.asns[mid], org: this.orgs[this.orgIndex[mid]] };
    }
    return NO_ASN;
  }
}

/** Splits one line of `start,end,asn,org` where org may be a quoted CSV field. */
function splitRow(line: string): [string, string, string, string] | null {
  const c1 = line.indexOf(',');
  const c2 = line.indexOf(',', c1 + 1);
  const c3 = line.indexOf(',', c2 + 1);
  if (c1 < 0 || c2 < 0 || c3 < 0) return null;
  let org = line.slice(c3 + 1);
  if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
  return [line.slice(0, c1), line.slice(c1 + 1, c2), line.slice(c2 + 1, c3), org];
}

interface RegistryRows {
  starts: string[];
  ends: string[];
  asns: Uint32Array;
  orgIndex: Uint32Array;
  orgs: string[];
}

async function readRegistry(file: string): Promise<RegistryRows> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const rows: RegistryRows = {
    starts: [], ends: [], asns: new Uint32Array(lines.length), orgIndex: new Uint32Array(lines.length), orgs: [],
  };
  const orgIds = new Map<string, number>();
  for (const line of lines) {
    const row = splitRow(line);
    if (row === null) continue;
    let id = orgIds.get(row[3]);
    if (id === undefined) {
      id = rows.orgs.length;
      rows.orgs.push(row[3]);
      orgIds.set(row[3], id);
    }
    const n = rows.starts.length;
    rows.starts.push(row[0]);
    rows.ends.push(row[1]);
    rows.asns[n] = Number(row[2]);
    rows.orgIndex[n] = id;
  }
  const n = rows.starts.length;
  rows.asns = rows.asns.subarray(0, n);
  rows.orgIndex = rows.orgIndex.subarray(0, n);
  return rows;
}

/** The upper 64 bits of an IPv6 address given as eight 16-bit groups. */
export function ipv6Upper64(groups: readonly number[]): bigint {
  return (BigInt(groups[0]) << 48n) | (BigInt(groups[1]) << 32n) | (BigInt(groups[2]) << 16n) | BigInt(groups[3]);
}

/** The public ASN registry (`@ip-location-db/asn`: RouteViews + DB-IP ASN lite, CC BY 4.0), numeric CSV files. */
export class AsnLookup {
  private constructor(private readonly v4: RangeTable<number>, private readonly v6: RangeTable<bigint>) {}

  static async open(dir = embeddedDir()): Promise<AsnLookup> {
    const upper64 = (text: string) => BigInt(text) >> 64n;
    const [rows4, rows6] = await Promise.all([
      readRegistry(join(dir, 'asn-ipv4-num.csv')), readRegistry(join(dir, 'asn-ipv6-num.csv')),
    ]);
    return new AsnLookup(
      new RangeTable<number>(Float64Array.from(rows4.starts, Number), Float64Array.from(rows4.ends, Number),
        rows4.asns, rows4.orgIndex, rows4.orgs),
      new RangeTable<bigint>(BigUint64Array.from(rows6.starts, upper64), BigUint64Array.from(rows6.ends, upper64),
        rows6.asns, rows6.orgIndex, rows6.orgs),
    );
  }

  lookupV4(ipInt: number): AsnResult {
    return this.v4.find(ipInt);
  }

  /** @param upper64 the upper 64 bits of the IPv6 address */
  lookupV6(upper64: bigint): AsnResult {
    return this.v6.find(upper64);
  }
}
