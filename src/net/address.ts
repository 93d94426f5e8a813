import { isIP } from 'node:net';

/**
 * IP addresses as logs, headers and configuration files write them: the one place that parses, normalises and
 * strips ports from them. Imported by formats/, privacy/ and enrich/ alike; it depends on nothing.
 */

/** A normalised address literal: IPv4 dotted, IPv6 lower case as written (not re-compressed), no port or zone. */
export interface IpAddress {
  readonly ip: string;
  readonly family: 4 | 6;
}

/**
 * One address in any form a log, a header or a hand-written configuration uses: dotted IPv4, IPv6 compressed
 * or expanded, either with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`), in brackets, with a zone
 * (`fe80::1%eth0`); IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) becomes the IPv4 address; an IPv4
 * address as one number (`3232235777`, `0xc0a80101`) or with hexadecimal parts (`0xc0.0xa8.1.1`) is read as
 * inet_aton reads it. null for anything else (host names, `-`, `unknown`).
 */
export function parseAddress(text: string): IpAddress | null {
  let family = isIP(text);
  if (family === 4) return { ip: text, family: 4 };
  let candidate = text;
  if (family === 0) {
    candidate = stripPort(text.trim());
    const zoneAt = candidate.indexOf('%');
    if (zoneAt > 0) candidate = candidate.slice(0, zoneAt);
    family = isIP(candidate);
    if (family === 4) return { ip: candidate, family: 4 };
    if (family === 0) return numericIpv4(candidate);
  }
  const zone = candidate.indexOf('%');
  const lower = (zone > 0 ? candidate.slice(0, zone) : candidate).toLowerCase();
  if (lower.startsWith('::ffff:')) {
    const tail = lower.slice(7);
    if (isIP(tail) === 4) return { ip: tail, family: 4 };
    const groups = ipv6ToGroups(lower);
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return { ip: intToIpv4(groups[6] * 65536 + groups[7]), family: 4 };
    }
  }
  return { ip: lower, family: 6 };
}

/** `3232235777`, `0xC0A80101`, `0xc0.0xa8.1.1`: IPv4 as inet_aton reads numbers (decimal or 0x hex parts). */
function numericIpv4(text: string): IpAddress | null {
  if (text.length === 0 || text.length > 35) return null;
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = /^0x[0-9a-f]{1,8}$/i.test(part) ? parseInt(part.slice(2), 16) : /^[0-9]{1,10}$/.test(part) ? Number(part) : NaN;
    if (Number.isNaN(value)) return null;
    values.push(value);
  }
  // The last part fills the bytes the others leave: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
  const lastBytes = 5 - values.length;
  let n = 0;
  for (let i = 0; i < values.length - 1; i++) {
    if (values[i] > 255) return null;
    n = n * 256 + values[i];
  }
  const last = values[values.length - 1];
  if (last >= 2 ** (8 * lastBytes)) return null;
  // A plain number below 2^24 is as likely an id or a port as an address; dotted text is always one.
  if (values.length === 1 && !/^0x/i.test(parts[0]) && last < 16777216) return null;
  n = n * 2 ** (8 * lastBytes) + last;
  return { ip: intToIpv4(n), family: 4 };
}

/**
 * `1.2.3.4:80` → `1.2.3.4`, `[2001:db8::1]:443` → `2001:db8::1`, `example.com:8080` → `example.com`; a bare
 * IPv6 address (several colons, no brackets) is left alone.
 */
export function stripPort(text: string): string {
  if (text.charCodeAt(0) === 91 /* [ */) {
    const close = text.indexOf(']');
    return close < 0 ? text : text.slice(1, close);
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return text;
  return text.slice(0, colon);
}

/**
 * A field that always ends in `:port` (load balancers). ALB writes IPv6 clients without brackets
 * (`2001:db8::1:50599`), so the last colon is the port's whatever the address looks like.
 */
export function dropPort(text: string): string {
  if (text.charCodeAt(0) === 91 /* [ */) return stripPort(text);
  const colon = text.lastIndexOf(':');
  return colon < 0 ? text : text.slice(0, colon);
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

/** The first address of the address's network at the prefix length (host bits zero). */
export function networkAddress(address: IpAddress, ipv4Prefix: number, ipv6Prefix: number): IpAddress {
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

/**
 * An IPv4 address written in hexadecimal inside text, as inet_aton (and so browsers and curl) reads it: one
 * 32-bit number of 7 or 8 digits (`0xc0a80101`; 6 digits or fewer is below 1.0.0.0, a colour more likely)
 * or four parts with hexadecimal ones (`0xc0.0xa8.1.1`), standing alone (not inside a word).
 */
export const HEX_IPV4_IN_TEXT = /(?<![\w.])0[xX](?:[0-9A-Fa-f]{7,8}|[0-9A-Fa-f]{1,2}(?:\.(?:0[xX][0-9A-Fa-f]{1,2}|\d{1,3})){3})(?![\w.])/g;

/** Whether text holds a `0x…` number that HEX_IPV4_IN_TEXT reads as an address. */
export function hasHexIpv4(text: string): boolean {
  if (text.indexOf('0x') < 0 && text.indexOf('0X') < 0) return false;
  HEX_IPV4_IN_TEXT.lastIndex = 0;
  return HEX_IPV4_IN_TEXT.test(text);
}
