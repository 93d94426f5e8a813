import { isIP } from 'node:net';
import { hasHexIpv4 } from '../net/address.js';
import { isNetworkAt } from '../net/cidr.js';

/** What `siftlog audit` looks for. Keys are stable: they appear in its output and JSON. */
export const LEAK_KINDS = {
  ipv4_literal: 'an IPv4 address in text',
  ipv6_literal: 'an IPv6 address in text',
  ipv4_integer: 'a number in the IPv4 range in an integer column with no declared meaning',
  address_column: 'a column of ClickHouse type IPv4 or IPv6',
  email: 'an e-mail address',
  query_key: 'a query key that is not on the allow-list',
  expired_salt: 'a salt file older than the salt window',
  salt_permissions: 'a salt file or folder, or the input key, readable by others than its owner',
} as const;

export type LeakKind = keyof typeof LEAK_KINDS;

export interface LeakPolicy {
  ipv4Prefix: number;
  ipv6Prefix: number;
  allowKey: (key: string) => boolean;
}

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d])/g;
// Starts only where a run of hex digits and colons starts: a start inside a run finds no match the run's own
// start did not find first, and trying each one made a long hex run (a 64 KiB path of 'a's) quadratic.
const IPV6_CANDIDATE = /(?<![0-9A-Fa-f:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/g;
const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const QUERY_KEY = /[?&]([^=&?#\s"]+)=/g;

/**
 * A stored network is allowed when the whole value is `network/prefix` at the configured prefix with every
 * host bit zero: exactly what the boundary writes to `client_net`.
 */
export function isAllowedNetwork(value: string, policy: LeakPolicy): boolean {
  return isNetworkAt(value, policy.ipv4Prefix, policy.ipv6Prefix);
}

function hasIpv6(text: string): boolean {
  if (text.indexOf(':') < 0) return false;
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    // Trim what a URL or a port could glue on, then let Node decide what is an address.
    const candidate = m[0].replace(/^:(?!:)/, '').replace(/(?<!:):$/, '');
    if (candidate.length >= 3 && candidate !== '::' && isIP(candidate) === 6) return true;
  }
  return false;
}

/**
 * The kinds of leak one stored text value shows. `isQueryColumn` marks a column that holds a bare query
 * string (`utm_source=x&…`), whose every key is checked; other text is checked for `?key=` and `&key=`.
 */
export function textLeaks(value: string, policy: LeakPolicy, isQueryColumn: boolean): LeakKind[] {
  const kinds: LeakKind[] = [];
  if (value.length < 3) return kinds;
  const whole = isAllowedNetwork(value, policy);
  if (!whole && hasIpv4(value)) kinds.push('ipv4_literal');
  if (!whole && hasIpv6(value)) kinds.push('ipv6_literal');
  if (hasEmail(value)) kinds.push('email');
  if (hasUnlistedKey(isQueryColumn ? `?${value}` : value, policy)) kinds.push('query_key');
  return kinds;
}

/**
 * The first leak in a value bound for the store, or null: textLeaks() for one row at a time, with every
 * regular expression behind a scan that finds nothing in most values (paths, names, versions). A column
 * that may hold software versions (`10.0.0.1`) is not checked for IPv4 literals, as in the audit.
 */
export function firstLeak(value: string, policy: LeakPolicy, isQueryColumn: boolean, isVersion = false): LeakKind | null {
  if (value.length < 3) return null;
  if (!isVersion && ((mayHoldIpv4(value) && hasIpv4(value)) || hasHexIpv4(value)) && !isAllowedNetwork(value, policy)) return 'ipv4_literal';
  if (value.indexOf(':') >= 0 && hasIpv6(value) && !isAllowedNetwork(value, policy)) return 'ipv6_literal';
  if (hasEmail(value)) return 'email';
  if (value.indexOf('=') >= 0 && hasUnlistedKey(isQueryColumn ? `?${value}` : value, policy)) return 'query_key';
  return null;
}

/** A digit, a dot and a digit somewhere: the least an IPv4 literal has. */
function mayHoldIpv4(text: string): boolean {
  for (let dot = text.indexOf('.', 1); dot > 0 && dot < text.length - 1; dot = text.indexOf('.', dot + 1)) {
    const before = text.charCodeAt(dot - 1);
    const after = text.charCodeAt(dot + 1);
    if (before >= 48 && before <= 57 && after >= 48 && after <= 57) return true;
  }
  return false;
}

function hasIpv4(text: string): boolean {
  if (hasHexIpv4(text)) return true;
  if (text.indexOf('.') < 0) return false;
  IPV4.lastIndex = 0;
  return IPV4.test(text);
}

function hasEmail(text: string): boolean {
  return (text.indexOf('@') >= 0 || text.indexOf('%40') >= 0) && EMAIL.test(text);
}

function hasUnlistedKey(text: string, policy: LeakPolicy): boolean {
  if (text.indexOf('=') < 0) return false;
  for (const m of text.matchAll(QUERY_KEY)) if (!policy.allowKey(m[1])) return true;
  return false;
}
