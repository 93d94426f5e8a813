import type { ClickHouseClient } from '@clickhouse/client';
import type { Report, SectionResult } from './model.js';
import { formatDay, parseLast, parsePeriod, PeriodError, type PeriodChoice } from './period.js';
import { num, ReportQuery, SITE_FILTER, table, tablesOf } from './query.js';
import type { Section } from './section.js';
import { SECTIONS } from './sections/index.js';

export interface ReportOptions {
  /** One site; absent: every site together. */
  site?: string;
  /** `A..B`, a day or a month (see period.ts). */
  period?: string;
  /** `7d`, `4w`: that many days up to the newest day with data. Default 30d. */
  last?: string;
  /** The sections to run (default: all of them, in order). */
  sections?: readonly Section[];
  /** The clock for "generated at" and for --last on a store without data (tests fix it). */
  now?: () => Date;
}

/** A mistake in what the user asked for: an unknown site, a period that does not parse. */
export class ReportError extends Error {}

export const DEFAULT_LAST = '30d';

/**
 * Answers every section's questions for a site and period. Reads only the trend tables and privacy views
 * (and system.tables, to know which exist), so a read-only role can run it; writes nothing.
 */
export async function buildReport(client: ClickHouseClient, options: ReportOptions = {}): Promise<Report> {
  const now = options.now ?? (() => new Date());
  const tables = await tablesOf(client);
  const hasTraffic = tables.has('traffic_hourly');
  const site = options.site ?? null;
  const sites = hasTraffic ? await sitesOf(client) : [];
  if (site !== null && hasTraffic && !sites.includes(site)) {
    const known = sites.length === 0 ? 'the store has no traffic yet' : `sites in the store: ${sites.join(', ')}`;
    throw new ReportError(`no traffic for site "${site}" (${known})`);
  }
  const range = hasTraffic ? await dataRange(client, site) : null;
  const choice = choosePeriod(options, range?.last ?? formatDay(now().getTime()));
  const q = new ReportQuery(client, { site, period: choice.period, previous: choice.previous });
  const sections: SectionResult[] = [];
  for (const section of options.sections ?? SECTIONS) {
    const missing = section.reads.filter((t) => !tables.has(t));
    if (missing.length > 0) sections.push({ id: section.id, title: section.title, status: 'missing', missing });
    else sections.push({ id: section.id, title: section.title, status: 'ok', blocks: await section.load(q) });
  }
  return {
    site, sites, period: choice.period, previous: choice.previous, periodDescription: choice.description,
    dataFrom: range?.first ?? null, dataTo: range?.last ?? null, generatedAt: now().toISOString(), sections,
  };
}

function choosePeriod(options: ReportOptions, lastDay: string): PeriodChoice {
  try {
    if (options.period !== undefined && options.last !== undefined) throw new PeriodError('give --period or --last, not both');
    return options.period !== undefined ? parsePeriod(options.period) : parseLast(options.last ?? DEFAULT_LAST, lastDay);
  } catch (err) {
    if (err instanceof PeriodError) throw new ReportError(err.message);
    throw err;
  }
}

async function sitesOf(client: ClickHouseClient): Promise<string[]> {
  const result = await client.query({ query: `SELECT DISTINCT site FROM ${table('traffic_hourly')} ORDER BY site`, format: 'JSONEachRow' });
  return (await result.json<{ site: string }>()).map((r) => r.site);
}

async function dataRange(client: ClickHouseClient, site: string | null): Promise<{ first: string; last: string } | null> {
  const result = await client.query({
    query: `SELECT count() AS n, toString(min(toDate(hour))) AS first, toString(max(toDate(hour))) AS last
            FROM ${table('traffic_hourly')} WHERE ${SITE_FILTER}`,
    format: 'JSONEachRow', query_params: { site: site ?? '' },
  });
  const [row] = await result.json<{ n: unknown; first: string; last: string }>();
  return num(row.n) === 0 ? null : { first: row.first, last: row.last };
}
