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
  /** Keywords from a known search engine's referrer, scrubbed; '' otherwise. */
  searchTerms: string;
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
}
