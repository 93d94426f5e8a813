import type { Hit } from '../../enrich/hit.js';

/**
 * The one column table of `requests`: each column's name, its ClickHouse type, how a hit fills it and,
 * for numbers and times, the values the type holds. The staging tables' DDL, the row encoder, the check
 * before a row is encoded and the schema test all derive from this list; the migrations in schema.ts
 * create the same columns (test/unit/sink/columns.test.ts compares them).
 */

/** What a row takes from its run and input rather than from the hit. */
export interface RowContext {
  runId: string;
  /** The input's fingerprint (sources/fingerprint.ts): which rows a later `--force` or re-run replaces. */
  inputFingerprint: string;
}

/** Why a hit cannot become a row: keys of REJECT_REASONS (formats/types.ts). */
export type RowRefusal = 'time_out_of_range' | 'value_out_of_range';

export interface ValueRange {
  min: number;
  max: number;
  refusal: RowRefusal;
}

export interface RequestColumn {
  readonly name: string;
  /** The type in `requests` and its staging copies. */
  readonly type: string;
  /**
   * The value a hit gives the column: a number for number and time columns, text for the others, null
   * (NULL) for a Nullable column without a value.
   */
  readonly value: (hit: Hit, row: RowContext) => string | number | null;
  /** Numbers and times: what the type holds. A hit with a value outside is refused before it is encoded. */
  readonly range?: ValueRange;
  readonly comment?: string;
}

const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffff_ffff;

/** DateTime holds whole seconds from 1970-01-01 00:00:00 to 2106-02-07 06:28:15 UTC. */
export const DATETIME_RANGE: ValueRange = { min: 0, max: UINT32_MAX, refusal: 'time_out_of_range' };
/** Numbers must also be exact in JavaScript: a size past 2^53 would be stored rounded, so it is refused. */
const SIZE_RANGE: ValueRange = { min: 0, max: Number.MAX_SAFE_INTEGER, refusal: 'value_out_of_range' };

const flag = (on: boolean) => (on ? 1 : 0);

export const REQUEST_COLUMNS: readonly RequestColumn[] = [
  { name: 'ts', type: "DateTime('UTC')", value: (h) => Math.floor(h.anon.time / 1000), range: DATETIME_RANGE },
  { name: 'site', type: 'LowCardinality(String)', value: (h) => h.anon.site },
  { name: 'method', type: 'LowCardinality(String)', value: (h) => h.anon.method },
  { name: 'path', type: 'String', value: (h) => h.anon.path },
  { name: 'query', type: 'String', value: (h) => h.anon.query, comment: 'allow-listed query keys only (utm_* by default)' },
  { name: 'protocol', type: 'LowCardinality(String)', value: (h) => h.anon.protocol },
  { name: 'status', type: 'UInt16', value: (h) => h.anon.status, range: { min: 0, max: UINT16_MAX, refusal: 'value_out_of_range' } },
  { name: 'bytes', type: 'UInt64', value: (h) => h.anon.bytes, range: SIZE_RANGE },
  { name: 'is_page', type: 'UInt8', value: (h) => flag(h.isPage) },
  { name: 'is_bot', type: 'UInt8', value: (h) => flag(h.client.isBot), comment: 'client class is bot' },
  { name: 'bot_name', type: 'LowCardinality(String)', value: (h) => h.client.botName },
  { name: 'visitor_id', type: 'UInt64', value: (h) => h.anon.visitorId, comment: 'keyed hash with a daily salt: not linkable across days' },
  { name: 'is_entry', type: 'UInt8', value: (h) => flag(h.isEntry), comment: 'first hit of a visit (30 min inactivity)' },
  { name: 'client_net', type: 'String', value: (h) => h.anon.clientNet, comment: 'truncated network, never a full address' },
  { name: 'country', type: 'LowCardinality(String)', value: (h) => h.anon.country },
  { name: 'region', type: 'LowCardinality(String)', value: (h) => h.anon.region },
  { name: 'city', type: 'LowCardinality(String)', value: (h) => h.anon.city },
  { name: 'asn', type: 'UInt32', value: (h) => h.anon.asn, range: { min: 0, max: UINT32_MAX, refusal: 'value_out_of_range' } },
  { name: 'org', type: 'LowCardinality(String)', value: (h) => h.anon.org },
  { name: 'browser', type: 'LowCardinality(String)', value: (h) => h.client.browser },
  { name: 'browser_version', type: 'LowCardinality(String)', value: (h) => h.client.browserVersion },
  { name: 'os', type: 'LowCardinality(String)', value: (h) => h.client.os },
  { name: 'os_version', type: 'LowCardinality(String)', value: (h) => h.client.osVersion },
  { name: 'device_type', type: 'LowCardinality(String)', value: (h) => h.client.deviceType },
  { name: 'referrer_host', type: 'LowCardinality(String)', value: (h) => h.anon.referrerHost },
  { name: 'run_id', type: 'UUID', value: (_, r) => r.runId },
  { name: 'org_domain', type: 'LowCardinality(String)', value: (h) => h.anon.orgDomain },
  { name: 'org_category', type: 'LowCardinality(String)', value: (h) => h.anon.orgCategory },
  { name: 'org_source', type: 'LowCardinality(String)', value: (h) => h.anon.orgSource },
  { name: 'referrer_class', type: 'LowCardinality(String)', value: (h) => h.anon.referrerClass },
  { name: 'referrer_source', type: 'LowCardinality(String)', value: (h) => h.anon.referrerSource },
  { name: 'search_keyword', type: 'String', value: (h) => h.anon.searchKeyword, comment: 'scrubbed of e-mails and addresses' },
  { name: 'utm_source', type: 'LowCardinality(String)', value: (h) => h.anon.campaign.source },
  { name: 'utm_medium', type: 'LowCardinality(String)', value: (h) => h.anon.campaign.medium },
  { name: 'utm_campaign', type: 'LowCardinality(String)', value: (h) => h.anon.campaign.campaign },
  { name: 'utm_term', type: 'String', value: (h) => h.anon.campaign.term },
  { name: 'utm_content', type: 'String', value: (h) => h.anon.campaign.content },
  { name: 'language', type: 'LowCardinality(String)', value: (h) => h.anon.language },
  {
    name: 'input_fingerprint', type: 'LowCardinality(String)', value: (_, r) => r.inputFingerprint,
    comment: 'keyed fingerprint of the input the row came from: what a --force or a day re-run replaces',
  },
  // Migration 6 (issue 12): client classes, response times, e-mail opens and clicks.
  {
    name: 'client_class', type: 'LowCardinality(String)', value: (h) => h.client.clientClass,
    comment: 'browser, app, library, feed_reader, bot, unknown',
  },
  {
    name: 'is_person', type: 'UInt8', value: (h) => flag(h.client.isPerson),
    comment: 'a class counted as people (enrich.people): visitors, visits and page views count these',
  },
  {
    name: 'duration_ms', type: 'Nullable(Float32)', value: (h) => h.anon.durationMs,
    comment: 'server time in ms; NULL when the format logs none',
  },
  { name: 'email_kind', type: 'LowCardinality(String)', value: (h) => h.anon.email?.kind ?? '', comment: 'open, click or empty' },
  { name: 'email_campaign', type: 'LowCardinality(String)', value: (h) => h.anon.email?.campaign ?? '' },
  {
    name: 'email_recipient', type: 'UInt64', value: (h) => h.anon.email?.recipient || '0',
    comment: 'keyed daily hash of (site, campaign, recipient); 0: none',
  },
  { name: 'email_link', type: 'String', value: (h) => h.anon.email?.link ?? '', comment: 'click target: scheme, host and path, scrubbed' },
];

export const REQUEST_COLUMN_NAMES: readonly string[] = REQUEST_COLUMNS.map((c) => c.name);

/** The columns with a range, checked for every hit before it is encoded. */
const RANGED = REQUEST_COLUMNS.filter((c) => c.range !== undefined);

/**
 * Whether the store can hold the hit's row: null when it can, else why not. Called for every hit before
 * it is encoded, so one bad value rejects one line (counted and quarantined), never a batch.
 */
export function refusalOf(hit: Hit, row: RowContext): RowRefusal | null {
  for (const column of RANGED) {
    const value = column.value(hit, row) as number | null;
    if (value === null) continue;
    const range = column.range!;
    if (!(value >= range.min && value <= range.max) || !Number.isInteger(value)) return range.refusal;
  }
  return null;
}

/** A LowCardinality column as its plain type: how the TabSeparated input table declares it (staging.ts). */
export function plainType(type: string): string {
  return type.replace(/^LowCardinality\((.*)\)$/, '$1');
}

/** `name Type` pairs for a CREATE TABLE, in table order; `plain` drops LowCardinality. */
export function columnsDdl(options: { plain?: boolean; comments?: boolean } = {}): string {
  return REQUEST_COLUMNS.map((c) => {
    const comment = options.comments && c.comment ? ` COMMENT '${c.comment.replace(/'/g, "\\'")}'` : '';
    return `${c.name} ${options.plain ? plainType(c.type) : c.type}${comment}`;
  }).join(', ');
}
