import type { NetworkLookups } from '../privacy/boundary.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { CompanyLookup } from './company.js';
import { embeddedGeoFiles, GeoLookup, type GeoFiles, type OpenOptions } from './geo.js';
import { ReferrerClassifier } from './referrer.js';
import { UserRegistry } from './registry.js';

export function geoFilesOf(geo: PipelineConfig['enrich']['geo']): GeoFiles | null {
  if (geo === 'off') return null;
  if (geo === 'embedded') return embeddedGeoFiles('dbip');
  if (geo === 'geolite2') return embeddedGeoFiles('geolite2');
  if ('file' in geo) return { ipv4: geo.file };
  return geo;
}

/**
 * Opens the databases the pipeline asks for (embedded public data by default). Files are read afresh on
 * every run, so a database replaced on disk is used from the next run on; with `watch` (for `--follow`) a
 * replaced mmdb file is also reloaded in place.
 */
export async function openLookups(enrich: PipelineConfig['enrich'], options: OpenOptions = {}): Promise<NetworkLookups> {
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
