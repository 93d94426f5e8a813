/**
 * The trend tables and how each is built from `requests` rows: the SELECT that aggregates a set of rows
 * into the table's columns, in the table's column order. publish.ts runs them over a day's rows when the
 * day is published; before, materialized views ran the same SELECTs per insert block (migrations 1 and 2,
 * dropped by migration 5).
 *
 * Trend tables are AggregatingMergeTree partitioned by month (toYYYYMM of their day): they are kept for
 * ever, and every partition costs the engine time each time it opens the store (~0.7 ms a part measured
 * here: 29,200 daily parts, ten years of eight tables, took 21 s to open), so a day is swapped in by
 * rebuilding its month partition: the month's other days as they were plus the day's new aggregates.
 */
export interface TrendTable {
  name: string;
  /** The expression of the table's calendar day (UTC): what a day's rows are deleted by. */
  day: string;
  /** SELECT … FROM {rows} … GROUP BY …: `{rows}` is replaced by a table or subquery of `requests` rows. */
  select: string;
}

/** The counts every enrichment trend table keeps, human traffic apart from bots. */
const MEASURES = `count() AS hits,
    countIf(is_page = 1 AND is_bot = 0) AS pageviews,
    countIf(is_entry = 1 AND is_bot = 0) AS visits,
    uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
    countIf(is_bot = 1) AS bot_hits`;

export const TREND_TABLES: readonly TrendTable[] = [
  {
    name: 'traffic_hourly',
    day: 'toDate(hour)',
    select: `SELECT site, toStartOfHour(ts) AS hour,
    count() AS hits,
    countIf(is_page = 1 AND is_bot = 0) AS pageviews,
    countIf(is_entry = 1 AND is_bot = 0) AS visits,
    uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
    sum(bytes) AS bytes,
    countIf(status >= 400 AND status < 500) AS status_4xx,
    countIf(status >= 500) AS status_5xx,
    countIf(is_bot = 1) AS bot_hits
  FROM {rows} GROUP BY site, hour`,
  },
  {
    name: 'pages_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, path,
    count() AS hits,
    countIf(is_page = 1 AND is_bot = 0) AS pageviews,
    countIf(is_entry = 1 AND is_bot = 0) AS entries,
    uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
    sum(bytes) AS bytes,
    countIf(status >= 400) AS errors,
    countIf(is_bot = 1) AS bot_hits
  FROM {rows} GROUP BY site, day, path`,
  },
  {
    name: 'clients_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, browser, browser_version, os, device_type, is_bot, bot_name,
    count() AS hits,
    countIf(is_page = 1) AS pageviews,
    uniqCombinedState(visitor_id) AS visitors
  FROM {rows} GROUP BY site, day, browser, browser_version, os, device_type, is_bot, bot_name`,
  },
  {
    name: 'geo_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, country, region, city, ${MEASURES}
  FROM {rows} GROUP BY site, day, country, region, city`,
  },
  {
    // Requests whose network has no known organisation are left out: they are in geo_daily and traffic.
    name: 'companies_daily_state',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, org_category, org, asn, org_domain, ${MEASURES}
  FROM {rows} WHERE org != '' GROUP BY site, day, org_category, org, asn, org_domain`,
  },
  {
    // Internal referrers are navigation inside the site, not sources: left out.
    name: 'sources_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, referrer_class, referrer_source, referrer_host, search_keyword, ${MEASURES}
  FROM {rows} WHERE referrer_class != 'internal' GROUP BY site, day, referrer_class, referrer_source, referrer_host, search_keyword`,
  },
  {
    name: 'campaigns_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, utm_source, utm_medium, utm_campaign, utm_term, utm_content, ${MEASURES}
  FROM {rows} WHERE utm_source != '' OR utm_medium != '' OR utm_campaign != ''
  GROUP BY site, day, utm_source, utm_medium, utm_campaign, utm_term, utm_content`,
  },
];

/** The SELECT of a trend table over `rows` (a table name or a parenthesised subquery). */
export function trendSelect(trend: TrendTable, rows: string): string {
  return trend.select.replace('{rows}', rows);
}
