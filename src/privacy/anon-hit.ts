import type { Branded, CheckedText, ClientNet, SiteName, VisitorId } from './brands.js';
import type { Campaign } from './campaign.js';
import type { EmailEvent } from './email.js';
import type { OrgCategory, ReferrerClass } from './lookups.js';

/**
 * A request after the privacy boundary. No field can hold the client address, the remote user or the
 * query string: the network is truncated, the visitor is a keyed hash that cannot be reversed or
 * recomputed once its day's salt is gone, and only allow-listed query keys remain. Every text field is one
 * of the boundary's branded types, so nothing but the boundary (./boundary.ts, through ./mint.ts) can make one.
 */
export interface AnonHitFields {
  time: number;
  site: SiteName;
  /** An HTTP method token as sent, or `{invalid}`. */
  method: CheckedText;
  /** Path without its query string; e-mails, UUIDs, tokens, long ids, addresses and unlisted `&key=value` pairs removed. */
  path: CheckedText;
  /** Only the allow-listed `key=value` pairs (utm_* by default). */
  query: CheckedText;
  protocol: CheckedText;
  status: number;
  bytes: number;
  /** Host of the referrer (scheme, path and query dropped), a `{address}` placeholder for an address literal. */
  referrerHost: CheckedText;
  /**
   * Needed by enrichment to classify the client; never stored. E-mails and address literals in it (a contact
   * in a bot's agent) are already replaced, so nothing derived from it can carry them.
   */
  userAgent: CheckedText | null;
  visitorId: VisitorId;
  clientNet: ClientNet;
  country: CheckedText;
  region: CheckedText;
  city: CheckedText;
  asn: number;
  org: CheckedText;
  /** The organisation's domain where a source knows it (user registry, MaxMind ISP/Enterprise, host-name clients). */
  orgDomain: CheckedText;
  orgCategory: OrgCategory | '';
  /** Which source named the organisation: 'registry', 'mmdb', 'asn', 'hostname' or ''. */
  orgSource: CheckedText;
  referrerClass: ReferrerClass;
  /** Search engine, social network or mail service the referrer belongs to. */
  referrerSource: CheckedText;
  /** Search keyword from a known search engine's referrer, scrubbed like paths; '' when none was sent. */
  searchKeyword: CheckedText;
  /** utm_* values read from the full request URL inside the boundary, scrubbed. */
  campaign: Campaign;
  /** Primary language of Accept-Language when the format logs it, else ''. */
  language: CheckedText;
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

export type AnonHit = Branded<AnonHitFields, 'AnonHit'>;
