import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE } from './schema.js';

/**
 * Views that name a company or a network, over the company trend table and `requests`. Each hides every group with fewer than k distinct
 * visitors in its period, so no view can single out the one employee of a small firm or the one household
 * on a /24. They are re-created whenever the store is opened for ingest, so a change of
 * `privacy.small_group_k` applies at once. Visitors are distinct daily ids: over a month, a person who came
 * on three days counts three times (ids are not linkable across days).
 *
 * `SQL SECURITY DEFINER`: a reader of a view reads it with the rights of the view's creator (siftlog's
 * writer), so the read-only role (grants.ts) is granted the views without any right on `requests` or
 * `companies_daily_state` below them. Without it ClickHouse checks the reader's rights on those tables.
 */
const db = DATABASE;

const MEASURES = `count() AS hits,
    countIf(is_page = 1 AND is_bot = 0) AS pageviews,
    uniqExact(visitor_id) AS visitors`;

/** Finished measures of the company trend table (companies_daily_state, fed by a materialized view). */
const COMPANY_MEASURES = `sum(hits) AS hits, sum(pageviews) AS pageviews, sum(visits) AS visits,
    uniqCombinedMerge(visitors) AS visitors, sum(bot_hits) AS bot_hits`;
const COMPANY_GROUPS = 'org_category, org, asn, org_domain';

/** The statements that (re)create the small-group views for a given k. */
export function privacyViewStatements(k: number): string[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`small_group_k must be a whole number of 1 or more, not ${k}`);
  const statements: string[] = [];
  // Companies come from the trend table, so they outlive `requests` retention.
  for (const [name, period, column] of [['companies_daily', 'day', 'day'], ['companies_monthly', 'toStartOfMonth(day)', 'month']]) {
    statements.push(`CREATE OR REPLACE VIEW ${db}.${name} SQL SECURITY DEFINER AS
    SELECT site, ${period} AS ${column}, ${COMPANY_GROUPS}, ${COMPANY_MEASURES}
    FROM ${db}.companies_daily_state
    GROUP BY site, ${column}, ${COMPANY_GROUPS}
    HAVING visitors >= ${k}`);
  }
  // Any period: SELECT * FROM siftlog.companies_between(first = '2024-05-01', last = '2024-05-31')
  statements.push(`CREATE OR REPLACE VIEW ${db}.companies_between SQL SECURITY DEFINER AS
    SELECT site, ${COMPANY_GROUPS}, ${COMPANY_MEASURES}
    FROM ${db}.companies_daily_state
    WHERE day BETWEEN {first:Date} AND {last:Date}
    GROUP BY site, ${COMPANY_GROUPS}
    HAVING visitors >= ${k}`);
  // Networks exist only per request.
  for (const [name, period, column] of [['networks_daily', 'toDate(ts)', 'day'], ['networks_monthly', 'toStartOfMonth(ts)', 'month']]) {
    statements.push(`CREATE OR REPLACE VIEW ${db}.${name} SQL SECURITY DEFINER AS
    SELECT site, ${period} AS ${column}, client_net, asn, org, ${MEASURES}
    FROM ${db}.requests
    GROUP BY site, ${column}, client_net, asn, org
    HAVING visitors >= ${k}`);
  }
  return statements;
}

export async function createPrivacyViews(client: ClickHouseClient, k: number): Promise<void> {
  for (const statement of privacyViewStatements(k)) await client.command({ query: statement });
}
