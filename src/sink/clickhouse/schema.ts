/**
 * The ClickHouse schema, as numbered migrations applied in order on first use and recorded in
 * `siftlog.schema_migrations`. A migration is never edited once released: changes are new migrations.
 */
export const DATABASE = 'siftlog';

export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

/** Columns of `requests` in the order the writer sends them (TabSeparated). */
export const REQUEST_COLUMNS = [
  'ts', 'site', 'method', 'path', 'query', 'protocol', 'status', 'bytes', 'is_page', 'is_bot', 'bot_name',
  'visitor_id', 'is_entry', 'client_net', 'country', 'region', 'city', 'asn', 'org', 'browser', 'browser_version',
  'os', 'os_version', 'device_type', 'referrer_host', 'run_id', 'search_terms',
] as const;

const db = DATABASE;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'requests, trend tables fed by materialized views, ingest provenance',
    statements: [
      `CREATE TABLE IF NOT EXISTS ${db}.requests (
        ts DateTime('UTC'),
        site LowCardinality(String),
        method LowCardinality(String),
        path String,
        query String COMMENT 'allow-listed query keys only (utm_* by default)',
        protocol LowCardinality(String),
        status UInt16,
        bytes UInt64,
        is_page UInt8,
        is_bot UInt8,
        bot_name LowCardinality(String),
        visitor_id UInt64 COMMENT 'keyed hash with a daily salt: not linkable across days',
        is_entry UInt8 COMMENT 'first hit of a visit (30 min inactivity)',
        client_net String COMMENT 'truncated network, never a full address',
        country LowCardinality(String),
        region LowCardinality(String),
        city LowCardinality(String),
        asn UInt32,
        org LowCardinality(String),
        browser LowCardinality(String),
        browser_version LowCardinality(String),
        os LowCardinality(String),
        os_version LowCardinality(String),
        device_type LowCardinality(String),
        referrer_host LowCardinality(String),
        run_id UUID
      ) ENGINE = MergeTree
      PARTITION BY toYYYYMMDD(ts)
      ORDER BY (site, ts)`,

      `CREATE TABLE IF NOT EXISTS ${db}.traffic_hourly (
        site LowCardinality(String),
        hour DateTime('UTC'),
        hits SimpleAggregateFunction(sum, UInt64),
        pageviews SimpleAggregateFunction(sum, UInt64),
        visits SimpleAggregateFunction(sum, UInt64),
        visitors AggregateFunction(uniqCombined, UInt64),
        bytes SimpleAggregateFunction(sum, UInt64),
        status_4xx SimpleAggregateFunction(sum, UInt64),
        status_5xx SimpleAggregateFunction(sum, UInt64),
        bot_hits SimpleAggregateFunction(sum, UInt64)
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(hour)
      ORDER BY (site, hour)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.traffic_hourly_mv TO ${db}.traffic_hourly AS
       SELECT site, toStartOfHour(ts) AS hour,
         count() AS hits,
         countIf(is_page = 1 AND is_bot = 0) AS pageviews,
         countIf(is_entry = 1 AND is_bot = 0) AS visits,
         uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
         sum(bytes) AS bytes,
         countIf(status >= 400 AND status < 500) AS status_4xx,
         countIf(status >= 500) AS status_5xx,
         countIf(is_bot = 1) AS bot_hits
       FROM ${db}.requests GROUP BY site, hour`,

      `CREATE TABLE IF NOT EXISTS ${db}.pages_daily (
        site LowCardinality(String),
        day Date,
        path String,
        hits SimpleAggregateFunction(sum, UInt64),
        pageviews SimpleAggregateFunction(sum, UInt64),
        entries SimpleAggregateFunction(sum, UInt64),
        visitors AggregateFunction(uniqCombined, UInt64),
        bytes SimpleAggregateFunction(sum, UInt64),
        errors SimpleAggregateFunction(sum, UInt64),
        bot_hits SimpleAggregateFunction(sum, UInt64)
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, path)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.pages_daily_mv TO ${db}.pages_daily AS
       SELECT site, toDate(ts) AS day, path,
         count() AS hits,
         countIf(is_page = 1 AND is_bot = 0) AS pageviews,
         countIf(is_entry = 1 AND is_bot = 0) AS entries,
         uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
         sum(bytes) AS bytes,
         countIf(status >= 400) AS errors,
         countIf(is_bot = 1) AS bot_hits
       FROM ${db}.requests GROUP BY site, day, path`,

      `CREATE TABLE IF NOT EXISTS ${db}.clients_daily (
        site LowCardinality(String),
        day Date,
        browser LowCardinality(String),
        browser_version LowCardinality(String),
        os LowCardinality(String),
        device_type LowCardinality(String),
        is_bot UInt8,
        bot_name LowCardinality(String),
        hits SimpleAggregateFunction(sum, UInt64),
        pageviews SimpleAggregateFunction(sum, UInt64),
        visitors AggregateFunction(uniqCombined, UInt64)
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, is_bot, device_type, os, browser, browser_version, bot_name)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.clients_daily_mv TO ${db}.clients_daily AS
       SELECT site, toDate(ts) AS day, browser, browser_version, os, device_type, is_bot, bot_name,
         count() AS hits,
         countIf(is_page = 1) AS pageviews,
         uniqCombinedState(visitor_id) AS visitors
       FROM ${db}.requests GROUP BY site, day, browser, browser_version, os, device_type, is_bot, bot_name`,

      `CREATE VIEW IF NOT EXISTS ${db}.traffic_daily AS
       SELECT site, toDate(hour) AS day, sum(hits) AS hits, sum(pageviews) AS pageviews, sum(visits) AS visits,
         uniqCombinedMerge(visitors) AS visitors, sum(bytes) AS bytes, sum(status_4xx) AS status_4xx,
         sum(status_5xx) AS status_5xx, sum(bot_hits) AS bot_hits
       FROM ${db}.traffic_hourly GROUP BY site, day`,

      `CREATE TABLE IF NOT EXISTS ${db}.ingest_runs (
        run_id UUID,
        started DateTime('UTC'),
        finished DateTime('UTC'),
        siftlog_version String,
        inputs UInt32,
        lines_read UInt64,
        parsed UInt64,
        rejected UInt64,
        rows_written UInt64
      ) ENGINE = MergeTree ORDER BY started`,
      `CREATE TABLE IF NOT EXISTS ${db}.ingest_files (
        run_id UUID,
        input String,
        format LowCardinality(String),
        lines_read UInt64,
        parsed UInt64,
        rejected UInt64,
        error String
      ) ENGINE = MergeTree ORDER BY (run_id, input)`,
    ],
  },
  {
    version: 3,
    description: 'search keywords from search-engine referrers (scrubbed at the privacy boundary)',
    statements: [
      `ALTER TABLE ${db}.requests ADD COLUMN IF NOT EXISTS search_terms String DEFAULT ''
        COMMENT 'keywords a known search engine put in the referrer, scrubbed; the rest of the referrer is dropped'`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
