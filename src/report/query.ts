import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE } from '../sink/clickhouse/schema.js';
import type { Period } from './period.js';

/**
 * How sections ask their questions. Site and days travel as bound query parameters, never spliced into
 * the SQL; the SQL itself is made only of constants written in the section files.
 */
export interface ReportScope {
  /** null: every site together. */
  site: string | null;
  period: Period;
  previous: Period;
}

/** Bound as {site:String}: '' stands for every site. */
export const SITE_FILTER = `({site:String} = '' OR site = {site:String})`;

/** Conditions on a day column (or a Date expression such as toDate(hour)). */
export const inPeriod = (day: string) => `${day} BETWEEN {from:Date} AND {to:Date}`;
export const inPrevious = (day: string) => `${day} BETWEEN {prev_from:Date} AND {prev_to:Date}`;
/** Both periods: the previous one ends the day before the period starts. */
export const inBoth = (day: string) => `${day} BETWEEN {prev_from:Date} AND {to:Date}`;

export const table = (name: string) => `${DATABASE}.${name}`;

export class ReportQuery {
  constructor(private readonly client: ClickHouseClient, readonly scope: ReportScope) {}

  /** The parameters every report query may use. */
  get params(): Record<string, string> {
    const { site, period, previous } = this.scope;
    return { site: site ?? '', from: period.from, to: period.to, prev_from: previous.from, prev_to: previous.to };
  }

  async rows<T>(query: string, params: Record<string, string | number | readonly string[]> = {}): Promise<T[]> {
    // No settings here: a read-only role (readonly=1) may not change any. Counts come back as strings
    // (UInt64 in JSON); sections read them with num().
    const result = await this.client.query({ query, format: 'JSONEachRow', query_params: { ...this.params, ...params } });
    return result.json<T>();
  }
}

/** Tables and views of the siftlog database that this store has. */
export async function tablesOf(client: ClickHouseClient): Promise<Set<string>> {
  const result = await client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String}', format: 'JSONEachRow', query_params: { db: DATABASE },
  });
  return new Set((await result.json<{ name: string }>()).map((r) => r.name));
}

/** A count as ClickHouse's JSON gives it (UInt64 quoted, UInt32 not) as a number. */
export function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number in a report query result: ${String(value)}`);
  return n;
}

/** A value that may be unknown (a rate over nothing, a percentile of no timed request): null stays null. */
export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}
