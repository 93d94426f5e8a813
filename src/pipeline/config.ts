import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { FORMAT_NAMES } from '../formats/index.js';

const JSON_FIELD_KEYS = ['client', 'time', 'request', 'method', 'target', 'query', 'protocol', 'status', 'bytes', 'referrer',
  'userAgent', 'host', 'user', 'duration', 'forwardedFor'] as const;

/**
 * A pipeline file (pipelines/*.yaml): where logs come from, how they are read, what privacy applies,
 * which enrichment runs and where rows go. Every field is optional; the defaults are the documented ones.
 */
const GeoSchema = z.union([
  z.literal('embedded').describe('DB-IP lite city databases installed with siftlog'),
  z.literal('off'),
  z.strictObject({ ipv4: z.string().min(1), ipv6: z.string().min(1).optional() })
    .describe('mmdb files: one file with both families (MaxMind), or one per family (ip-location-db)'),
]);

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
  privacy: z.strictObject({
    ipv4_prefix: z.union([z.literal(8), z.literal(16), z.literal(24)]).default(24),
    ipv6_prefix: z.union([z.literal(32), z.literal(48)]).default(48),
    query_allow: z.array(z.string().min(1)).default(['utm_*']),
    salt_window_days: z.number().int().min(1).max(31).default(2),
  }).prefault({}),
  enrich: z.strictObject({
    geo: GeoSchema.default('embedded'),
    asn: z.enum(['embedded', 'off']).default('embedded'),
    ua_cache_size: z.number().int().min(0).default(10_000),
  }).prefault({}),
  store: z.strictObject({
    dir: z.string().min(1).default('siftlog-data'),
    url: z.string().url().optional(),
    user: z.string().optional(),
    password: z.string().optional(),
  }).prefault({}),
  limits: z.strictObject({
    max_line_length: z.number().int().min(256).default(65_536),
  }).prefault({}),
});

export type PipelineConfig = z.infer<typeof PipelineSchema>;

export class ConfigError extends Error {}

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
