import { BlockList, isIP } from 'node:net';
import { stripPort } from '../net/address.js';
import { parseCidr } from '../net/cidr.js';

/**
 * Which address is the client. A log's peer address is a proxy's when the site sits behind a load balancer
 * or CDN; the proxies then append the address they saw to X-Forwarded-For. Only proxies the user lists in
 * `trusted_proxies` are believed: the client is the right-most address that is not a trusted proxy
 * (anything left of it could have been written by the client itself).
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** @param entries addresses or CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`) */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const slash = entry.indexOf('/');
      const family = isIP(slash < 0 ? entry : entry.slice(0, slash));
      if (family === 0) throw new Error(`trusted_proxies: "${entry}" is not an IP address or CIDR range`);
      if (slash < 0) {
        this.list.addAddress(entry, family === 4 ? 'ipv4' : 'ipv6');
        continue;
      }
      const cidr = parseCidr(entry);
      if (cidr === null) throw new Error(`trusted_proxies: "${entry}" has an invalid prefix length`);
      this.list.addSubnet(cidr.address, cidr.prefix, cidr.family === 4 ? 'ipv4' : 'ipv6');
    }
    this.size = entries.length;
  }

  isTrusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  /** The client behind `peer` given the X-Forwarded-For value ('' or '-' when absent). */
  resolve(peer: string, forwardedFor: string): string {
    if (this.size === 0 || forwardedFor.length === 0 || !this.isTrusted(peer)) return peer;
    let end = forwardedFor.length;
    let client = peer;
    while (end > 0) {
      const comma = forwardedFor.lastIndexOf(',', end - 1);
      const candidate = stripPort(forwardedFor.slice(comma + 1, end).trim());
      end = Math.max(comma, 0);
      if (candidate.length === 0 || candidate === '-' || candidate === 'unknown') continue;
      client = candidate;
      if (!this.isTrusted(candidate)) return candidate;
    }
    return client;
  }
}

/** The hops of a client field that logs a list of addresses (see readAddressList). */
export interface AddressList {
  /** The right-most entry: the hop nearest the server, which the others reached it through. */
  peer: string;
  /** The entries left of the peer, as an X-Forwarded-For value ('' when there are none). */
  forwardedFor: string;
}

/**
 * A client field holding several addresses instead of one: nginx's `$proxy_add_x_forwarded_for` in place of
 * `$remote_addr` (`203.0.113.9, 10.0.0.2`), or X-Forwarded-For logged in front of it, quoted or not
 * (`"203.0.113.9, 10.0.0.2" 10.0.0.1`). Each proxy appends the address it saw, so the list reads as
 * X-Forwarded-For followed by the peer. Entries are separated by commas, spaces or quotes; like a single
 * client field they may be host names, and proxies write `unknown` or `-` for hops they hide. null when an
 * entry has characters no address or host name has, or the peer is missing.
 */
export function readAddressList(text: string): AddressList | null {
  const hops: string[] = [];
  let peer = '';
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32 || c === 44 /* , */ || c === 34 /* " */) {
      if (start < 0) continue;
      if (peer.length > 0 && peer !== '-') hops.push(peer);
      peer = text.slice(start, i);
      start = -1;
    } else if (isHostChar(c)) {
      if (start < 0) start = i;
    } else {
      return null;
    }
  }
  if (peer.length === 0 || peer === '-' || peer === 'unknown') return null;
  return { peer: stripPort(peer), forwardedFor: hops.join(', ') };
}

/** Letters, digits and `. - _ : [ ]`: what IPv4, IPv6 (bracketed, with a port), host names and `unknown` use. */
function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 93 && c !== 92) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
}
