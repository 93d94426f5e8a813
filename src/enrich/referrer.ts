import { KNOWN_HOSTS, SEARCH_BRANDS, type KnownSource, type ReferrerClass } from './referrer-list.js';

/**
 * The host of a referrer URL, lower-cased, without user info or port: all of a referrer that is kept.
 * '' for no referrer or one that is not an absolute http(s)/other URL.
 */
export function referrerHost(referrer: string): string {
  if (referrer.length === 0) return '';
  const scheme = referrer.indexOf('://');
  if (scheme <= 0 || scheme > 32) return ''; // android-app:// and ios-app:// name the app as host
  let start = scheme + 3;
  let end = referrer.length;
  for (let i = start; i < referrer.length; i++) {
    const c = referrer.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const at = referrer.lastIndexOf('@', end);
  if (at >= start) start = at + 1;
  let host = referrer.slice(start, end);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close > 0 ? host.slice(0, close + 1) : host;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  return host.toLowerCase();
}

export interface ReferrerInfo {
  class: ReferrerClass;
  /** Search engine, social network or mail service name; '' for direct, internal and other. */
  source: string;
  /** The search keyword when the referrer carries one, decoded but not yet scrubbed; '' otherwise. */
  keyword: string;
}

const DIRECT: ReferrerInfo = Object.freeze({ class: 'direct', source: '', keyword: '' });
const INTERNAL: ReferrerInfo = Object.freeze({ class: 'internal', source: '', keyword: '' });
const OTHER: ReferrerInfo = Object.freeze({ class: 'other', source: '', keyword: '' });
const KEYWORD_MAX = 100;

function withoutWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

/** A public-suffix-like tail: `com`, `de`, `co.uk`, `com.br` (short labels only). */
function isCountryTail(labels: readonly string[], from: number): boolean {
  if (from >= labels.length || labels.length - from > 2) return false;
  for (let i = from; i < labels.length; i++) if (labels[i].length > 3) return false;
  return true;
}

/** The curated source for a host: exact host or a parent domain, then a search brand under a country tail. */
export function knownSource(host: string): KnownSource | null {
  let at = 0;
  while (at >= 0) {
    const found = KNOWN_HOSTS.get(at === 0 ? host : host.slice(at));
    if (found) return found;
    const dot = host.indexOf('.', at);
    at = dot < 0 ? -1 : dot + 1;
  }
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const brand = SEARCH_BRANDS.get(labels[i]);
    if (brand && isCountryTail(labels, i + 1)) return brand;
  }
  // Providers' and companies' own webmail (webmail.example.net, mail.example.org).
  if (labels.length > 2 && (labels[0] === 'webmail' || labels[0] === 'mail')) return WEBMAIL;
  return null;
}

const WEBMAIL: KnownSource = Object.freeze({ class: 'email', name: 'Webmail' });

/** Decodes a query value: '+' as space, percent-decoded (undecodable text kept as is). */
export function decodeQueryValue(raw: string): string {
  const value = raw.indexOf('+') >= 0 ? raw.replace(/\+/g, ' ') : raw;
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads a query parameter from a URL by exact name, decoded; '' when absent. Scans without splitting. */
export function queryParam(url: string, name: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  let at = q + 1;
  while (at < end) {
    let amp = url.indexOf('&', at);
    if (amp < 0 || amp > end) amp = end;
    if (url.startsWith(name, at) && url.charCodeAt(at + name.length) === 61 /* = */ && at + name.length < amp) {
      return decodeQueryValue(url.slice(at + name.length + 1, amp));
    }
    at = amp + 1;
  }
  return '';
}

function keywordOf(referrer: string, params: readonly string[]): string {
  for (const name of params) {
    const value = queryParam(referrer, name).replace(/\s+/g, ' ').trim();
    if (value !== '') return value.length > KEYWORD_MAX ? value.slice(0, KEYWORD_MAX) : value;
  }
  return '';
}

/**
 * Classifies referrers. Internal means the visitor came from the site itself (the site's name, its
 * virtual host or a configured alias, with or without www.); those are navigation, not sources.
 * Classes are cached by host; keywords are read per request since they differ per request.
 */
export class ReferrerClassifier {
  private readonly siteHosts: Set<string>;
  private readonly byHost = new Map<string, KnownSource | null>();

  constructor(siteHosts: readonly string[] = []) {
    this.siteHosts = new Set(siteHosts.map((h) => withoutWww(h.toLowerCase())));
  }

  /**
   * @param referrer the full referrer URL ('' when none was sent)
   * @param host its host as referrerHost() gives it
   * @param site the site (virtual host) the request was made to
   */
  classify(referrer: string, host: string, site: string): ReferrerInfo {
    if (referrer.length === 0) return DIRECT;
    if (host.length === 0) return OTHER;
    const bare = withoutWww(host);
    if (bare === withoutWww(site.toLowerCase()) || this.siteHosts.has(bare)) return INTERNAL;
    let known = this.byHost.get(bare);
    if (known === undefined) {
      known = knownSource(bare);
      if (this.byHost.size >= 50_000) this.byHost.clear();
      this.byHost.set(bare, known);
    }
    if (known === null) return OTHER;
    const keyword = known.keywordParams ? keywordOf(referrer, known.keywordParams) : '';
    return { class: known.class, source: known.name, keyword };
  }
}
