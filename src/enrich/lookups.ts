import type { NetworkLookups } from '../privacy/lookups.js';
import type { OrgCategory } from './category.js';
import { CompanyLookup } from './company.js';
import { embeddedGeoFiles, GeoLookup, type GeoFiles, type OpenOptions } from './geo.js';
import { ReferrerClassifier } from './referrer.js';
import { UserRegistry } from './registry.js';

/** Where geo answers come from (pipeline `enrich.geo`). */
export type GeoSetting = 'embedded' | 'geolite2' | 'off' | { file: string } | GeoFiles;

/**
 * The data the lookups read, as the pipeline's `enrich:` section states it (src/pipeline/config.ts
 * validates it; this folder does not depend on the pipeline's types).
 */
export interface LookupSettings {
  geo: GeoSetting;
  asn: 'embedded' | 'off';
  company_db?: string;
  registries: readonly string[];
  categories: Readonly<Record<string, OrgCategory>>;
  site_hosts: readonly string[];
  campaigns: boolean;
}

export function geoFilesOf(geo: GeoSetting): GeoFiles | null {
  if (geo === 'off') return null;
  if (geo === 'embedded') return embeddedGeoFiles('dbip');
  if (geo === 'geolite2') return embeddedGeoFiles('geolite2');
  if ('file' in geo) return { ipv4: geo.file };
  return geo;
}

/**
 * Opens the databases the pipeline asks for (embedded public data by default), as the privacy boundary's
 * NetworkLookups: the boundary alone calls them, with the address it holds. Files are read afresh on every
 * run, so a database replaced on disk is used from the next run on; with `watch` (for `--follow`) a replaced
 * mmdb file is also reloaded in place.
 */
export async function openLookups(enrich: LookupSettings, options: OpenOptions = {}): Promise<NetworkLookups> {
  const geoFiles = geoFilesOf(enrich.geo);
  const registry = enrich.registries.length > 0 ? UserRegistry.fromFiles(enrich.registries) : null;
  const wantCompany = registry !== null || enrich.company_db !== undefined || enrich.asn === 'embedded';
  const [geo, company] = await Promise.all([
    geoFiles ? GeoLookup.open(geoFiles, options) : null,
    wantCompany
      ? CompanyLookup.open({
        registry, mmdbFile: enrich.company_db ?? null, asn: enrich.asn === 'embedded', overrides: enrich.categories, ...options,
      })
      : null,
  ]);
  return { geo, company, referrers: new ReferrerClassifier(enrich.site_hosts), campaigns: enrich.campaigns };
}
