import { isIP } from 'node:net';
import { ipv4ToInt, ipv6ToGroups } from './address.js';

/** A block of addresses as numbers: IPv4 in 32 bits, IPv6 in 128, both as bigint. */
export interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

/** `10.0.0.0/8` → the address text, its family and the prefix length; null when it is not that shape. */
export function parseCidr(text: string): { address: string; family: 4 | 6; prefix: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = text.slice(0, slash).trim();
  const family = isIP(address);
  const bits = text.slice(slash + 1).trim();
  const prefix = Number(bits);
  if (family === 0 || bits === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, family: family as 4 | 6, prefix };
}

/** An address literal as a number (IPv4 32 bits, IPv6 128 bits); null when it is not one. */
export function addressToBigInt(text: string): { family: 4 | 6; value: bigint } | null {
  const family = isIP(text);
  if (family === 4) return { family: 4, value: BigInt(ipv4ToInt(text)) };
  if (family === 6) {
    let value = 0n;
    for (const g of ipv6ToGroups(text.toLowerCase())) value = (value << 16n) | BigInt(g);
    return { family: 6, value };
  }
  return null;
}

/** `10.0.0.0/8`, `2001:db8::/32`, `192.0.2.10-192.0.2.20` (also with spaces around the dash), or one address. */
export function parseRange(text: string): AddressRange | null {
  const network = text.trim();
  if (network.indexOf('/') >= 0) {
    const cidr = parseCidr(network);
    const base = cidr && addressToBigInt(cidr.address);
    if (cidr === null || base === null) return null;
    const hostBits = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
    const first = (base.value >> hostBits) << hostBits;
    return { family: base.family, first, last: first + (1n << hostBits) - 1n };
  }
  const dash = network.indexOf('-');
  if (dash >= 0) {
    const first = addressToBigInt(network.slice(0, dash).trim());
    const last = addressToBigInt(network.slice(dash + 1).trim());
    if (first === null || last === null || first.family !== last.family || first.value > last.value) return null;
    return { family: first.family, first: first.value, last: last.value };
  }
  const single = addressToBigInt(network);
  return single && { family: single.family, first: single.value, last: single.value };
}

/**
 * True when the whole value is `network/prefix` at one of the given prefix lengths with every host bit zero:
 * what the privacy boundary writes as a client network.
 */
export function isNetworkAt(value: string, ipv4Prefix: number, ipv6Prefix: number): boolean {
  const cidr = parseCidr(value);
  if (cidr === null || cidr.address.length !== value.indexOf('/')) return false;
  if (cidr.family === 4) return cidr.prefix === ipv4Prefix && ipv4ToInt(cidr.address) % 2 ** (32 - cidr.prefix) === 0;
  if (cidr.prefix !== ipv6Prefix) return false;
  const groups = ipv6ToGroups(cidr.address.toLowerCase());
  for (let i = 0; i < 8; i++) {
    const hostBits = Math.max(0, Math.min(16, (i + 1) * 16 - cidr.prefix));
    if ((groups[i] & ((1 << hostBits) - 1)) !== 0) return false;
  }
  return true;
}
