import type { OrgCategory } from '../privacy/lookups.js';

// The categories cross the privacy boundary (AnonHit.orgCategory), so the boundary's module defines them.
export { isOrgCategory, ORG_CATEGORIES, type OrgCategory } from '../privacy/lookups.js';

/**
 * What kind of organisation a network belongs to, so the "visiting companies" trend can leave out access
 * providers and clouds. Registries do not say; this is a small curated judgement: well-known networks by AS
 * number, then words in the organisation's name, with the user's overrides on top of both. A name with a
 * company form (Inc, GmbH, Ltd…) and no access-provider or hosting word is 'business'; anything else that
 * is not recognised is 'unknown', never guessed, so ISPs do not turn up among the visiting companies.
 */

/** Networks whose names do not give them away (or mislead), by AS number. */
const KNOWN_ASNS: ReadonlyMap<number, OrgCategory> = new Map<number, OrgCategory>([
  // Clouds, CDNs, hosting
  ...[16509, 14618, 8987, 15169, 396982, 19527, 8075, 8068, 13335, 209242, 20940, 16625, 54113, 14061, 63949, 24940,
    16276, 51167, 20473, 12876, 36352, 45102, 37963, 132203, 31898, 7941, 46606, 26496, 398101, 60781, 28753,
    13238, 200350, 9009, 62240, 212238, 40021, 55286, 19871, 30633, 32613, 47583].map((a) => [a, 'hosting'] as const),
  // Access providers (home, mobile) whose names carry none of the usual words
  ...[7922, 701, 7018, 20115, 22773, 209, 3320, 3215, 5089, 2856, 12322, 3352, 3269, 6830, 1136, 6805, 5410, 3209,
    4134, 4837, 9808, 17676, 4713, 2516, 9121, 8151, 28573, 26599, 27699, 7545, 1221, 4766, 9318, 55836, 45609,
    24560, 9829, 577, 812, 6327, 5650, 21928, 6167, 22394, 11427, 10796, 20001, 11426, 33363, 7843, 5607, 2119,
    1257, 3301, 12389, 8359, 25513, 31213, 6849, 15895, 8452, 24835, 5384, 9299, 17639, 18881, 28006, 7303, 27747,
  ].map((a) => [a, 'isp'] as const),
  // Research and education networks named "Network Inc." or the like
  ...[237, 11537, 786, 680, 2200, 1103, 2152, 1930, 2603, 20965, 7575, 6509].map((a) => [a, 'education'] as const),
]);

interface NamePattern {
  words: RegExp;
  category: OrgCategory;
}

// Order matters: a university's hosting centre is education, a ministry's network is government.
const NAME_PATTERNS: readonly NamePattern[] = [
  { words: /\b(universit|college|school|academ|hochschule|institute of technology|polytechn|education|research network|\bedu\b|\bnren\b|janet|renater|dfn|surfnet|internet2)/i, category: 'education' },
  { words: /\b(government|ministry|ministerio|ministere|department of|federal|bundes|state of|county of|city of|municipal|\bgov\b|agency|parliament|national assembly|army|navy|air force|defen[cs]e|police)/i, category: 'government' },
  { words: /\b(hosting|host\b|hoster|cloud|data ?cent(er|re)|datacent|server|vps|colo(cation)?|hetzner|ovh|digitalocean|linode|akamai|fastly|leaseweb|contabo|vultr|scaleway|alibaba|tencent|oracle|cdn|content delivery|ionos|hostinger|godaddy|rackspace|choopa|m247|upcloud|netcup)/i, category: 'hosting' },
  { words: /\b(telecom|telekom|telecomunica|telefonica|telefónica|telco|broadband|cable|mobile|wireless|cellular|communications?|\bisp\b|internet service|dsl|fiber|fibre|vodafone|orange|comcast|verizon|at&t|t-mobile|sprint|charter|spectrum|cox|centurylink|lumen|frontier|bell|rogers|telus|shaw|virgin media|sky|talktalk|swisscom|proximus|kpn|ziggo|telenor|telia|tele2|free sas|bouygues|sfr|iliad|jio|airtel|bharti|vivo|claro|movistar|tim |wind|turkcell|mts|rostelecom|beeline|megafon|chinanet|china unicom|china mobile|kddi|ntt|softbank|sk broadband|kt corp|lg u|optus|telstra|singtel|starhub|pldt|globe telecom|viettel|vnpt|etisalat|\bstc\b|mtn|safaricom|net servi[cç]os|provedor)/i, category: 'isp' },
  { words: /\b(inc\.?|corp(oration)?|llc|ltd|limited|gmbh|ag|s\.?a\.?|s\.?a\.?s|s\.?r\.?l|b\.?v|oy|ab|sarl|pte|pty|kft|plc|company|bank|insurance|pharma|motors|airlines|retail|group)\b/i, category: 'business' },
];

/** Classifies organisations; results are cached by name since a log repeats a small set of them. */
export class OrgClassifier {
  private readonly byName = new Map<string, OrgCategory>();
  private readonly byAsn = new Map<number, OrgCategory>();
  private readonly cache = new Map<string, OrgCategory>();
  private readonly byAsnCache = new Map<number, OrgCategory>();

  /**
   * @param overrides keys are AS numbers written `AS16509` or organisation names (compared case-insensitively);
   *   values are categories
   */
  constructor(overrides: Readonly<Record<string, OrgCategory>> = {}) {
    for (const [key, category] of Object.entries(overrides)) {
      const asn = /^AS(\d+)$/i.exec(key.trim());
      if (asn) this.byAsn.set(Number(asn[1]), category);
      else this.byName.set(key.trim().toLowerCase(), category);
    }
  }

  classify(asn: number, org: string): OrgCategory {
    if (asn === 0 && org === '') return 'unknown';
    const user = this.byAsn.get(asn) ?? (this.byName.size > 0 ? this.byName.get(org.toLowerCase()) : undefined);
    if (user !== undefined) return user;
    // An AS number names one organisation in a registry: it keys the cache without building a string.
    const cache = asn !== 0 ? this.byAsnCache : this.cache;
    const key = asn !== 0 ? asn : org;
    let category = (cache as Map<number | string, OrgCategory>).get(key);
    if (category === undefined) {
      category = KNOWN_ASNS.get(asn) ?? categoryFromName(org);
      if (cache.size >= 100_000) cache.clear();
      (cache as Map<number | string, OrgCategory>).set(key, category);
    }
    return category;
  }
}

export function categoryFromName(org: string): OrgCategory {
  for (const pattern of NAME_PATTERNS) if (pattern.words.test(org)) return pattern.category;
  return 'unknown';
}

/** MaxMind Enterprise `traits.user_type` (the connection's user), where it says more than the name does. */
export function categoryFromUserType(userType: string): OrgCategory | null {
  switch (userType) {
    case 'business': case 'cafe': case 'library': case 'traveler': return 'business';
    case 'college': case 'school': return 'education';
    case 'government': case 'military': return 'government';
    case 'hosting': case 'content_delivery_network': case 'search_engine_spider': return 'hosting';
    case 'residential': case 'cellular': case 'consumer_privacy_network': case 'router': return 'isp';
    default: return null;
  }
}
