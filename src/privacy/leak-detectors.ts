import { isIP } from 'node:net';
import { ipv4ToInt, ipv6ToGroups } from './address.js';

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
const IPV6_CANDIDATE = /[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/g;
const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const QUERY_KEY = /[?&]([^=&?#\s"]+)=/g;

/**
 * A stored network is allowed when the whole value is `network/prefix` at the configured prefix with every
 * host bit zero: exactly what the boundary writes to `client_net`.
 */
export function isAllowedNetwork(value: string, policy: LeakPolicy): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  const family = isIP(ip);
  if (family === 4) {
    return prefix === policy.ipv4Prefix && ipv4ToInt(ip) % 2 ** (32 - prefix) === 0;
  }
  if (family === 6 && prefix === policy.ipv6Prefix) {
    const groups = ipv6ToGroups(ip);
    for (let i = 0; i < 8; i++) {
      const hostBits = Math.max(0, Math.min(16, (i + 1) * 16 - prefix));
      if ((groups[i] & ((1 << hostBits) - 1)) !== 0) return false;
    }
    return true;
  }
  return false;
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
  if (!whole && value.indexOf('.') >= 0) {
    IPV4.lastIndex = 0;
    if (IPV4.test(value)) kinds.push('ipv4_literal');
  }
  if (!whole && hasIpv6(value)) kinds.push('ipv6_literal');
  if ((value.indexOf('@') >= 0 || value.indexOf('%40') >= 0) && EMAIL.test(value)) kinds.push('email');
  if (hasUnlistedKey(isQueryColumn ? `?${value}` : value, policy)) kinds.push('query_key');
  return kinds;
}

function hasUnlistedKey(text: string, policy: LeakPolicy): boolean {
  if (text.indexOf('=') < 0) return false;
  for (const m of text.matchAll(QUERY_KEY)) if (!policy.allowKey(m[1])) return true;
  return false;
}
