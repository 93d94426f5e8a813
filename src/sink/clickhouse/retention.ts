import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE } from './schema.js';
import { TREND_TABLES } from './trends.js';

export interface RetentionPolicy {
  /** Days of `requests` kept, today (UTC) included. */
  requestsDays?: number;
  /** Days of trend tables kept: a month partition goes once its last day is older. */
  trendsDays?: number;
}

export interface Dropped {
  /** Partition ids dropped, by table. */
  [table: string]: string[];
}

/**
 * Drops the partitions past the retention: days of `requests` and `visits` (partitioned by day) and the
 * day-start visit states of those days, whole months of the trend tables (partitioned by month). Dropping a partition is atomic and doing it again changes nothing,
 * so a run that dies half-way through is simply finished by the next one.
 */
export async function applyRetention(client: ClickHouseClient, policy: RetentionPolicy, now: number = Date.now()): Promise<Dropped> {
  const dropped: Dropped = {};
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
  if (policy.requestsDays !== undefined) {
    const oldestKept = day(now - (policy.requestsDays - 1) * 86_400_000);
    dropped.requests = await dropBefore(client, 'requests', oldestKept);
    // Visits are rows per visitor and day like requests (partitioned by their first request's day): they go
    // with them. The state a day started with is only there to run that day again, which needs its requests.
    dropped.visits = await dropBefore(client, 'visits', oldestKept);
    const kept = `${oldestKept.slice(0, 4)}-${oldestKept.slice(4, 6)}-${oldestKept.slice(6)}`;
    await client.command({ query: `DELETE FROM ${DATABASE}.visit_state WHERE day != '' AND day < {kept:String}`, query_params: { kept } });
  }
  if (policy.trendsDays !== undefined) {
    // A month partition holds days up to its end: it goes once the month before the oldest kept day's month is past.
    const oldestKeptMonth = day(now - (policy.trendsDays - 1) * 86_400_000).slice(0, 6);
    for (const trend of TREND_TABLES) dropped[trend.name] = await dropBefore(client, trend.name, oldestKeptMonth);
  }
  return dropped;
}

async function dropBefore(client: ClickHouseClient, table: string, oldestKept: string): Promise<string[]> {
  const rows = await (await client.query({
    query: `SELECT DISTINCT partition_id FROM system.parts
            WHERE database = {db:String} AND table = {table:String} AND active AND partition_id < {kept:String}
            ORDER BY partition_id`,
    query_params: { db: DATABASE, table, kept: oldestKept }, format: 'JSONEachRow',
  })).json<{ partition_id: string }>();
  for (const { partition_id } of rows) {
    if (!/^\d+$/.test(partition_id)) continue;
    await client.command({ query: `ALTER TABLE ${DATABASE}.${table} DROP PARTITION ID '${partition_id}'` });
  }
  return rows.map((r) => r.partition_id);
}
