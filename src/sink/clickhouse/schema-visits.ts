import type { ClickHouseClient } from '@clickhouse/client';
import type { Migration } from './schema.js';

/**
 * Migration 6 (issue 12, issue 15's columns): visits, response times, goals, e-mail opens and clicks, client
 * classes. In a file of its own to keep schema.ts short; `db` is the database (schema.ts DATABASE), given
 * rather than imported so the two modules do not import each other's values.
 */
export function visitsMigration(db: string): Migration {
  return {
    version: 6,
    description: 'visits, response times, goals, e-mail opens and clicks, client classes (issue 12, issue 15): new requests columns, '
      + 'the visits table and the open-visit state, visit measures in traffic_hourly and pages_daily, goals_daily, email_daily, responses_hourly',
    statements: [
      // Rows of earlier versions take their class from is_bot (written as "not a person" by the stopgap before
      // this migration, as "a bot" by 0.1.0): the best guess either way.
      `ALTER TABLE ${db}.requests
        ADD COLUMN IF NOT EXISTS client_class LowCardinality(String) DEFAULT if(is_bot = 1, 'bot', '')
          COMMENT 'browser, app, library, feed_reader, bot, unknown',
        ADD COLUMN IF NOT EXISTS is_person UInt8 DEFAULT 1 - is_bot
          COMMENT 'a class counted as people (enrich.people): visitors, visits and page views count these',
        ADD COLUMN IF NOT EXISTS duration_ms Nullable(Float32) COMMENT 'server time in ms; NULL when the format logs none',
        ADD COLUMN IF NOT EXISTS email_kind LowCardinality(String) COMMENT 'open, click or empty',
        ADD COLUMN IF NOT EXISTS email_campaign LowCardinality(String),
        ADD COLUMN IF NOT EXISTS email_recipient UInt64 COMMENT 'keyed daily hash of (site, campaign, recipient); 0: none',
        ADD COLUMN IF NOT EXISTS email_link String COMMENT 'click target: scheme, host and path, scrubbed'`,
      `ALTER TABLE ${db}.requests COMMENT COLUMN is_bot 'client class is bot'`,
      `ALTER TABLE ${db}.ingest_run_log
        ADD COLUMN IF NOT EXISTS excluded Map(String, UInt64) COMMENT 'lines left out by exclude: rules, by rule (networks[0], paths[1]…)',
        ADD COLUMN IF NOT EXISTS visits UInt64 COMMENT 'visit rows the run emitted (provisional ones included)',
        ADD COLUMN IF NOT EXISTS late_hits UInt64 COMMENT 'requests that came past the reordering bound',
        ADD COLUMN IF NOT EXISTS late_visits UInt64 COMMENT 'visits late requests started: the most the visit count may be too high'`,

      `CREATE TABLE IF NOT EXISTS ${db}.visits (
        site LowCardinality(String),
        visitor_id UInt64 COMMENT 'visitor id of the day the visit started',
        start DateTime('UTC'),
        end DateTime('UTC'),
        duration UInt32 COMMENT 'seconds from the first to the last request',
        pageviews UInt32,
        hits UInt32,
        entry_page String,
        exit_page String,
        bounce UInt8 COMMENT 'exactly one page view',
        referrer_class LowCardinality(String),
        referrer_source LowCardinality(String),
        referrer_host LowCardinality(String),
        search_keyword String,
        utm_source LowCardinality(String),
        utm_medium LowCardinality(String),
        utm_campaign LowCardinality(String),
        utm_term LowCardinality(String),
        utm_content LowCardinality(String),
        country LowCardinality(String),
        org LowCardinality(String),
        org_category LowCardinality(String),
        browser LowCardinality(String),
        os LowCardinality(String),
        device_type LowCardinality(String),
        is_bot UInt8,
        is_person UInt8 COMMENT 'a client class the pipeline counts as people (enrich.people)',
        goals Array(LowCardinality(String)) COMMENT 'goals reached, in the order reached',
        late_hits UInt32 COMMENT 'requests placed out of order, past the reordering bound',
        is_open UInt8 COMMENT 'provisional: still open when its run ended',
        run_id UUID
      ) ENGINE = MergeTree
      PARTITION BY toYYYYMMDD(start)
      ORDER BY (site, start, visitor_id)`,

      // The visits still open when the last run ended (day ''), and the state each day started with (day
      // 'YYYY-MM-DD'), from which that day alone can be re-run. Replaced whole with every publish.
      `CREATE TABLE IF NOT EXISTS ${db}.visit_state (
        day String COMMENT 'empty: the state the latest run ended with; a day (YYYY-MM-DD): the state that day started with',
        released_up_to Int64 COMMENT 'ms: requests up to here were released; an earlier one in a later run is late',
        state String COMMENT 'JSON (sessions/state.ts): open visits, first-day visitor ids, carry keys; no address or agent',
        run_id UUID
      ) ENGINE = MergeTree
      PARTITION BY tuple()
      ORDER BY day`,

      `ALTER TABLE ${db}.traffic_hourly
        ADD COLUMN IF NOT EXISTS page_visits SimpleAggregateFunction(sum, UInt64) COMMENT 'visits with a page view',
        ADD COLUMN IF NOT EXISTS bounces SimpleAggregateFunction(sum, UInt64) COMMENT 'visits of exactly one page view',
        ADD COLUMN IF NOT EXISTS visit_seconds_sum SimpleAggregateFunction(sum, UInt64),
        ADD COLUMN IF NOT EXISTS visit_seconds AggregateFunction(quantileTiming, UInt32) COMMENT 'durations of visits with a page view'`,
      `ALTER TABLE ${db}.pages_daily
        ADD COLUMN IF NOT EXISTS exits SimpleAggregateFunction(sum, UInt64) COMMENT 'visits whose last page view this was',
        ADD COLUMN IF NOT EXISTS bounces SimpleAggregateFunction(sum, UInt64) COMMENT 'visits that entered here and viewed nothing else'`,
      // The class is in the key: bots, libraries and feed readers keep their hits apart from people's.
      `ALTER TABLE ${db}.clients_daily
        ADD COLUMN IF NOT EXISTS client_class LowCardinality(String) DEFAULT if(is_bot = 1, 'bot', ''),
        ADD COLUMN IF NOT EXISTS is_person UInt8 DEFAULT 1 - is_bot`,
      `CREATE VIEW IF NOT EXISTS ${db}.traffic_daily_visits AS
       SELECT site, toDate(hour) AS day, sum(page_visits) AS page_visits, sum(bounces) AS bounces,
         sum(visit_seconds_sum) AS visit_seconds_sum, quantileTimingMerge(0.5)(visit_seconds) AS median_visit_seconds
       FROM ${db}.traffic_hourly GROUP BY site, day`,

      `CREATE TABLE IF NOT EXISTS ${db}.goals_daily (
        site LowCardinality(String),
        day Date,
        goal LowCardinality(String),
        entry_page String,
        referrer_class LowCardinality(String),
        referrer_source LowCardinality(String),
        search_keyword String,
        utm_source LowCardinality(String),
        utm_medium LowCardinality(String),
        utm_campaign LowCardinality(String),
        first_entry_page String COMMENT 'of the first visit that day of the same visitor',
        first_referrer_class LowCardinality(String),
        first_referrer_source LowCardinality(String),
        first_search_keyword String,
        first_utm_source LowCardinality(String),
        first_utm_medium LowCardinality(String),
        first_utm_campaign LowCardinality(String),
        visits SimpleAggregateFunction(sum, UInt64),
        conversions SimpleAggregateFunction(sum, UInt64) COMMENT 'visits that reached the goal',
        converters AggregateFunction(uniqCombined, UInt64) COMMENT 'visitors with a visit that reached the goal'
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, goal, referrer_class, referrer_source, utm_campaign, entry_page, search_keyword, utm_source, utm_medium,
        first_referrer_class, first_referrer_source, first_utm_campaign, first_entry_page, first_search_keyword, first_utm_source,
        first_utm_medium)`,

      `CREATE TABLE IF NOT EXISTS ${db}.responses_hourly (
        site LowCardinality(String),
        hour DateTime('UTC'),
        path String,
        status_class LowCardinality(String) COMMENT '1xx to 5xx',
        hits SimpleAggregateFunction(sum, UInt64),
        timed SimpleAggregateFunction(sum, UInt64) COMMENT 'requests with a logged duration',
        response_ms_sum SimpleAggregateFunction(sum, Float64),
        response_ms AggregateFunction(quantileTiming, Float32) COMMENT 'merge with quantilesTimingMerge(0.5, 0.9, 0.99)'
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(hour)
      ORDER BY (site, hour, path, status_class)`,

      `CREATE TABLE IF NOT EXISTS ${db}.email_daily (
        site LowCardinality(String),
        day Date,
        campaign LowCardinality(String),
        link String COMMENT 'clicks: where the link leads; empty for opens',
        opens SimpleAggregateFunction(sum, UInt64),
        openers AggregateFunction(uniqCombined, UInt64) COMMENT 'keyed daily hashes, never the recipient',
        clicks SimpleAggregateFunction(sum, UInt64),
        clickers AggregateFunction(uniqCombined, UInt64) COMMENT 'keyed daily hashes, never the recipient'
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, campaign, link)`,
    ],
    apply: async (client) => {
      await classInClientsKey(client, db);
    },
  };
}

/**
 * Puts the client class into clients_daily's key (its rows would otherwise merge people with libraries of
 * the same browser name). A sorting key may only grow by columns added in the same ALTER, so the class
 * columns were added without it and the key is changed here, once: the table is rebuilt under a new name
 * and swapped with the old one.
 */
async function classInClientsKey(client: ClickHouseClient, db: string): Promise<void> {
  const key = await (await client.query({
    query: 'SELECT sorting_key FROM system.tables WHERE database = {db:String} AND name = \'clients_daily\'',
    query_params: { db }, format: 'JSONEachRow',
  })).json<{ sorting_key: string }>();
  if (key.length === 0 || key[0].sorting_key.includes('client_class')) return;
  await client.command({ query: `DROP TABLE IF EXISTS ${db}.clients_daily_v6` });
  await client.command({
    query: `CREATE TABLE ${db}.clients_daily_v6 (
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
        visitors AggregateFunction(uniqCombined, UInt64),
        client_class LowCardinality(String),
        is_person UInt8
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toYYYYMM(day)
      ORDER BY (site, day, is_bot, device_type, os, browser, browser_version, bot_name, client_class, is_person)`,
  });
  await client.command({
    query: `INSERT INTO ${db}.clients_daily_v6 SELECT site, day, browser, browser_version, os, device_type, is_bot, bot_name, hits, pageviews,
              visitors, client_class, is_person FROM ${db}.clients_daily`,
    clickhouse_settings: { max_partitions_per_insert_block: '0' },
  });
  await client.command({ query: `EXCHANGE TABLES ${db}.clients_daily AND ${db}.clients_daily_v6` });
  await client.command({ query: `DROP TABLE ${db}.clients_daily_v6` });
}

