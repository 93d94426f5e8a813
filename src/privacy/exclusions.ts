import { BlockList, isIP } from 'node:net';
import type { RawHit } from '../formats/types.js';
import { ipv4ToInt, parseAddress } from '../net/address.js';
import { compilePathPattern, type PathTest, StatusSet } from './request-match.js';

/**
 * `exclude:` in the pipeline file: traffic that is not the audience — the office network, monitoring,
 * health checks, uptime robots. Applied inside the privacy boundary to the request as logged (full client
 * address, path before scrubbing), before anything is counted: an excluded line reaches no table, trend or
 * visit; it is only counted, under the rule that excluded it.
 */
export interface ExclusionConfig {
  /** Client networks in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`) or single addresses. */
  networks: readonly string[];
  /** Path patterns (request-match.ts syntax), matched on the path as logged, without its query string. */
  paths: readonly string[];
  /** Case-insensitive parts of the user agent (`UptimeRobot`, `Pingdom`). */
  userAgents: readonly string[];
  /** Statuses or status classes (`499`, `5xx`). */
  statuses: readonly (string | number)[];
}

export const NO_EXCLUSIONS: ExclusionConfig = Object.freeze({ networks: [], paths: [], userAgents: [], statuses: [] });

export class ExclusionConfigError extends Error {}

/**
 * A rule is named by its place in the pipeline file (`networks[0]`, `paths[2]`, `user_agents[1]`,
 * `statuses[0]`), never by what it matched: the summary and `ingest_runs` count by these names, and a
 * network rule's name must not carry an address.
 */
export type ExclusionRule = string;

interface Rule<T> {
  name: ExclusionRule;
  test: T;
}

/** A network rule: IPv4 as an integer range (a comparison per request), IPv6 through a BlockList. */
interface NetworkTest {
  family: 4 | 6;
  first: number;
  last: number;
  list: BlockList | null;
}

export class ExclusionRules {
  private readonly networks: Rule<NetworkTest>[];
  private readonly paths: Rule<PathTest>[];
  private readonly agents: Rule<string>[];
  private readonly statuses: Rule<StatusSet>[];
  private readonly counts = new Map<ExclusionRule, number>();
  /** No rule at all: match() returns at once. */
  readonly empty: boolean;

  constructor(config: ExclusionConfig = NO_EXCLUSIONS) {
    this.networks = config.networks.map((entry, i) => ({ name: `networks[${i}]`, test: networkTestOf(entry, i) }));
    this.paths = config.paths.map((p, i) => ({ name: `paths[${i}]`, test: compilePathPattern(p) }));
    this.agents = config.userAgents.map((a, i) => ({ name: `user_agents[${i}]`, test: a.toLowerCase() }));
    this.statuses = config.statuses.map((s, i) => ({ name: `statuses[${i}]`, test: new StatusSet([s]) }));
    this.empty = this.networks.length + this.paths.length + this.agents.length + this.statuses.length === 0;
  }

  /**
   * The first rule (networks, then paths, user agents, statuses, each in file order) that excludes the
   * request, counted; null when the request is kept.
   */
  match(raw: RawHit): ExclusionRule | null {
    if (this.empty) return null;
    const rule = this.find(raw);
    if (rule !== null) this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    return rule;
  }

  /** Excluded lines by rule name, in first-seen order. */
  excludedByRule(): Record<ExclusionRule, number> {
    return Object.fromEntries(this.counts);
  }

  get excludedTotal(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  private find(raw: RawHit): ExclusionRule | null {
    if (this.networks.length > 0) {
      // The client as the boundary reads it: the first entry of a logged X-Forwarded-For list, normalised.
      const comma = raw.clientAddress.indexOf(',');
      const address = parseAddress(comma < 0 ? raw.clientAddress : raw.clientAddress.slice(0, comma).trim());
      if (address === null) {
        // A host name: no network rule applies.
      } else if (address.family === 4) {
        const n = ipv4ToInt(address.ip);
        for (const rule of this.networks) if (rule.test.family === 4 && n >= rule.test.first && n <= rule.test.last) return rule.name;
      } else {
        for (const rule of this.networks) if (rule.test.list?.check(address.ip, 'ipv6')) return rule.name;
      }
    }
    if (this.paths.length > 0) {
      const q = raw.target.indexOf('?');
      const path = q < 0 ? raw.target : raw.target.slice(0, q);
      for (const rule of this.paths) if (rule.test(path)) return rule.name;
    }
    if (this.agents.length > 0 && raw.userAgent !== null && raw.userAgent.length > 0) {
      const agent = raw.userAgent.toLowerCase();
      for (const rule of this.agents) if (agent.includes(rule.test)) return rule.name;
    }
    for (const rule of this.statuses) if (rule.test.has(raw.status)) return rule.name;
    return null;
  }
}

/** One network rule; IPv4 rules also match IPv4-mapped IPv6 clients (normalised to IPv4 first). */
function networkTestOf(entry: string, index: number): NetworkTest {
  const slash = entry.indexOf('/');
  const address = (slash < 0 ? entry : entry.slice(0, slash)).trim();
  const family = isIP(address);
  const where = `exclude.networks[${index}]`;
  if (family === 0) throw new ExclusionConfigError(`${where}: not an IP address or CIDR network`);
  const prefix = slash < 0 ? (family === 4 ? 32 : 128) : Number(entry.slice(slash + 1));
  if (slash >= 0 && (entry.slice(slash + 1).trim() === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))) {
    throw new ExclusionConfigError(`${where}: invalid prefix length (IPv4 0-32, IPv6 0-128)`);
  }
  if (family === 4) {
    const size = 2 ** (32 - prefix);
    const first = ipv4ToInt(address) - (ipv4ToInt(address) % size);
    return { family: 4, first, last: first + size - 1, list: null };
  }
  const list = new BlockList();
  list.addSubnet(address, prefix, 'ipv6');
  return { family: 6, first: 0, last: 0, list };
}

/** The check the pipeline file's `exclude.networks` entries must pass (no address echoed back). */
export function networkEntryError(entry: string): string | null {
  try {
    networkTestOf(entry, 0);
    return null;
  } catch {
    return 'not an IP address or CIDR network with a valid prefix length';
  }
}
