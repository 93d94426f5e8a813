/**
 * What the boundary asks of the data readers that need the full address or the full referrer. The readers
 * live in src/enrich/ (mmdb files, registries, the referrer list) and implement these interfaces; the
 * pipeline hands them to the boundary. The dependency points from enrich/ to privacy/, never back: only the
 * boundary holds an address, so only the boundary calls them, and what they return are plain values.
 */

export const ORG_CATEGORIES = ['isp', 'hosting', 'business', 'education', 'government', 'unknown'] as const;
export type OrgCategory = (typeof ORG_CATEGORIES)[number];

export function isOrgCategory(text: string): text is OrgCategory {
  return (ORG_CATEGORIES as readonly string[]).includes(text);
}

export type ReferrerClass = 'direct' | 'internal' | 'search' | 'social' | 'email' | 'other';

export interface GeoResult {
  /** ISO 3166-1 alpha-2, '' when unknown. */
  country: string;
  /** First-level subdivision (state, region, province) by its English name, '' when unknown. */
  region: string;
  city: string;
}

export const NO_GEO: GeoResult = Object.freeze({ country: '', region: '', city: '' });

/** The organisation behind a client network or client host name. */
export interface CompanyResult {
  asn: number;
  /** Company or network name, '' when unknown. */
  org: string;
  /** The organisation's domain where a source knows it (user registries, MaxMind Enterprise/ISP, host names). */
  domain: string;
  category: OrgCategory | '';
  /**
   * Which source answered: 'registry' (the user's), 'mmdb' (MaxMind file), 'asn' (public registry),
   * 'hostname' (the registrable domain of a client logged by name), ''.
   */
  source: 'registry' | 'mmdb' | 'asn' | 'hostname' | '';
}

export const NO_COMPANY: CompanyResult = Object.freeze({ asn: 0, org: '', domain: '', category: '', source: '' });

export interface ReferrerInfo {
  class: ReferrerClass;
  /** Search engine, social network or mail service name; '' for direct, internal and other. */
  source: string;
  /** The search keyword when the referrer carries one, decoded but not yet scrubbed; '' otherwise. */
  keyword: string;
}

export interface GeoSource {
  /** @param ip a normalised address literal (net/address.ts) of the given family */
  lookup(ip: string, family: 4 | 6): GeoResult;
}

export interface CompanySource {
  /** @param ip a normalised address literal (net/address.ts) of the given family */
  lookup(ip: string, family: 4 | 6): CompanyResult;
  /**
   * The organisation a registrable domain (`bigcorp.com`, taken from a client's host name) belongs to: a user
   * registry entry with that domain, else the domain itself as the organisation.
   */
  lookupDomain(domain: string): CompanyResult;
}

export interface ReferrerSource {
  /**
   * @param referrer the full referrer URL ('' when none was sent)
   * @param host its host as the boundary read it
   * @param site the site the request was made to
   */
  classify(referrer: string, host: string, site: string): ReferrerInfo;
}

/** The enrichment that needs the address or the full URLs, so runs inside the boundary (wired by src/pipeline). */
export interface NetworkLookups {
  geo: GeoSource | null;
  company: CompanySource | null;
  referrers: ReferrerSource;
  /** Read utm_* campaign values from the full request URL. */
  campaigns: boolean;
}
