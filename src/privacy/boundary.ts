import { createHmac } from 'node:crypto';
import { campaignOf, NO_CAMPAIGN } from '../enrich/campaign.js';
import { CompanyLookup, NO_COMPANY, type CompanyResult } from '../enrich/company.js';
import { GeoLookup, NO_GEO, type GeoResult } from '../enrich/geo.js';
import { primaryLanguage } from '../enrich/language.js';
import { ReferrerClassifier, referrerHost } from '../enrich/referrer.js';
import type { RawHit } from '../formats/types.js';
import { normaliseAddress, truncateAddress } from './address.js';
import type { AnonHit } from './anon-hit.js';
import { dayKey, type SaltStore } from './salt.js';
import { compileAllowList, filterQuery, scrubEmails, scrubFreeText } from './scrub.js';

export interface PrivacyConfig {
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** Query keys that may cross the boundary; `*` at the end matches a prefix. */
  queryAllow: readonly string[];
}

export const DEFAULT_PRIVACY: PrivacyConfig = { ipv4Prefix: 24, ipv6Prefix: 48, queryAllow: ['utm_*'] };

/** The enrichment that needs the address or the full URLs, so runs inside the boundary (see src/enrich/lookups.ts). */
export interface NetworkLookups {
  geo: GeoLookup | null;
  company: CompanyLookup | null;
  referrers: ReferrerClassifier;
  /** Read utm_* campaign values from the full request URL. */
  campaigns: boolean;
}

/** Formats that log Accept-Language set this field on their RawHit. */
type RawHitWithLanguage = RawHit & { acceptLanguage?: string };

const VISITOR_CACHE_LIMIT = 200_000;

/**
 * The only code that sees a client address, a remote user or a full query string. Everything that needs
 * the address (geo, company, truncated network, visitor id) happens here, in memory; what leaves is an
 * AnonHit. The remote user is read by nobody: it is simply not copied.
 */
export class PrivacyBoundary {
  private readonly allowKey: (key: string) => boolean;
  private readonly visitorCache = new Map<string, string>();

  constructor(private readonly config: PrivacyConfig, private readonly salts: SaltStore, private readonly lookups: NetworkLookups) {
    this.allowKey = compileAllowList(config.queryAllow);
  }

  cross(raw: RawHit, site: string): AnonHit {
    const address = normaliseAddress(raw.clientAddress);
    let geo: GeoResult = NO_GEO;
    let company: CompanyResult = NO_COMPANY;
    if (address.ip !== null) {
      if (this.lookups.geo) geo = this.lookups.geo.lookup(address.ip, address.family as 4 | 6);
      if (this.lookups.company) company = this.lookups.company.lookup(address.ip, address.family as 4 | 6);
    }
    const refHost = referrerHost(raw.referrer);
    const source = this.lookups.referrers.classify(raw.referrer, refHost, site);
    const acceptLanguage = (raw as RawHitWithLanguage).acceptLanguage;
    const q = raw.target.indexOf('?');
    const path = q < 0 ? raw.target : raw.target.slice(0, q);
    return {
      time: raw.time,
      site,
      method: raw.method,
      path: scrubEmails(path),
      query: q < 0 ? '' : filterQuery(raw.target.slice(q + 1), this.allowKey),
      protocol: raw.protocol,
      status: raw.status,
      bytes: raw.bytes,
      referrerHost: refHost,
      userAgent: raw.userAgent,
      visitorId: this.visitorId(raw.time, address.ip ?? raw.clientAddress, raw.userAgent ?? '', site),
      clientNet: truncateAddress(address, this.config.ipv4Prefix, this.config.ipv6Prefix),
      country: geo.country,
      region: geo.region,
      city: geo.city,
      asn: company.asn,
      org: company.org,
      orgDomain: company.domain,
      orgCategory: company.category,
      orgSource: company.source,
      referrerClass: source.class,
      referrerSource: source.source,
      searchKeyword: source.keyword === '' ? '' : scrubFreeText(source.keyword),
      campaign: q >= 0 && this.lookups.campaigns ? campaignOf(raw.target, scrubFreeText) : NO_CAMPAIGN,
      language: acceptLanguage ? primaryLanguage(acceptLanguage) : '',
    };
  }

  private visitorId(time: number, address: string, userAgent: string, site: string): string {
    const day = dayKey(time);
    const key = `${address}\n${userAgent}\n${site}`;
    const cacheKey = `${day}\n${key}`;
    let id = this.visitorCache.get(cacheKey);
    if (id === undefined) {
      id = createHmac('sha256', this.salts.saltFor(day)).update(key).digest().readBigUInt64BE(0).toString();
      if (this.visitorCache.size >= VISITOR_CACHE_LIMIT) this.visitorCache.clear();
      this.visitorCache.set(cacheKey, id);
    }
    return id;
  }
}
