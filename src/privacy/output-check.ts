import type { AnonHit } from './anon-hit.js';
import type { PrivacyConfig } from './boundary.js';
import { firstLeak, isAllowedNetwork, type LeakKind, type LeakPolicy } from './leak-detectors.js';
import { compileAllowList } from './query.js';

/** Why a row may not be stored: the column and what it looked like. */
export interface Refusal {
  column: string;
  kind: LeakKind;
}

const CAMPAIGN_COLUMNS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
const REMEMBERED = 50_000;

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
  private readonly verdicts = new Map<string, LeakKind | null>();

  constructor(config: Pick<PrivacyConfig, 'ipv4Prefix' | 'ipv6Prefix' | 'queryAllow'>) {
    this.policy = { ipv4Prefix: config.ipv4Prefix, ipv6Prefix: config.ipv6Prefix, allowKey: compileAllowList(config.queryAllow) };
  }

  /** The first value of an anonymized hit that may not be stored, or null. */
  check(hit: AnonHit): Refusal | null {
    if (hit.clientNet.length > 0 && !this.isNetwork(hit.clientNet)) {
      return { column: 'client_net', kind: hit.clientNet.indexOf(':') >= 0 ? 'ipv6_literal' : 'ipv4_literal' };
    }
    // Columns whose values repeat from row to row (sites, methods, lookup answers) have their verdicts
    // remembered; paths and keywords are tested each time. Written out, not looped over field names: a
    // property read by a variable name costs more than the check itself.
    const leak = this.repeating(hit.site, 'site') ?? this.repeating(hit.method, 'method') ?? this.repeating(hit.protocol, 'protocol')
      ?? this.repeating(hit.referrerHost, 'referrer_host') ?? this.repeating(hit.country, 'country') ?? this.repeating(hit.region, 'region')
      ?? this.repeating(hit.city, 'city') ?? this.repeating(hit.org, 'org') ?? this.repeating(hit.orgDomain, 'org_domain')
      ?? this.repeating(hit.orgSource, 'org_source') ?? this.repeating(hit.referrerSource, 'referrer_source')
      ?? this.repeating(hit.language, 'language') ?? this.varying(hit.path, 'path') ?? this.varying(hit.searchKeyword, 'search_keyword');
    if (leak !== null) return leak;
    if (hit.query.length > 0) {
      const kind = firstLeak(hit.query, this.policy, true);
      if (kind !== null) return { column: 'query', kind };
    }
    const campaign = hit.campaign;
    if (campaign.source.length + campaign.medium.length + campaign.campaign.length + campaign.term.length + campaign.content.length > 0) {
      for (const field of CAMPAIGN_COLUMNS) {
        const kind = firstLeak(campaign[field], this.policy, false);
        if (kind !== null) return { column: `utm_${field}`, kind };
      }
    }
    return null;
  }

  private repeating(value: string, column: string): Refusal | null {
    if (value.length < 3) return null;
    let kind = this.verdicts.get(value);
    if (kind === undefined) {
      kind = firstLeak(value, this.policy, false);
      if (this.verdicts.size >= REMEMBERED) this.verdicts.clear();
      this.verdicts.set(value, kind);
    }
    return kind === null ? null : { column, kind };
  }

  private varying(value: string, column: string): Refusal | null {
    const kind = firstLeak(value, this.policy, false);
    return kind === null ? null : { column, kind };
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
