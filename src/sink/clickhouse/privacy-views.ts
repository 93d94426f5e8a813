import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE } from './schema.js';

/**
 * Views over `requests` that name a company or a network. Each hides every group with fewer than k distinct
 * visitors in its period, so no view can single out the one employee of a small firm or the one household
 * on a /24. They are re-created whenever the store is opened for ingest, so a change of
 * `privacy.small_group_k` applies at once. Visitors are distinct daily ids: over a month, a person who came
 * on three days counts three times (ids are not linkable across days).
 */
const db = DATABASE;

const MEASURES = `count() AS hits,
    countIf(is_page = 1 AND is_bot = 0) AS pageviews,
    uniqExact(visitor_id) AS visitors`;

/** [view name, period expression, group columns, filter] */
const VIEWS: ReadonlyArray<readonly [string, string, string]> = [
  ['companies_daily', 'toDate(ts)', 'asn, org'],
  ['companies_monthly', 'toStartOfMonth(ts)', 'asn, org'],
  ['networks_daily', 'toDate(ts)', 'client_net, asn, org'],
  ['networks_monthly', 'toStartOfMonth(ts)', 'client_net, asn, org'],
];

/** The statements that (re)create the small-group views for a given k. */
export function privacyViewStatements(k: number): string[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`small_group_k must be a whole number of 1 or more, not ${k}`);
  const statements = VIEWS.map(([name, period, groups]) => `CREATE OR REPLACE VIEW ${db}.${name} AS
    SELECT site, ${period} AS ${name.endsWith('daily') ? 'day' : 'month'}, ${groups},
    ${MEASURES}
    FROM ${db}.requests
    GROUP BY site, ${name.endsWith('daily') ? 'day' : 'month'}, ${groups}
    HAVING visitors >= ${k}`);
  // Any period: SELECT * FROM siftlog.companies_between(first = '2024-05-01', last = '2024-05-31')
  statements.push(`CREATE OR REPLACE VIEW ${db}.companies_between AS
    SELECT site, asn, org, ${MEASURES}
    FROM ${db}.requests
    WHERE toDate(ts) BETWEEN {first:Date} AND {last:Date}
    GROUP BY site, asn, org
    HAVING visitors >= ${k}`);
  return statements;
}

export async function createPrivacyViews(client: ClickHouseClient, k: number): Promise<void> {
  for (const statement of privacyViewStatements(k)) await client.command({ query: statement });
}
