import { parse as parseDomain } from 'tldts';

/**
 * Host names as logs write them: client host names (NASA-era logs, Apache `HostnameLookups On`) and virtual
 * hosts. A client's host name identifies it as well as its address does, so it is used like one, in memory:
 * its registrable domain names the organisation, a country-code TLD the country, and it keys the visitor id.
 * The name itself is never stored.
 */

/** What the boundary may keep of a client's host name. */
export interface HostNameClient {
  /** The registrable domain under the public suffix list's ICANN section (`bigcorp.com`, `chiba-u.ac.jp`). */
  domain: string;
  /** ISO 3166-1 alpha-2 from a country-code TLD (`.de` → DE, `.uk` → GB, `.edu`/`.gov`/`.mil` → US), else ''. */
  country: string;
  /** Named like an access provider's customer line (dial-up, DSL, cable, DHCP and PPP pools): counted as `isp`. */
  residential: boolean;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * True when `name` (lower case, no port, no trailing dot) is written like a DNS host name: letters, digits,
 * `-` and `_` in dot-separated labels of at most 63 characters, 253 in all, its last label not all digits.
 */
export function isHostNameSyntax(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  for (const label of labels) if (!LABEL.test(label)) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/**
 * The registrable domain of a host name under the public suffix list (ICANN section), or null when the name
 * has none: not host-name syntax, an address in disguise (`1558228027`, `0x5c3fac3b`), a bare suffix, or a
 * name under no public suffix (`intranet`, `john.doe`, `printer.local`).
 */
export function registrableDomain(name: string): string | null {
  if (!isHostNameSyntax(name)) return null;
  const parsed = parseDomain(name, { extractHostname: false, validateHostname: false });
  if (parsed.isIp || parsed.isIcann !== true || parsed.domain === null) return null;
  return parsed.domain;
}

/**
 * Residential access lines by the words providers put in their customers' reverse names: `dialup-2-139`,
 * `pool-71-104-5-9`, `c-73-22-11-5.hsd1`, `adsl`, `dsl`, `cable`, `dhcp`, `dyn`, `ppp`, `pppoe`, `slip`, `dip0`,
 * `cpe`, `cust`, `res`, `ftth`, and the dial-up servers of the 1990s (`pm9` portmasters, `ts6` terminal servers,
 * `ras38`), each as a whole label or a dash-separated part, optionally numbered.
 */
const RESIDENTIAL = new RegExp(
  '(?:^|[.\\-_])(?:'
  + 'a?dsl|[vx]dsl|cable|catv|dhcp|dyn|dynamic|dynip|dial|dialup|dialin|pool|ppp|pppoe|slip|dip|cust|customer|client|clients'
  + '|res|resi|residential|broadband|bb|fiber|fibre|ftth|fttx|fttp|cpe|hsd|modem|wifi|wlan|wireless|mobile|cellular|user|users|home'
  + '|(?:pm|ts|ras|ip|host)(?=[0-9])'
  + ')[0-9]*(?=[.\\-_]|$)',
);

const US_ONLY = new Set(['edu', 'gov', 'mil']);
/** ccTLDs that are not the country's ISO code, or name no country of their own. */
const TLD_COUNTRY: Readonly<Record<string, string>> = { uk: 'GB', tp: 'TL', eu: '', su: '', ac: '' };
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

/** The country a TLD belongs to, '' for generic ones. */
export function countryOfTld(tld: string): string {
  if (US_ONLY.has(tld)) return 'US';
  if (tld.length !== 2) return '';
  const mapped = TLD_COUNTRY[tld];
  if (mapped !== undefined) return mapped;
  const code = tld.toUpperCase();
  return REGION_NAMES.of(code) !== code ? code : '';
}

const CACHE_LIMIT = 50_000;

/** Reads client host names; the answers are cached by name, as a log repeats its clients. */
export class HostNames {
  private readonly cache = new Map<string, HostNameClient | null>();

  /** @param name a client field that is not an address, in any case; null when it is no usable host name */
  client(name: string): HostNameClient | null {
    let known = this.cache.get(name);
    if (known === undefined) {
      const lower = name.toLowerCase();
      const domain = registrableDomain(lower.endsWith('.') ? lower.slice(0, -1) : lower);
      known = domain === null ? null : {
        domain,
        country: countryOfTld(domain.slice(domain.lastIndexOf('.') + 1)),
        residential: RESIDENTIAL.test(lower.slice(0, lower.length - domain.length)),
      };
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(name, known);
    }
    return known;
  }
}
