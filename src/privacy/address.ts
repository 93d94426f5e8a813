import { isIP } from 'node:net';

/** A client address in the two shapes the boundary needs: the text for lookups and the truncated network. */
export interface ClientAddress {
  /** Normalised literal (IPv4-mapped IPv6 and ports removed), or null when the client was logged as a host name. */
  ip: string | null;
  family: 4 | 6 | 0;
}

/**
 * Normalises what a log wrote as the client: takes the first entry of an X-Forwarded-For list (the
 * original client), strips a port (`1.2.3.4:5678`, `[2001:db8::1]:443`), unwraps IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) and a zone (`fe80::1%eth0`). Host names (old logs with HostnameLookups on) are not
 * addresses: family 0.
 */
export function normaliseAddress(text: string): ClientAddress {
  let candidate = text;
  let family = isIP(candidate);
  if (family === 0) {
    const comma = candidate.indexOf(',');
    if (comma >= 0) candidate = candidate.slice(0, comma);
    candidate = candidate.trim();
    family = isIP(candidate);
  }
  if (family === 0) {
    if (candidate.charCodeAt(0) === 91 /* [ */) {
      const close = candidate.indexOf(']');
      if (close > 0) candidate = candidate.slice(1, close);
    } else {
      const colon = candidate.indexOf(':');
      if (colon > 0 && colon === candidate.lastIndexOf(':')) candidate = candidate.slice(0, colon);
    }
    const zone = candidate.indexOf('%');
    if (zone > 0) candidate = candidate.slice(0, zone);
    family = isIP(candidate);
    if (family === 0) return { ip: null, family: 0 };
  }
  if (family === 6) {
    const zoneAt = candidate.indexOf('%');
    const lower = (zoneAt > 0 ? candidate.slice(0, zoneAt) : candidate).toLowerCase();
    if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return { ip: lower.slice(7), family: 4 };
    return { ip: lower, family: 6 };
  }
  return { ip: candidate, family: 4 };
}

export function ipv4ToInt(ip: string): number {
  let n = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + part;
      part = 0;
    } else {
      part = part * 10 + (c - 48);
    }
  }
  return n * 256 + part;
}

export function intToIpv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** Parses an IPv6 literal (already validated by isIP) into eight 16-bit groups. */
export function ipv6ToGroups(ip: string): number[] {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
    const v4 = ipv4ToInt(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const parseList = (s: string) => (s.length === 0 ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const gap = text.indexOf('::');
  if (gap < 0) return parseList(text);
  const head = parseList(text.slice(0, gap));
  const rest = parseList(text.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

/** Formats eight groups the RFC 5952 way (lower case, longest zero run as '::'). */
export function groupsToIpv6(groups: readonly number[]): string {
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * The network an address belongs to at the given prefix length, as CIDR text (`203.0.113.0/24`,
 * `2001:db8:1::/48`). This is all of the address that is ever stored.
 */
export function truncateAddress(address: ClientAddress, ipv4Prefix: number, ipv6Prefix: number): string {
  const network = networkAddress(address, ipv4Prefix, ipv6Prefix);
  if (network.ip === null) return '';
  return `${network.ip}/${network.family === 4 ? ipv4Prefix : ipv6Prefix}`;
}

/** The first address of the address's network at the prefix length (host bits zero). */
export function networkAddress(address: ClientAddress, ipv4Prefix: number, ipv6Prefix: number): ClientAddress {
  if (address.ip === null) return address;
  if (address.family === 4) {
    const n = ipv4ToInt(address.ip);
    const size = 2 ** (32 - ipv4Prefix);
    return { ip: intToIpv4(n - (n % size)), family: 4 };
  }
  const groups = ipv6ToGroups(address.ip);
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, ipv6Prefix - i * 16));
    groups[i] = keep === 0 ? 0 : groups[i] & ((0xffff << (16 - keep)) & 0xffff);
  }
  return { ip: groupsToIpv6(groups), family: 6 };
}
