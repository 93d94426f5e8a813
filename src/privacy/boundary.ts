import type { RawHit } from '../formats/types.js';
import { networkAddress, parseAddress } from '../net/address.js';
import type { AnonHit } from './anon-hit.js';
import type { CheckedText, ClientNet } from './brands.js';
import { campaignOf, NO_CAMPAIGN } from './campaign.js';
import type { EmailTracking } from './email.js';
import type { ExclusionRule, ExclusionRules } from './exclusions.js';
import { HostNames } from './hostname.js';
import { primaryLanguage } from './language.js';
import { type CompanyResult, type GeoResult, NO_COMPANY, NO_GEO, type NetworkLookups } from './lookups.js';
import { anonHit, checked, clientNet, NO_NET, NO_TEXT } from './mint.js';
import { compileAllowList, dropQueryPairs, filterQuery } from './query.js';
import { RejectedLines } from './redact.js';
import { referrerHost } from './referrer-host.js';
import type { SaltStore } from './salt.js';
import { DEFAULT_SCRUB, Scrubber, type ScrubConfig } from './scrub.js';
import { SiteNames } from './site.js';
import { DEFAULT_VISIT_TIMEOUT_MS, VisitorIds } from './visitor-id.js';

export type { NetworkLookups } from './lookups.js';

export interface PrivacyConfig {
  ipv4Prefix: 8 | 16 | 24;
  ipv6Prefix: 32 | 48;
  /** Query keys that may cross the boundary; `*` at the end matches a prefix. */
  queryAllow: readonly string[];
  /** Geo and company lookups see the full address (in memory only) or only its truncated network. */
  lookupOn: 'full' | 'truncated';
  scrub: ScrubConfig;
  /** The site of requests whose log line names none, or nothing that is a host name (pipeline `site`). */
  site: string;
  /** The site's other names (`enrich.site_hosts`): accepted as sites whatever their suffix. */
  siteHosts: readonly string[];
}

export const DEFAULT_PRIVACY: PrivacyConfig = {
  ipv4Prefix: 24, ipv6Prefix: 48, queryAllow: ['utm_*'], lookupOn: 'full', scrub: DEFAULT_SCRUB, site: 'default', siteHosts: [],
};

/**
 * What issue 12 adds to the boundary; each part is optional. Visitor ids are always per day with carry keys
 * near midnight (visitor-id.ts `identify()`); `sessions` sets the visit timeout they use (default 30 minutes).
 */
export interface BoundaryHooks {
  /** `exclude:` rules, applied by exclusion() before the request is crossed. */
  exclusions?: ExclusionRules;
  /** `email:` open-pixel and click patterns, matched on the full target in cross(). */
  email?: EmailTracking;
  /** Ids per day with carry keys for sessions/; the visit timeout is `sessions.visit_timeout_minutes`. */
  sessions?: { visitTimeoutMs: number };
}

const INVALID = checked('{invalid}');
const ISP_HOST_NAME: CompanyResult = Object.freeze({ asn: 0, org: '', domain: '', category: 'isp', source: 'hostname' });

/**
 * The only code that sees a client address, a client host name, a remote user or a full query string.
 * Everything that needs them (geo, company, truncated network, visitor id, campaign, search keyword) happens
 * here, in memory; what leaves is an AnonHit, whose every field is checked and branded. The remote user,
 * X-Forwarded-For and any cookie are read by nobody: they are simply not copied.
 */
export class PrivacyBoundary {
  private readonly allowKey: (key: string) => boolean;
  private readonly scrubber: Scrubber;
  /** For user agents: only e-mails and address literals, so the agent still classifies as it did. */
  private readonly agentScrubber: Scrubber;
  private readonly visitors: VisitorIds;
  private readonly sites: SiteNames;
  private readonly hostNames = new HostNames();
  /** What a quarantine file may keep of a rejected line, by the same rules. */
  readonly rejectedLines: RejectedLines;
  private readonly email: EmailTracking | null;
  private readonly exclusions: ExclusionRules | null;

  constructor(
    private readonly config: PrivacyConfig, salts: SaltStore, private readonly lookups: NetworkLookups, hooks: BoundaryHooks = {},
  ) {
    this.allowKey = compileAllowList(config.queryAllow);
    this.scrubber = new Scrubber(config.scrub);
    this.agentScrubber = new Scrubber({ ...DEFAULT_SCRUB, rules: config.scrub.rules.filter((r) => r === 'email' || r === 'address') }, { productVersions: true });
    this.visitors = new VisitorIds(salts, hooks.sessions?.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS);
    this.sites = new SiteNames(config.site, config.siteHosts);
    this.rejectedLines = new RejectedLines(this.clean, this.allowKey, (host) => this.sites.storedHost(host));
    this.email = hooks.email && !hooks.email.empty ? hooks.email : null;
    this.exclusions = hooks.exclusions && !hooks.exclusions.empty ? hooks.exclusions : null;
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

  cross(raw: RawHit): AnonHit {
    const site = this.sites.of(raw.vhost);
    const client = firstListed(raw.clientAddress);
    const address = parseAddress(client);
    let net: ClientNet = NO_NET;
    let geo: GeoResult = NO_GEO;
    let company: CompanyResult = NO_COMPANY;
    let visitorKey: string;
    if (address !== null) {
      const network = networkAddress(address, this.config.ipv4Prefix, this.config.ipv6Prefix);
      net = clientNet(`${network.ip}/${network.family === 4 ? this.config.ipv4Prefix : this.config.ipv6Prefix}`);
      const lookedUp = this.config.lookupOn === 'full' ? address : network;
      if (this.lookups.geo !== null) geo = this.lookups.geo.lookup(lookedUp.ip, lookedUp.family);
      if (this.lookups.company !== null) company = this.lookups.company.lookup(lookedUp.ip, lookedUp.family);
      visitorKey = address.ip;
    } else {
      visitorKey = client.toLowerCase();
      const name = this.hostNames.client(client);
      if (name !== null) {
        if (this.lookups.geo !== null && name.country !== '') geo = { country: name.country, region: '', city: '' };
        if (this.lookups.company !== null) {
          // A customer line's name tells the provider, not who uses it: the provider, with no domain.
          company = name.residential ? { ...ISP_HOST_NAME, org: name.domain } : this.lookups.company.lookupDomain(name.domain);
        }
      }
    }
    const q = raw.target.indexOf('?');
    const path = q < 0 ? raw.target : raw.target.slice(0, q);
    // A referrer on an address (`http://10.1.2.3/admin`) names a machine: `{address}`, like anything not a host name.
    const referred = referrerHost(raw.referrer);
    const host = referred.length === 0 ? '' : this.sites.storedHost(referred);
    const source = this.lookups.referrers.classify(raw.referrer, host, site);
    const userAgent = raw.userAgent === null ? null : checked(this.agentScrubber.scrub(raw.userAgent));
    const email = this.email === null ? null : this.email.match(raw.target, raw.time, site);
    const visitor = this.visitors.identify(raw.time, visitorKey, userAgent ?? '', site);
    return anonHit({
      time: raw.time,
      site,
      method: token(raw.method),
      // An e-mail pixel or click carries the recipient: its path is the pattern's, its query dropped whole.
      path: email !== null ? email.path : this.clean(path),
      query: q < 0 || email !== null ? NO_TEXT : checked(filterQuery(raw.target.slice(q + 1), this.allowKey, this.scrub)),
      protocol: token(raw.protocol),
      status: raw.status,
      bytes: raw.bytes,
      referrerHost: checked(host),
      userAgent,
      visitorId: visitor.id,
      clientNet: net,
      country: checked(geo.country),
      region: checked(geo.region),
      city: checked(geo.city),
      asn: company.asn,
      org: checked(company.org),
      orgDomain: checked(company.domain),
      orgCategory: company.category,
      orgSource: checked(company.source),
      referrerClass: source.class,
      referrerSource: checked(source.source),
      searchKeyword: source.keyword === '' ? NO_TEXT : this.clean(source.keyword),
      campaign: q >= 0 && email === null && this.lookups.campaigns ? campaignOf(raw.target, this.clean) : NO_CAMPAIGN,
      language: raw.acceptLanguage.length > 0 ? checked(primaryLanguage(raw.acceptLanguage)) : NO_TEXT,
      durationMs: raw.durationMs >= 0 && Number.isFinite(raw.durationMs) ? raw.durationMs : null,
      email,
      carryKey: visitor !== null ? visitor.carryKey : null,
    });
  }

  private readonly scrub = (text: string): string => this.scrubber.scrub(text);

  /** Free text from the request: identifiers replaced, unlisted `&key=value` pairs dropped. */
  private readonly clean = (text: string): CheckedText => checked(dropQueryPairs(this.scrubber.scrub(text), this.allowKey));
}

/** The first entry of a comma-separated list (an X-Forwarded-For value logged as the client: the original client). */
function firstListed(text: string): string {
  const comma = text.indexOf(',');
  return comma < 0 ? text : text.slice(0, comma).trim();
}

/**
 * A method or protocol as a token: letters, digits and `. _ / -`, at most 32 characters (`GET`, `M-SEARCH`,
 * `HTTP/1.1`); anything else (a JSON log passes whatever it was given) is `{invalid}`.
 */
function token(text: string): CheckedText {
  if (text.length > 32) return INVALID;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!(letter || (c >= 45 && c <= 57) /* - . / 0-9 */ || c === 95 /* _ */)) return INVALID;
  }
  return checked(text);
}

