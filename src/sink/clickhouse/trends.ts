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
  /**
   * SELECT … FROM {rows} … GROUP BY …: `{rows}` is replaced by a table or subquery of `requests` rows.
   * Inserted into `columns`, in the order the SELECT gives them. null: the table has no part from requests.
   */
  select: string | null;
  columns: readonly string[];
  /**
   * The part built from `visits` rows (`{visits}`), people only, by the day the visit started; inserted into
   * `visitColumns`. A table with a visit part is rebuilt whole for every day a publish touches: a visit that
   * goes on in a later run replaces its row, so its aggregates cannot simply be added to.
   */
  visits?: { select: string; columns: readonly string[] };
}

/**
 * The counts every enrichment trend table keeps, people apart from everything else: page views, visits and
 * visitors count the classes the pipeline counts as people (`enrich.people`: browsers and apps by default),
 * `bot_hits` the requests of clients whose class is bot.
 */
const MEASURES = `count() AS hits,
    countIf(is_page = 1 AND is_person = 1) AS pageviews,
    countIf(is_entry = 1 AND is_person = 1) AS visits,
    uniqCombinedStateIf(visitor_id, is_person = 1) AS visitors,
    countIf(is_bot = 1) AS bot_hits`;
const MEASURE_COLUMNS = ['hits', 'pageviews', 'visits', 'visitors', 'bot_hits'];

/** A trend's SELECT names its results differently from the columns it reads: ClickHouse resolves a name to an alias first. */
export const TREND_TABLES: readonly TrendTable[] = [
  {
    name: 'traffic_hourly',
    day: 'toDate(hour)',
    select: `SELECT site, toStartOfHour(ts) AS hour,
    count() AS hits,
    countIf(is_page = 1 AND is_person = 1) AS pageviews,
    countIf(is_entry = 1 AND is_person = 1) AS visits,
    uniqCombinedStateIf(visitor_id, is_person = 1) AS visitors,
    sum(bytes) AS bytes,
    countIf(status >= 400 AND status < 500) AS status_4xx,
    countIf(status >= 500) AS status_5xx,
    countIf(is_bot = 1) AS bot_hits
  FROM {rows} GROUP BY site, hour`,
    columns: ['site', 'hour', 'hits', 'pageviews', 'visits', 'visitors', 'bytes', 'status_4xx', 'status_5xx', 'bot_hits'],
    visits: {
      // By the hour the visit started; visits with a page view only (a feed fetch cannot bounce).
      select: `SELECT site, toStartOfHour(start) AS visit_hour,
    count() AS page_visit_count,
    countIf(bounce = 1) AS bounce_count,
    sum(duration) AS duration_total,
    quantileTimingState(duration) AS duration_state
  FROM {visits} WHERE is_person = 1 AND pageviews > 0 GROUP BY site, visit_hour`,
      columns: ['site', 'hour', 'page_visits', 'bounces', 'visit_seconds_sum', 'visit_seconds'],
    },
  },
  {
    name: 'pages_daily',
    day: 'day',
    // Entries come from the visits (the first page view), no longer from is_entry, which marks an asset
    // when one comes first.
    select: `SELECT site, toDate(ts) AS day, path,
    count() AS hits,
    countIf(is_page = 1 AND is_person = 1) AS pageviews,
    uniqCombinedStateIf(visitor_id, is_person = 1) AS visitors,
    sum(bytes) AS bytes,
    countIf(status >= 400) AS errors,
    countIf(is_bot = 1) AS bot_hits
  FROM {rows} GROUP BY site, day, path`,
    columns: ['site', 'day', 'path', 'hits', 'pageviews', 'visitors', 'bytes', 'errors', 'bot_hits'],
    visits: {
      select: `SELECT site, toDate(start) AS visit_day, page,
    countIf(kind = 'entry') AS entry_count,
    countIf(kind = 'exit') AS exit_count,
    countIf(kind = 'entry' AND bounce = 1) AS bounce_count
  FROM {visits}
  ARRAY JOIN [entry_page, exit_page] AS page, ['entry', 'exit'] AS kind
  WHERE is_person = 1 AND page != ''
  GROUP BY site, visit_day, page`,
      columns: ['site', 'day', 'path', 'entries', 'exits', 'bounces'],
    },
  },
  {
    // Every class keeps its hits, under its class: bots, libraries and feed readers apart from people.
    name: 'clients_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, browser, browser_version, os, device_type, is_bot, bot_name,
    count() AS hits,
    countIf(is_page = 1) AS pageviews,
    uniqCombinedState(visitor_id) AS visitors,
    client_class, is_person
  FROM {rows} GROUP BY site, day, browser, browser_version, os, device_type, is_bot, bot_name, client_class, is_person`,
    columns: ['site', 'day', 'browser', 'browser_version', 'os', 'device_type', 'is_bot', 'bot_name', 'hits', 'pageviews', 'visitors',
      'client_class', 'is_person'],
  },
  {
    name: 'geo_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, country, region, city, ${MEASURES}
  FROM {rows} GROUP BY site, day, country, region, city`,
    columns: ['site', 'day', 'country', 'region', 'city', ...MEASURE_COLUMNS],
  },
  {
    // Requests whose network has no known organisation are left out: they are in geo_daily and traffic.
    name: 'companies_daily_state',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, org_category, org, asn, org_domain, ${MEASURES}
  FROM {rows} WHERE org != '' GROUP BY site, day, org_category, org, asn, org_domain`,
    columns: ['site', 'day', 'org_category', 'org', 'asn', 'org_domain', ...MEASURE_COLUMNS],
  },
  {
    // Internal referrers are navigation inside the site, not sources: left out.
    name: 'sources_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, referrer_class, referrer_source, referrer_host, search_keyword, ${MEASURES}
  FROM {rows} WHERE referrer_class != 'internal' GROUP BY site, day, referrer_class, referrer_source, referrer_host, search_keyword`,
    columns: ['site', 'day', 'referrer_class', 'referrer_source', 'referrer_host', 'search_keyword', ...MEASURE_COLUMNS],
  },
  {
    name: 'campaigns_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS day, utm_source, utm_medium, utm_campaign, utm_term, utm_content, ${MEASURES}
  FROM {rows} WHERE utm_source != '' OR utm_medium != '' OR utm_campaign != ''
  GROUP BY site, day, utm_source, utm_medium, utm_campaign, utm_term, utm_content`,
    columns: ['site', 'day', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', ...MEASURE_COLUMNS],
  },
  {
    // Every request, bots included (they load the server too). Quantile states are quantileTiming states:
    // the same state whatever the order rows are aggregated in, so a re-run of a day gives identical tables.
    name: 'responses_hourly',
    day: 'toDate(hour)',
    select: `SELECT site, toStartOfHour(ts) AS request_hour, path, concat(toString(intDiv(status, 100)), 'xx') AS class,
    count() AS hit_count,
    count(duration_ms) AS timed_count,
    sum(ifNull(duration_ms, 0)) AS duration_total,
    quantileTimingStateIf(assumeNotNull(duration_ms), duration_ms IS NOT NULL) AS duration_state
  FROM {rows} GROUP BY site, request_hour, path, class`,
    columns: ['site', 'hour', 'path', 'status_class', 'hits', 'timed', 'response_ms_sum', 'response_ms'],
  },
  {
    // Every open and click, whoever fetched it: mail services fetch the pixel through image proxies.
    name: 'email_daily',
    day: 'day',
    select: `SELECT site, toDate(ts) AS request_day, email_campaign, email_link,
    countIf(email_kind = 'open') AS open_count,
    uniqCombinedStateIf(email_recipient, email_kind = 'open' AND email_recipient != 0) AS opener_state,
    countIf(email_kind = 'click') AS click_count,
    uniqCombinedStateIf(email_recipient, email_kind = 'click' AND email_recipient != 0) AS clicker_state
  FROM {rows} WHERE email_kind != '' GROUP BY site, request_day, email_campaign, email_link`,
    columns: ['site', 'day', 'campaign', 'link', 'opens', 'openers', 'clicks', 'clickers'],
  },
  {
    // People's visits only. `visits` (the denominator) counts, for every goal reached on the site that day,
    // the visits of each first touch; `conversions` those that reached the goal. How the visit came and how
    // the visitor's first visit that day came are both columns, so grouping by either counts a visit once.
    name: 'goals_daily',
    day: 'day',
    select: null,
    columns: [],
    visits: {
      select: `SELECT site, visit_day, goal, entry_page, referrer_class, referrer_source, search_keyword,
    utm_source, utm_medium, utm_campaign, first_entry_page, first_referrer_class, first_referrer_source,
    first_search_keyword, first_utm_source, first_utm_medium, first_utm_campaign,
    count() AS visit_count,
    countIf(has(goals, goal)) AS conversion_count,
    uniqCombinedStateIf(visitor_id, has(goals, goal)) AS converter_state
  FROM (
    SELECT site, toDate(start) AS visit_day, start, visitor_id, goals, entry_page, referrer_class, referrer_source, search_keyword,
      utm_source, utm_medium, utm_campaign,
      groupUniqArrayArray(goals) OVER (PARTITION BY site, visit_day) AS site_goals,
      first_value(entry_page) OVER visitor_day AS first_entry_page,
      first_value(referrer_class) OVER visitor_day AS first_referrer_class,
      first_value(referrer_source) OVER visitor_day AS first_referrer_source,
      first_value(search_keyword) OVER visitor_day AS first_search_keyword,
      first_value(utm_source) OVER visitor_day AS first_utm_source,
      first_value(utm_medium) OVER visitor_day AS first_utm_medium,
      first_value(utm_campaign) OVER visitor_day AS first_utm_campaign
    FROM {visits}
    WHERE is_person = 1
    WINDOW visitor_day AS (PARTITION BY site, visit_day, visitor_id ORDER BY start
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  )
  ARRAY JOIN site_goals AS goal
  GROUP BY site, visit_day, goal, entry_page, referrer_class, referrer_source, search_keyword, utm_source, utm_medium,
    utm_campaign, first_entry_page, first_referrer_class, first_referrer_source, first_search_keyword, first_utm_source,
    first_utm_medium, first_utm_campaign`,
      columns: ['site', 'day', 'goal', 'entry_page', 'referrer_class', 'referrer_source', 'search_keyword', 'utm_source', 'utm_medium',
        'utm_campaign', 'first_entry_page', 'first_referrer_class', 'first_referrer_source', 'first_search_keyword', 'first_utm_source',
        'first_utm_medium', 'first_utm_campaign', 'visits', 'conversions', 'converters'],
    },
  },
];

/** The INSERT of a trend table's requests part over `rows` (a table name or a parenthesised subquery); null when it has none. */
export function trendInsert(trend: TrendTable, table: string, rows: string): string | null {
  if (trend.select === null) return null;
  return `INSERT INTO ${table} (${trend.columns.join(', ')}) ${trend.select.replace('{rows}', rows)}`;
}

/** The INSERT of a trend table's visits part over `visits` (a table name or a parenthesised subquery); null when it has none. */
export function trendVisitsInsert(trend: TrendTable, table: string, visits: string): string | null {
  if (trend.visits === undefined) return null;
  return `INSERT INTO ${table} (${trend.visits.columns.join(', ')}) ${trend.visits.select.replace('{visits}', visits)}`;
}
