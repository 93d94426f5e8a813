/**
 * The types of what crosses the privacy boundary. Each is a string (or object) with a brand no value outside
 * src/privacy/ can carry: a plain string does not type-check as a ClientNet, a VisitorId or a SiteName, so
 * nothing downstream can put a raw log value where one of these belongs. They are made in ./mint.ts only,
 * which the folder rules (.dependency-cruiser.cjs) let no other folder import; a cast to one of them outside
 * src/privacy/ fails test/unit/privacy/brands.test.ts.
 */
declare const brand: unique symbol;

export type Branded<T, B extends string> = T & { readonly [brand]: B };

/** The client's network at the configured prefix (`203.0.113.0/24`, `2001:db8:1::/48`); '' for host-name clients. */
export type ClientNet = Branded<string, 'ClientNet'>;

/** Decimal UInt64: a keyed hash of (daily salt, address or client host name, user agent, site). */
export type VisitorId = Branded<string, 'VisitorId'>;

/** A validated host name under a public suffix (never shaped like an address), or a configured site name. */
export type SiteName = Branded<string, 'SiteName'>;

/**
 * Text the boundary has checked: scrubbed of identifiers (paths, kept query pairs, search keywords, campaign
 * values), validated as a token (method, protocol) or a host (referrer host), or read from a lookup database
 * the user configured (country, city, organisation).
 */
export type CheckedText = Branded<string, 'CheckedText'>;
