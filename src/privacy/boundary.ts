import { campaignOf, NO_CAMPAIGN } from '../enrich/campaign.js';
import { type CompanyLookup, NO_COMPANY, type CompanyResult } from '../enrich/company.js';
import { type GeoLookup, NO_GEO, type GeoResult } from '../enrich/geo.js';
import { primaryLanguage } from '../enrich/language.js';
import { type ReferrerClassifier, referrerHost } from '../enrich/referrer.js';
import type { RawHit } from '../formats/types.js';
import { networkAddress, normaliseAddress, type ClientAddress } from './address.js';
import type { AnonHit } from './anon-hit.js';
import type { EmailTracking } from './email.js';
import type { ExclusionRule, ExclusionRules } from './exclusions.js';
import type { SaltStore } from './salt.js';
import { compileAllowList, DEFAULT_SCRUB, filterQuery, Scrubber, type ScrubConfig } from './scrub.js';
import { DEFAULT_VISIT_TIMEOUT_MS, VisitorIds } from './visitor-id.js';

export interface PrivacyConfig {
  ipv4Prefix: 8 | 16 | 24;
  ipv6Prefix: 32 | 48;
  /** Query keys that may cross the boundary; `*` at the end matches a prefix. */
  queryAllow: readonly string[];
  /** Geo and company lookups see the full address (in memory only) or only its truncated network. */
  lookupOn: 'full' | 'truncated';
  scrub: ScrubConfig;
}

export const DEFAULT_PRIVACY: PrivacyConfig = {
  ipv4Prefix: 24, ipv6Prefix: 48, queryAllow: ['utm_*'], lookupOn: 'full', scrub: DEFAULT_SCRUB,
};

/** The enrichment that needs the address or the full URLs, so runs inside the boundary (see src/enrich/lookups.ts). */
export interface NetworkLookups {
  geo: GeoLookup | null;
  company: CompanyLookup | null;
  referrers: ReferrerClassifier;
  /** Read utm_* campaign values from the full request URL. */
  campaigns: boolean;
}

/**
 * What issue 12 adds to the boundary; each part is optional, so a boundary built without them behaves as
 * before. `sessions` switches visitor ids to the per-day ids with carry keys that sessions/VisitStage
 * needs (visitor-id.ts `identify()`); leave it off while the run loop still uses the legacy VisitTracker.
 */
export interface BoundaryHooks {
  /** `exclude:` rules, applied by exclusion() before the request is crossed. */
  exclusions?: ExclusionRules;
  /** `email:` open-pixel and click patterns, matched on the full target in cross(). */
  email?: EmailTracking;
  /** Ids per day with carry keys for sessions/; the visit timeout is `sessions.visit_timeout_minutes`. */
  sessions?: { visitTimeoutMs: number };
}

/**
 * The only code that sees a client address, a remote user or a full query string. Everything that needs
 * the address (geo, company, truncated network, visitor id) happens here, in memory; what leaves is an
 * AnonHit. The remote user and any cookie are read by nobody: they are simply not copied.
 */
export class PrivacyBoundary {
  private readonly allowKey: (key: string) => boolean;
  private readonly scrubber: Scrubber;
  private readonly visitors: VisitorIds;
  private readonly email: EmailTracking | null;
  private readonly exclusions: ExclusionRules | null;
  private readonly perDayIds: boolean;

  constructor(
    private readonly config: PrivacyConfig, salts: SaltStore, private readonly lookups: NetworkLookups, hooks: BoundaryHooks = {},
  ) {
    this.allowKey = compileAllowList(config.queryAllow);
    this.scrubber = new Scrubber(config.scrub);
    this.visitors = new VisitorIds(salts, hooks.sessions?.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS);
    this.email = hooks.email && !hooks.email.empty ? hooks.email : null;
    this.exclusions = hooks.exclusions && !hooks.exclusions.empty ? hooks.exclusions : null;
    this.perDayIds = hooks.sessions !== undefined;
  }

  /**
   * The `exclude:` rule that drops this request (counted by the rules object, see
   * ExclusionRules.excludedByRule), or null. Call it before cross(): an excluded request is not crossed.
   */
  exclusion(raw: RawHit): ExclusionRule | null {
    return this.exclusions === null ? null : this.exclusions.match(raw);
  }

  /**
   * Visits resumed from an earlier run may have crossed midnight already: requests before `until` get
   * carry keys (sessions/ VisitStage.carryHorizon()).
   */
  resumeCarry(until: number): void {
    this.visitors.carryUntil(until);
  }

  cross(raw: RawHit, site: string): AnonHit {
    const address = normaliseAddress(raw.clientAddress);
    const network = networkAddress(address, this.config.ipv4Prefix, this.config.ipv6Prefix);
    const { geo, company } = this.lookup(this.config.lookupOn === 'full' ? address : network);
    const q = raw.target.indexOf('?');
    const path = q < 0 ? raw.target : raw.target.slice(0, q);
    // A referrer on an address literal (`http://10.1.2.3/admin`) names a machine: its host is scrubbed too.
    const host = this.scrubber.scrub(referrerHost(raw.referrer));
    const source = this.lookups.referrers.classify(raw.referrer, host, site);
    const email = this.email === null ? null : this.email.match(raw.target, raw.time, site);
    const client = address.ip ?? raw.clientAddress;
    const visitor = this.perDayIds ? this.visitors.identify(raw.time, client, raw.userAgent ?? '', site) : null;
    return {
      time: raw.time,
      site,
      method: raw.method,
      // An e-mail pixel or click carries the recipient: its path is the pattern's, its query dropped whole.
      path: email !== null ? email.path : this.scrubber.scrub(path),
      query: q < 0 || email !== null ? '' : filterQuery(raw.target.slice(q + 1), this.allowKey, this.scrubber),
      protocol: raw.protocol,
      status: raw.status,
      bytes: raw.bytes,
      referrerHost: host,
      userAgent: raw.userAgent,
      visitorId: visitor !== null ? visitor.id : this.visitors.idFor(raw.time, client, raw.userAgent ?? '', site),
      clientNet: network.ip === null ? '' : `${network.ip}/${network.family === 4 ? this.config.ipv4Prefix : this.config.ipv6Prefix}`,
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
      searchKeyword: source.keyword === '' ? '' : this.scrubber.scrub(source.keyword),
      campaign: q >= 0 && email === null && this.lookups.campaigns ? campaignOf(raw.target, this.scrub) : NO_CAMPAIGN,
      language: raw.acceptLanguage.length > 0 ? primaryLanguage(raw.acceptLanguage) : '',
      durationMs: raw.durationMs >= 0 && Number.isFinite(raw.durationMs) ? raw.durationMs : null,
      email,
      carryKey: visitor !== null ? visitor.carryKey : null,
    };
  }

  private readonly scrub = (text: string): string => this.scrubber.scrub(text);

  /** Geo and company (registry) lookups, on the full address or the truncated network (`lookup_on`). */
  private lookup(address: ClientAddress): { geo: GeoResult; company: CompanyResult } {
    let geo: GeoResult = NO_GEO;
    let company: CompanyResult = NO_COMPANY;
    if (address.ip !== null) {
      if (this.lookups.geo) geo = this.lookups.geo.lookup(address.ip, address.family as 4 | 6);
      if (this.lookups.company) company = this.lookups.company.lookup(address.ip, address.family as 4 | 6);
    }
    return { geo, company };
  }
}
