import type { ClickHouseClient } from '@clickhouse/client';
import { visitsMigration } from './schema-visits.js';

/**
 * The ClickHouse schema, as numbered migrations applied in order on first use and recorded in
 * `siftlog.schema_migrations`. A migration is never edited once released: changes are new migrations.
 * Every step of a migration can run again after a crash half-way (IF NOT EXISTS, guarded copies).
 */
export const DATABASE = 'siftlog';

/** Where runs stage their rows until they publish them (staging.ts): readers never look there. */
export const STAGING_DATABASE = 'siftlog_staging';

export interface Migration {
  version: number;
  description: string;
  statements: string[];
  /** Steps that need to look at the store first; run after the statements. */
  apply?: (client: ClickHouseClient) => Promise<void>;
}

/** The counts every enrichment trend table keeps, human traffic apart from bots. */
const TREND_MEASURES = `hits SimpleAggregateFunction(sum, UInt64),
        pageviews SimpleAggregateFunction(sum, UInt64),
        visits SimpleAggregateFunction(sum, UInt64),
        visitors AggregateFunction(uniqCombined, UInt64),
        bot_hits SimpleAggregateFunction(sum, UInt64)`;
const TREND_SELECT = `count() AS hits,
         countIf(is_page = 1 AND is_bot = 0) AS pageviews,
         countIf(is_entry = 1 AND is_bot = 0) AS visits,
         uniqCombinedStateIf(visitor_id, is_bot = 0) AS visitors,
         countIf(is_bot = 1) AS bot_hits`;

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
    version: 2,
    description: 'enrichment: company domain/category/source, referrer class and search keyword, campaigns, language; geo, companies, sources and campaigns trend tables',
    statements: [
      `ALTER TABLE ${db}.requests
        ADD COLUMN IF NOT EXISTS org_domain LowCardinality(String),
        ADD COLUMN IF NOT EXISTS org_category LowCardinality(String) COMMENT 'isp, hosting, business, education, government, unknown',
        ADD COLUMN IF NOT EXISTS org_source LowCardinality(String) COMMENT 'registry (user), mmdb (MaxMind file), asn (public registry)',
        ADD COLUMN IF NOT EXISTS referrer_class LowCardinality(String) COMMENT 'direct, internal, search, social, email, other',
        ADD COLUMN IF NOT EXISTS referrer_source LowCardinality(String) COMMENT 'search engine, social network or mail service',
        ADD COLUMN IF NOT EXISTS search_keyword String COMMENT 'scrubbed of e-mails and addresses',
        ADD COLUMN IF NOT EXISTS utm_source LowCardinality(String),
        ADD COLUMN IF NOT EXISTS utm_medium LowCardinality(String),
        ADD COLUMN IF NOT EXISTS utm_campaign LowCardinality(String),
        ADD COLUMN IF NOT EXISTS utm_term String,
        ADD COLUMN IF NOT EXISTS utm_content String,
        ADD COLUMN IF NOT EXISTS language LowCardinality(String) COMMENT 'primary Accept-Language subtag when logged'`,

      `CREATE TABLE IF NOT EXISTS ${db}.geo_daily (
        site LowCardinality(String),
        day Date,
        country LowCardinality(String),
        region LowCardinality(String),
        city LowCardinality(String),
        ${TREND_MEASURES}
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, country, region, city)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.geo_daily_mv TO ${db}.geo_daily AS
       SELECT site, toDate(ts) AS day, country, region, city, ${TREND_SELECT}
       FROM ${db}.requests GROUP BY site, day, country, region, city`,

      // Requests whose network has no known organisation are left out: they are in geo_daily and traffic.
      // Users read it through the view companies_daily (privacy-views.ts), which hides groups under k visitors.
      `CREATE TABLE IF NOT EXISTS ${db}.companies_daily_state (
        site LowCardinality(String),
        day Date,
        org_category LowCardinality(String),
        org LowCardinality(String),
        asn UInt32,
        org_domain LowCardinality(String),
        ${TREND_MEASURES}
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, org_category, org, asn, org_domain)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.companies_daily_mv TO ${db}.companies_daily_state AS
       SELECT site, toDate(ts) AS day, org_category, org, asn, org_domain, ${TREND_SELECT}
       FROM ${db}.requests WHERE org != '' GROUP BY site, day, org_category, org, asn, org_domain`,

      // Internal referrers are navigation inside the site, not sources: left out.
      `CREATE TABLE IF NOT EXISTS ${db}.sources_daily (
        site LowCardinality(String),
        day Date,
        referrer_class LowCardinality(String),
        referrer_source LowCardinality(String),
        referrer_host LowCardinality(String),
        search_keyword String,
        ${TREND_MEASURES}
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, referrer_class, referrer_source, referrer_host, search_keyword)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.sources_daily_mv TO ${db}.sources_daily AS
       SELECT site, toDate(ts) AS day, referrer_class, referrer_source, referrer_host, search_keyword, ${TREND_SELECT}
       FROM ${db}.requests WHERE referrer_class != 'internal'
       GROUP BY site, day, referrer_class, referrer_source, referrer_host, search_keyword`,

      `CREATE TABLE IF NOT EXISTS ${db}.campaigns_daily (
        site LowCardinality(String),
        day Date,
        utm_source LowCardinality(String),
        utm_medium LowCardinality(String),
        utm_campaign LowCardinality(String),
        utm_term String,
        utm_content String,
        ${TREND_MEASURES}
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, utm_source, utm_medium, utm_campaign, utm_term, utm_content)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.campaigns_daily_mv TO ${db}.campaigns_daily AS
       SELECT site, toDate(ts) AS day, utm_source, utm_medium, utm_campaign, utm_term, utm_content, ${TREND_SELECT}
       FROM ${db}.requests WHERE utm_source != '' OR utm_medium != '' OR utm_campaign != ''
       GROUP BY site, day, utm_source, utm_medium, utm_campaign, utm_term, utm_content`,
    ],
  },
  // Version 3 was taken by a development branch (search_terms, folded into 2 as search_keyword): a store
  // that recorded it must still get this one.
  {
    version: 4,
    description: 'ingest_files: a fingerprint of each input\'s first lines, so a run skips what earlier runs loaded',
    statements: [
      `ALTER TABLE ${db}.ingest_files
        ADD COLUMN IF NOT EXISTS fingerprint String COMMENT 'SHA-256 of the first lines (up to 16): the content, not the name',
        ADD COLUMN IF NOT EXISTS already_loaded UInt64 COMMENT 'lines an earlier run had loaded, skipped by this one',
        ADD COLUMN IF NOT EXISTS recorded DateTime('UTC') DEFAULT now()`,
    ],
  },
  {
    version: 5,
    description: 'all or nothing: runs stage their rows and publish whole days; trend tables built per published day; a run log with statuses',
    statements: [
      `ALTER TABLE ${db}.requests
        ADD COLUMN IF NOT EXISTS input_fingerprint LowCardinality(String)
          COMMENT 'keyed fingerprint of the input the row came from: what a --force or a day re-run replaces'`,
      // Trend tables are now built when a day is published (publish.ts), no longer per insert block.
      ...['traffic_hourly', 'pages_daily', 'clients_daily', 'geo_daily', 'companies_daily', 'sources_daily', 'campaigns_daily']
        .map((name) => `DROP VIEW IF EXISTS ${db}.${name}_mv`),
      `DROP VIEW IF EXISTS ${db}.requests_input_mv`,
      `DROP TABLE IF EXISTS ${db}.requests_input`,
      `CREATE TABLE IF NOT EXISTS ${db}.ingest_run_log (
        run_id UUID,
        seq UInt32 COMMENT 'order of the run''s status rows: the highest is its status now',
        status LowCardinality(String) COMMENT 'staging, publishing, published, failed, interrupted',
        mode LowCardinality(String) COMMENT 'ingest, nightly or follow',
        started DateTime('UTC'),
        updated DateTime('UTC'),
        siftlog_version String,
        host String COMMENT 'the machine the run ran on, so a dead run can be told from a live one',
        pid UInt32,
        inputs UInt32,
        lines_read UInt64,
        parsed UInt64,
        rejected UInt64,
        rows_written UInt64,
        rows_replaced UInt64 COMMENT 'rows of earlier runs this run replaced (--force, a day run again)',
        days Array(Date) COMMENT 'UTC days the run published, or is publishing',
        tables Array(String) COMMENT 'tables whose partitions the publish swaps',
        scope String COMMENT 'JSON of the earlier rows the run replaces (input fingerprints, time window), for a roll forward',
        message String
      ) ENGINE = MergeTree ORDER BY (run_id, seq)`,
      `ALTER TABLE ${db}.ingest_files
        ADD COLUMN IF NOT EXISTS position String DEFAULT '' COMMENT '--follow: where reading stopped (file identity, byte, line)',
        ADD COLUMN IF NOT EXISTS window_from DateTime('UTC') DEFAULT 0 COMMENT 'nightly: the first instant of the days kept from the input',
        ADD COLUMN IF NOT EXISTS window_to DateTime('UTC') DEFAULT 0 COMMENT 'nightly: the end of those days; 0 when the input was loaded whole'`,
    ],
    apply: async (client) => {
      await moveRunsToLog(client);
      await fingerprintLegacyRows(client);
    },
  },
  visitsMigration(db),
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The latest status row of each run: what `siftlog runs` and the README's queries read. */
const RUNS_VIEW = `CREATE VIEW IF NOT EXISTS ${db}.ingest_runs AS
  SELECT run_id, status, mode, started, updated AS finished, siftlog_version, host, pid, inputs, lines_read, parsed, rejected,
    rows_written, rows_replaced, days, message
  FROM ${db}.ingest_run_log
  WHERE (run_id, seq) IN (SELECT run_id, max(seq) FROM ${db}.ingest_run_log GROUP BY run_id)`;

/**
 * Rows of siftlog 0.1.0 carry no input fingerprint. A run that read one input gives its rows that
 * input's fingerprint, so a later `--force` or day re-run replaces them; rows of a run that read several
 * inputs cannot be told apart and keep '' (a replacing run warns about them, publish.ts).
 */
async function fingerprintLegacyRows(client: ClickHouseClient): Promise<void> {
  const runs = await (await client.query({
    query: `SELECT toString(run_id) AS run, any(fingerprint) AS print FROM ${db}.ingest_files
            GROUP BY run_id HAVING count() = 1 AND print != ''
              AND run_id IN (SELECT DISTINCT run_id FROM ${db}.requests WHERE input_fingerprint = '')`,
    format: 'JSONEachRow',
  })).json<{ run: string; print: string }>();
  // Mutations are stored as text: the values are inlined, after checking they are what they claim to be.
  const safe = runs.filter((r) => /^[0-9a-f-]{36}$/.test(r.run) && /^[A-Za-z0-9_-]+$/.test(r.print));
  if (safe.length === 0) return;
  const list = (values: string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
  await client.command({
    query: `ALTER TABLE ${db}.requests UPDATE input_fingerprint = transform(toString(run_id), ${list(safe.map((r) => r.run))},
              ${list(safe.map((r) => r.print))}, '') WHERE input_fingerprint = ''`,
    clickhouse_settings: { mutations_sync: '2' },
  });
}

/**
 * siftlog 0.1.0 kept one row per finished run in the table `ingest_runs`; its runs become `published`
 * rows of the log, and `ingest_runs` becomes the view of each run's latest status.
 */
async function moveRunsToLog(client: ClickHouseClient): Promise<void> {
  const engine = await (await client.query({
    query: 'SELECT engine FROM system.tables WHERE database = {db:String} AND name = \'ingest_runs\'',
    query_params: { db }, format: 'JSONEachRow',
  })).json<{ engine: string }>();
  if (engine.length > 0 && engine[0].engine !== 'View') {
    await client.command({
      query: `INSERT INTO ${db}.ingest_run_log (run_id, seq, status, mode, started, updated, siftlog_version, inputs, lines_read, parsed,
          rejected, rows_written)
        SELECT run_id, 1, 'published', 'ingest', started, finished, siftlog_version, inputs, lines_read, parsed, rejected, rows_written
        FROM ${db}.ingest_runs WHERE run_id NOT IN (SELECT run_id FROM ${db}.ingest_run_log)`,
    });
    await client.command({ query: `DROP TABLE ${db}.ingest_runs` });
  }
  await client.command({ query: RUNS_VIEW });
}
