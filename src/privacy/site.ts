import { parseAddress, stripPort } from '../net/address.js';
import type { SiteName } from './brands.js';
import { registrableDomain } from './hostname.js';
import { siteName } from './mint.js';

/** A dotted or dashed IPv4 address inside a name (`92.63.172.59.nip.io`, `host-92-63-172-59.example.net`). */
const EMBEDDED_IPV4 = /(?:^|[^0-9])(?:[0-9]{1,3}[.-]){3}[0-9]{1,3}(?:[^0-9]|$)/;
const CACHE_LIMIT = 10_000;

/**
 * The site a request was made to. A log's virtual-host field is the client's Host header as often as the
 * server's own name, so it can hold anything a client sends: an address (scanners ask for `http://1.2.3.4/`),
 * a user name, an e-mail. It becomes the site only when it is a host name under a public suffix
 * (`www.example.com`, not `intranet` or `john.doe`) with no address in it, or one of the names the pipeline
 * lists (`site`, `enrich.site_hosts`); anything else counts under the pipeline's `site`.
 */
export class SiteNames {
  private readonly fallback: SiteName;
  private readonly configured: Set<string>;
  private readonly cache = new Map<string, SiteName>();

  constructor(fallback: string, configured: readonly string[] = []) {
    this.fallback = siteName(fallback);
    this.configured = new Set([fallback, ...configured].map((name) => name.toLowerCase()));
  }

  /** The site for a virtual-host field ('' when the format logs none). */
  of(vhost: string): SiteName {
    if (vhost.length === 0) return this.fallback;
    let site = this.cache.get(vhost);
    if (site === undefined) {
      const name = normalise(vhost);
      site = this.isSiteName(name) ? siteName(name) : this.fallback;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(vhost, site);
    }
    return site;
  }

  /**
   * A host as it may be stored (a referrer's, one in a quarantined line): itself when it may be a site name,
   * `{address}` for an address in any form, `{host}` for anything else (a user name, an e-mail, `localhost`).
   */
  storedHost(host: string): string {
    const name = normalise(stripPort(host));
    if (this.isSiteName(name)) return host.toLowerCase();
    return parseAddress(name) === null ? '{host}' : '{address}';
  }

  /** True when `name` (lower case) may be stored as a site. */
  isSiteName(name: string): boolean {
    if (this.configured.has(name)) return true;
    return registrableDomain(name) !== null && !EMBEDDED_IPV4.test(name) && parseAddress(name) === null;
  }
}

/** Lower case, without a trailing dot. */
function normalise(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
