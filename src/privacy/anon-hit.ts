import type { Campaign } from '../enrich/campaign.js';
import type { OrgCategory } from '../enrich/category.js';
import type { ReferrerClass } from '../enrich/referrer-list.js';
import type { EmailEvent } from './email.js';

/**
 * A request after the privacy boundary. No field can hold the client address, the remote user or the
 * query string: the network is truncated, the visitor is a keyed hash that cannot be reversed or
 * recomputed once its day's salt is gone, and only allow-listed query keys remain.
 */
export interface AnonHit {
  time: number;
  site: string;
  method: string;
  /** Path without its query string; e-mails, UUIDs, tokens, long ids and addresses replaced by placeholders. */
  path: string;
  /** Only the allow-listed `key=value` pairs (utm_* by default). */
  query: string;
  protocol: string;
  status: number;
  bytes: number;
  /** Host of the referrer (scheme, path and query dropped). */
  referrerHost: string;
  /** Needed by enrichment to classify the client; never stored. */
  userAgent: string | null;
  /** Decimal UInt64: keyed hash of (daily salt, address, user agent, site). */
  visitorId: string;
  /** Truncated network in CIDR notation (`203.0.113.0/24`), '' for clients logged by host name. */
  clientNet: string;
  country: string;
  region: string;
  city: string;
  asn: number;
  org: string;
  /** The organisation's domain where a source knows it (user registry, MaxMind ISP/Enterprise). */
  orgDomain: string;
  orgCategory: OrgCategory | '';
  /** Which source named the organisation: 'registry', 'mmdb', 'asn' or ''. */
  orgSource: string;
  referrerClass: ReferrerClass;
  /** Search engine, social network or mail service the referrer belongs to. */
  referrerSource: string;
  /** Search keyword from a known search engine's referrer, scrubbed like paths; '' when none was sent. */
  searchKeyword: string;
  /** utm_* values read from the full request URL inside the boundary, scrubbed. */
  campaign: Campaign;
  /** Primary language of Accept-Language when the format logs it, else ''. */
  language: string;
  /** Time the server took, milliseconds; null when the format logs no duration (never 0 for "unknown"). */
  durationMs: number | null;
  /** The e-mail open or click this request is (email.ts), or null; its path and query are then the pattern's. */
  email: EmailEvent | null;
  /**
   * Near midnight only: the key sessions/ continues a visit across midnight by (visitor-id.ts VisitorRef);
   * null otherwise, and always null unless the boundary was built with sessions hooks. Never stored.
   */
  carryKey: string | null;
}
