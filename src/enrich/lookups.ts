import type { NetworkLookups } from '../privacy/boundary.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { AsnLookup } from './asn.js';
import { embeddedGeoFiles, GeoLookup } from './geo.js';

/** Opens the geo and company databases the pipeline asks for (both embedded by default). */
export async function openLookups(enrich: PipelineConfig['enrich']): Promise<NetworkLookups> {
  const geoFiles = enrich.geo === 'off' ? null : enrich.geo === 'embedded' ? embeddedGeoFiles() : enrich.geo;
  const [geo, asn] = await Promise.all([
    geoFiles ? GeoLookup.open(geoFiles) : null,
    enrich.asn === 'embedded' ? AsnLookup.open() : null,
  ]);
  return { geo, asn };
}
