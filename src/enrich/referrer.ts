import type { ReferrerInfo, ReferrerSource } from '../privacy/lookups.js';
import { queryParam } from '../privacy/query.js';
import { KNOWN_HOSTS, SEARCH_BRANDS, type KnownSource } from './referrer-list.js';

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
export class ReferrerClassifier implements ReferrerSource {
  private readonly siteHosts: Set<string>;
  private readonly byHost = new Map<string, KnownSource | null>();

  constructor(siteHosts: readonly string[] = []) {
    this.siteHosts = new Set(siteHosts.map((h) => withoutWww(h.toLowerCase())));
  }

  /**
   * @param referrer the full referrer URL ('' when none was sent)
   * @param host its host as the boundary's referrerHost() gives it
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
