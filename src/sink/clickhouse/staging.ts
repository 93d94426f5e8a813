import type { ClickHouseClient } from '@clickhouse/client';
import { columnsDdl, REQUEST_COLUMN_NAMES } from './columns.js';
import { DATABASE, STAGING_DATABASE } from './schema.js';

/**
 * A run's staging area: tables in the database `siftlog_staging` that readers never look at, named
 * `<table>__<run id without dashes>`. The run's rows go to its copy of `requests` (same structure,
 * partitions and order as `requests`, so a partition can be swapped from one to the other); publish.ts
 * builds the other tables' copies there and swaps them in. Dropped once the run is published or has
 * failed; a run that died leaves its staging to be cleaned (or rolled forward) by the next one (runs.ts).
 */
export class Staging {
  private constructor(private readonly client: ClickHouseClient, readonly runId: string) {}

  /** The staging copy of a production table (`siftlog_staging.<table>__<run>`). */
  table(name: string): string {
    return stagingTable(name, this.runId);
  }

  /** Where the run's rows of `requests` are staged. */
  get requests(): string {
    return this.table('requests');
  }

  /** Where the run's `visits` rows are staged, before the publish keeps one row per visit. */
  get visitsRun(): string {
    return this.table('visits_run');
  }

  /** Where the run's visit states (the end state, day-start states) are staged. */
  get visitStateRun(): string {
    return this.table('visit_state_run');
  }

  /**
   * Where the writer inserts TabSeparated batches: a Null table with the columns of `requests` in plain
   * types (String, not LowCardinality(String)) and a materialized view that passes each block on to the
   * staging copy of `requests`. ClickHouse reads text into a LowCardinality column one value at a time;
   * read as String and cast a whole column at a time, the same 300k rows went in at ~99k rows/s instead
   * of ~57k (measured on the embedded engine, this project's 2-core machine). A columnar encoder
   * (Native) would write `requests` directly.
   */
  get tabSeparatedInput(): string {
    return this.table('requests_input');
  }

  /** Creates the run's staging copy of `requests` and the input table that feeds it. */
  static async create(client: ClickHouseClient, runId: string): Promise<Staging> {
    const staging = new Staging(client, runId);
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${STAGING_DATABASE}` });
    await staging.copyOf('requests');
    // The run's visit rows and visit state (sessions/), merged with the published ones by the publish.
    await client.command({ query: `CREATE TABLE IF NOT EXISTS ${staging.visitsRun} AS ${DATABASE}.visits` });
    await client.command({ query: `CREATE TABLE IF NOT EXISTS ${staging.visitStateRun} AS ${DATABASE}.visit_state` });
    await client.command({ query: `CREATE TABLE IF NOT EXISTS ${staging.tabSeparatedInput} (${columnsDdl({ plain: true })}) ENGINE = Null` });
    await client.command({
      query: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${staging.table('requests_input_mv')} TO ${staging.requests}
              AS SELECT ${REQUEST_COLUMN_NAMES.join(', ')} FROM ${staging.tabSeparatedInput}`,
    });
    return staging;
  }

  /** Reopens the staging area of a run that died during its publish (runs.ts rolls it forward). */
  static of(client: ClickHouseClient, runId: string): Staging {
    return new Staging(client, runId);
  }

  /** An empty staging table with the structure, engine and partitions of the production table. */
  async copyOf(name: string): Promise<string> {
    const table = this.table(name);
    await this.client.command({ query: `CREATE TABLE IF NOT EXISTS ${table} AS ${DATABASE}.${name}` });
    return table;
  }

  /** Drops every staging table of the run. */
  async drop(): Promise<void> {
    await dropStaging(this.client, this.runId);
  }
}

const SUFFIX = /^(.+)__([0-9a-f]{32})$/;

export function stagingTable(name: string, runId: string): string {
  return `${STAGING_DATABASE}.${name}__${runId.replace(/-/g, '')}`;
}

/** The runs that have staging tables, by run id. */
export async function stagedRuns(client: ClickHouseClient): Promise<Set<string>> {
  const rows = await (await client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String}', query_params: { db: STAGING_DATABASE }, format: 'JSONEachRow',
  })).json<{ name: string }>();
  const runs = new Set<string>();
  for (const { name } of rows) {
    const match = SUFFIX.exec(name);
    if (match) runs.add(runIdOf(match[2]));
  }
  return runs;
}

/** Drops the staging tables of a run: views first (they name the tables they feed). */
export async function dropStaging(client: ClickHouseClient, runId: string): Promise<void> {
  const suffix = `__${runId.replace(/-/g, '')}`;
  const rows = await (await client.query({
    query: `SELECT name, engine FROM system.tables WHERE database = {db:String} AND endsWith(name, {suffix:String})
            ORDER BY engine = 'MaterializedView' DESC`,
    query_params: { db: STAGING_DATABASE, suffix }, format: 'JSONEachRow',
  })).json<{ name: string; engine: string }>();
  for (const { name } of rows) {
    await client.command({ query: `DROP TABLE IF EXISTS ${STAGING_DATABASE}.\`${name}\` SYNC` });
  }
}

function runIdOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
