import type { Reader } from 'maxmind';
import { ipv4ToInt, ipv6ToGroups } from '../net/address.js';
import { type CompanyResult, type CompanySource, NO_COMPANY } from '../privacy/lookups.js';
import { AsnLookup, ipv6Upper64 } from './asn.js';
import { categoryFromUserType, OrgClassifier, type OrgCategory } from './category.js';
import { openMmdb, type OpenOptions } from './geo.js';
import type { RegistryEntry, UserRegistry } from './registry.js';

export { type CompanyResult, NO_COMPANY };

type CompanyRecord = Record<string, unknown> & { traits?: Record<string, unknown> };

/**
 * Reads GeoLite2-ASN (`autonomous_system_*`), GeoIP2-ISP (`isp`, `organization` too) and GeoIP2-Enterprise /
 * Insights records (the same keys under `traits`, plus `domain` and `user_type`). The organisation name
 * prefers `organization` (who uses the network) over `isp` and the AS holder.
 */
export function readCompanyRecord(record: CompanyRecord | null): { asn: number; org: string; domain: string; userType: string } | null {
  if (record === null) return null;
  const r = record.traits ?? record;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const org = text(r.organization) || text(r.isp) || text(r.autonomous_system_organization);
  const asn = typeof r.autonomous_system_number === 'number' ? r.autonomous_system_number : 0;
  if (org === '' && asn === 0) return null;
  return { asn, org, domain: text(r.domain), userType: text(r.user_type) };
}

/** The user listed the range as a company: without a category or a telling name, it is a business. */
function registeredCategory(byName: OrgCategory): OrgCategory {
  return byName === 'unknown' ? 'business' : byName;
}

export interface CompanySources {
  registry: UserRegistry | null;
  mmdb: Reader<CompanyRecord> | null;
  asn: AsnLookup | null;
  classifier: OrgClassifier;
}

/**
 * Answers "which organisation is this address" from the sources in order of trust: the user's registries
 * (they know their customers), then a MaxMind ASN/ISP/Enterprise file if given, then the public ASN registry.
 * Called only from the privacy boundary: it needs the full address.
 */
export class CompanyLookup implements CompanySource {
  constructor(private readonly sources: CompanySources) {}

  static async open(options: {
    registry: UserRegistry | null; mmdbFile: string | null; asn: boolean; overrides?: Readonly<Record<string, OrgCategory>>;
  } & OpenOptions): Promise<CompanyLookup> {
    const [mmdb, asn] = await Promise.all([
      options.mmdbFile ? openMmdb<CompanyRecord>(options.mmdbFile, 'company database', options) : null,
      options.asn ? AsnLookup.open() : null,
    ]);
    return new CompanyLookup({ registry: options.registry, mmdb, asn, classifier: new OrgClassifier(options.overrides) });
  }

  /** @param ip a normalised address literal of the given family (the privacy boundary holds it) */
  lookup(ip: string, family: 4 | 6): CompanyResult {
    const { registry, mmdb, asn, classifier } = this.sources;
    const v4 = family === 4 ? ipv4ToInt(ip) : 0;
    const groups = family === 6 ? ipv6ToGroups(ip) : null;
    if (registry !== null) {
      const entry = groups === null ? registry.lookupV4(v4) : registry.lookupV6(groups);
      if (entry !== null) return this.registered(entry);
    }
    if (mmdb !== null && !(family === 6 && mmdb.metadata.ipVersion !== 6)) {
      const found = readCompanyRecord(mmdb.get(ip));
      if (found !== null) {
        const category = categoryFromUserType(found.userType) ?? classifier.classify(found.asn, found.org);
        return { asn: found.asn, org: found.org, domain: found.domain, category, source: 'mmdb' };
      }
    }
    if (asn !== null) {
      const found = groups === null ? asn.lookupV4(v4) : asn.lookupV6(ipv6Upper64(groups));
      if (found.asn !== 0) return { asn: found.asn, org: found.org, domain: '', category: classifier.classify(found.asn, found.org), source: 'asn' };
    }
    return NO_COMPANY;
  }

  /**
   * The organisation of a client host name's registrable domain: the user's registry entry with that domain,
   * else the domain itself, categorised by what its suffix says (`.edu`, `.ac.jp` → education; `.gov`,
   * `.gouv.fr`, `.go.jp`, `.mil` → government) or its name.
   */
  lookupDomain(domain: string): CompanyResult {
    const entry = this.sources.registry?.lookupDomain(domain) ?? null;
    if (entry !== null) return this.registered(entry);
    const category = categoryOfDomain(domain) ?? this.sources.classifier.classify(0, domain);
    return { asn: 0, org: domain, domain, category, source: 'hostname' };
  }

  private registered(entry: RegistryEntry): CompanyResult {
    return {
      asn: 0, org: entry.company, domain: entry.domain, source: 'registry',
      category: entry.category === '' ? registeredCategory(this.sources.classifier.classify(0, entry.company)) : entry.category,
    };
  }
}

const EDUCATION_SUFFIX = /\.(?:edu|ac|edu\.[a-z]{2}|ac\.[a-z]{2}|k12\.[a-z]{2}\.us)$/;
const GOVERNMENT_SUFFIX = /\.(?:gov|mil|gov\.[a-z]{2}|gouv\.[a-z]{2}|gob\.[a-z]{2}|go\.[a-z]{2}|govt\.[a-z]{2}|mil\.[a-z]{2})$/;

/** A category a domain's suffix states; null when it states none. */
export function categoryOfDomain(domain: string): OrgCategory | null {
  if (EDUCATION_SUFFIX.test(domain)) return 'education';
  if (GOVERNMENT_SUFFIX.test(domain)) return 'government';
  return null;
}
