import type { AnonHit, AnonHitFields } from './anon-hit.js';
import type { PrivacyConfig } from './boundary.js';
import { firstLeak, isAllowedNetwork, type LeakKind, type LeakPolicy } from './leak-detectors.js';
import { compileAllowList } from './query.js';

/** Why a row may not be stored: the column and what it looked like. */
export interface Refusal {
  column: string;
  kind: LeakKind;
}

/** The text fields of an AnonHit with the column each fills. */
const TEXT_COLUMNS: ReadonlyArray<readonly [keyof AnonHitFields, string]> = [
  ['site', 'site'], ['method', 'method'], ['path', 'path'], ['protocol', 'protocol'], ['referrerHost', 'referrer_host'],
  ['country', 'country'], ['region', 'region'], ['city', 'city'], ['org', 'org'], ['orgDomain', 'org_domain'],
  ['orgSource', 'org_source'], ['referrerSource', 'referrer_source'], ['searchKeyword', 'search_keyword'], ['language', 'language'],
];
const CAMPAIGN_COLUMNS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * The last look at a row before it is encoded for the store: every text value is checked for an address
 * literal, an e-mail or a query key that is not on the allow-list, in every column but the one meant to hold
 * a network (`client_net`, which must be exactly a network at the configured prefix) and, for query keys,
 * `query` (whose keys must all be allow-listed). The boundary should never let such a value through; this is
 * what makes sure, for rows built by any code, the same way `siftlog audit` checks the store afterwards.
 */
export class OutputCheck {
  private readonly policy: LeakPolicy;
  /** Enrichment's objects repeat (one per user agent, cached): each is judged once. */
  private readonly judged = new WeakMap<object, Refusal | null>();
  private readonly networks = new Map<string, boolean>();

  constructor(config: Pick<PrivacyConfig, 'ipv4Prefix' | 'ipv6Prefix' | 'queryAllow'>) {
    this.policy = { ipv4Prefix: config.ipv4Prefix, ipv6Prefix: config.ipv6Prefix, allowKey: compileAllowList(config.queryAllow) };
  }

  /** The first value of an anonymized hit that may not be stored, or null. */
  check(hit: AnonHit): Refusal | null {
    const policy = this.policy;
    if (hit.clientNet.length > 0 && !this.isNetwork(hit.clientNet)) {
      return { column: 'client_net', kind: hit.clientNet.indexOf(':') >= 0 ? 'ipv6_literal' : 'ipv4_literal' };
    }
    for (const [field, column] of TEXT_COLUMNS) {
      const kind = firstLeak(hit[field] as string, policy, false);
      if (kind !== null) return { column, kind };
    }
    const query = firstLeak(hit.query, policy, true);
    if (query !== null) return { column: 'query', kind: query };
    for (const field of CAMPAIGN_COLUMNS) {
      const kind = firstLeak(hit.campaign[field], policy, false);
      if (kind !== null) return { column: `utm_${field}`, kind };
    }
    return null;
  }

  /** A network at the configured prefix; the answers are remembered, as a log's clients share networks. */
  private isNetwork(value: string): boolean {
    let known = this.networks.get(value);
    if (known === undefined) {
      known = isAllowedNetwork(value, this.policy);
      if (this.networks.size >= 10_000) this.networks.clear();
      this.networks.set(value, known);
    }
    return known;
  }

  /**
   * The first text value of an object enrichment adds to the row (the client's browser, OS, bot name) that
   * may not be stored, or null. Columns are named from the keys (`browserVersion` → `browser_version`); keys
   * ending in `Version` are versions, not checked for IPv4 literals.
   */
  checkValues(values: object): Refusal | null {
    let verdict = this.judged.get(values);
    if (verdict !== undefined) return verdict;
    verdict = null;
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== 'string') continue;
      const kind = firstLeak(value, this.policy, false, key.endsWith('Version'));
      if (kind !== null) {
        verdict = { column: key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), kind };
        break;
      }
    }
    this.judged.set(values, verdict);
    return verdict;
  }
}
