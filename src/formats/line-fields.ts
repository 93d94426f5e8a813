import { stripPort } from '../net/address.js';
import type { RawHit, RejectReason } from './types.js';

/**
 * Reading the common pieces of access-log lines in place (by index, without regular expressions): quoted
 * fields, request lines, statuses, counts, '-' for missing values, absolute-form request targets.
 * Shared by the hand-written CLF parser and the compiled format-string parsers.
 */

/** Index of the next `"` not escaped with a backslash (Apache writes `\"`, nginx `\x22`), or -1. */
export function findClosingQuote(line: string, from: number): number {
  let i = line.indexOf('"', from);
  while (i > 0) {
    let backslashes = 0;
    for (let j = i - 1; j >= from && line.charCodeAt(j) === 92; j--) backslashes++;
    if ((backslashes & 1) === 0) return i;
    i = line.indexOf('"', i + 1);
  }
  return -1;
}

/** Splits `METHOD target PROTOCOL` (or HTTP/0.9's `METHOD target`) found between start and end. */
export function splitRequestLine(line: string, start: number, end: number, out: RawHit): RejectReason | null {
  const sp1 = line.indexOf(' ', start);
  if (sp1 < 0 || sp1 >= end || sp1 === start) return 'bad_request_line';
  for (let i = start; i < sp1; i++) {
    const c = line.charCodeAt(i);
    // Methods are tokens of upper-case letters (GET, PROPFIND, M-SEARCH has a dash).
    if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return 'bad_request_line';
  }
  // A load balancer's "- http://host:80- -" for a request it could not read starts with a dash, not a letter.
  const first = line.charCodeAt(start);
  if (first < 65 || first > 90) return 'bad_request_line';
  out.method = line.slice(start, sp1);
  const sp2 = line.lastIndexOf(' ', end - 1);
  if (sp2 > sp1 && line.startsWith('HTTP/', sp2 + 1)) {
    out.target = line.slice(sp1 + 1, sp2);
    out.protocol = line.slice(sp2 + 1, end);
  } else {
    out.target = line.slice(sp1 + 1, end);
    out.protocol = '';
  }
  if (out.target.length === 0) return 'bad_request_line';
  return null;
}

export function dashToEmpty(value: string): string {
  return value === '-' ? '' : value;
}

/** `example.com:8080` → `example.com`; IPv6 literals in brackets keep their brackets off. */
export function stripVhostPort(vhost: string): string {
  return vhost.indexOf(':') < 0 ? vhost : stripPort(vhost);
}

/**
 * `GET https://www.example.com:443/path?x HTTP/1.1` (load balancers, forward proxies) → target `/path?x`
 * and, when the format has no host field of its own, vhost `www.example.com`.
 */
export function absoluteFormTarget(out: RawHit): void {
  const t = out.target;
  if (t.charCodeAt(0) === 47 /* / */ || !(t.startsWith('http://') || t.startsWith('https://'))) return;
  const hostStart = t.indexOf('//') + 2;
  let pathStart = t.indexOf('/', hostStart);
  const q = t.indexOf('?', hostStart);
  if (pathStart < 0 || (q >= 0 && q < pathStart)) pathStart = q < 0 ? t.length : q;
  if (out.vhost.length === 0) out.vhost = stripVhostPort(t.slice(hostStart, pathStart));
  const rest = t.slice(pathStart);
  out.target = rest.length === 0 || rest.charCodeAt(0) === 63 ? `/${rest}` : rest;
}

export function threeDigitStatus(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48, b = s.charCodeAt(at + 1) - 48, c = s.charCodeAt(at + 2) - 48;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/** A decimal count or '-' (0); -1 when it is neither. */
export function parseCount(s: string, start: number, end: number): number {
  if (end - start === 1 && s.charCodeAt(start) === 45) return 0;
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
