import { type DatabaseNames, DEFAULT_NAMES, SECRETS_DATABASE } from './database-names.js';
import { reads, rename, type SchemaObject } from './ddl.js';
import { DATABASE, STAGING_DATABASE } from './schema.js';
import { TREND_TABLES } from './trends.js';

/**
 * Roles for a ClickHouse server, rendered from the schema (ddl.ts) so that tables added later come out:
 *
 * - `siftlog_writer`, for `siftlog ingest` / `nightly`: everything on the store's databases (main, staging,
 *   secrets) that the load path uses, and `CLUSTER` on a cluster.
 * - `siftlog_reader`, for dashboards and `siftlog report`: SELECT on the trend tables, the privacy views and
 *   the views that read only what it may read, and on `requests` every column but the client network and
 *   the visitor id. Never the shared salts (`siftlog_secrets`), the staging, the run log, nor the raw
 *   company table below the small-group rule. Its settings profile sets `readonly = 2`: queries may set
 *   settings (Grafana sets `max_execution_time`), nothing can be written.
 *
 * The privacy views read `requests` and `companies_daily_state` with their creator's rights (`SQL SECURITY
 * DEFINER`, privacy-views.ts), so the reader needs no right on those tables to read the views.
 */
export const WRITER_ROLE = 'siftlog_writer';
export const READER_ROLE = 'siftlog_reader';

/** Tables the reader is never granted, and why (the rendered SQL says it too). */
export const NOT_FOR_READERS: Readonly<Record<string, string>> = {
  companies_daily_state: 'companies below the small-group rule: read companies_daily, companies_monthly, companies_between',
  ingest_files: 'the run log: input paths and counts, for the writer',
  ingest_run_log: 'the run log, for the writer',
  ingest_runs: 'the run log, for the writer',
  schema_migrations: 'the writer\'s record of the schema',
};

/** Columns of `requests` the reader is not granted. */
export const REQUESTS_HIDDEN_COLUMNS: Readonly<Record<string, string>> = {
  client_net: 'the client\'s network (/24 or /48): read networks_daily, networks_monthly (small-group rule)',
  visitor_id: 'links one visitor\'s requests within a day: visitor counts are in the trend tables',
};

export interface GrantOptions {
  cluster?: string;
  names?: DatabaseNames;
  /** The columns of `requests` (from the schema), for the reader's column grant. */
  requestsColumns: readonly string[];
}

/** What the reader may SELECT, and what it may not with the reason, from the schema objects. */
export function readerTables(objects: readonly SchemaObject[]): { granted: string[]; refused: Array<{ name: string; why: string }> } {
  const trend = new Set(TREND_TABLES.map((t) => t.name));
  const granted = new Set<string>();
  const refused: Array<{ name: string; why: string }> = [];
  for (const object of objects) {
    const why = NOT_FOR_READERS[object.name];
    if (why !== undefined) {
      refused.push({ name: object.name, why });
    } else if (object.name === 'requests') {
      // A column grant of its own.
    } else if (trend.has(object.name)) {
      granted.add(object.name);
    } else if (object.engine === 'View') {
      // A definer's view keeps its own rules (privacy-views.ts); any other view reads with the reader's
      // rights, so it is granted when everything it reads is.
      const definer = /\bSQL SECURITY DEFINER\b/.test(object.create);
      const sources = objects.filter((o) => o !== object && reads(object, o.name));
      if (definer || sources.every((s) => granted.has(s.name))) granted.add(object.name);
      else refused.push({ name: object.name, why: `reads ${sources.filter((s) => !granted.has(s.name)).map((s) => s.name).join(', ')}` });
    } else {
      refused.push({ name: object.name, why: 'not a trend table: granted only when siftlog says so (grants.ts)' });
    }
  }
  return { granted: [...granted], refused };
}

/** CREATE ROLE / SETTINGS PROFILE / GRANT statements for the writer and the reader. */
export function renderGrants(objects: readonly SchemaObject[], options: GrantOptions): string[] {
  const on = options.cluster === undefined ? '' : ` ON CLUSTER ${options.cluster}`;
  const out: string[] = [
    `CREATE ROLE IF NOT EXISTS ${WRITER_ROLE}${on}`,
    `CREATE ROLE IF NOT EXISTS ${READER_ROLE}${on}`,
  ];
  const writes = 'SELECT, INSERT, ALTER, CREATE TABLE, CREATE VIEW, DROP TABLE, DROP VIEW, TRUNCATE, OPTIMIZE, SHOW TABLES';
  for (const db of [DATABASE, STAGING_DATABASE, SECRETS_DATABASE]) {
    out.push(`GRANT${on} CREATE DATABASE, ${writes} ON ${db}.* TO ${WRITER_ROLE}`);
  }
  // The load path reads parts and tables of its databases (publish.ts, retention.ts, staging.ts).
  out.push(`GRANT${on} SELECT ON system.parts TO ${WRITER_ROLE}`);
  if (options.cluster !== undefined) out.push(`GRANT${on} CLUSTER ON *.* TO ${WRITER_ROLE}`);

  out.push(`CREATE SETTINGS PROFILE IF NOT EXISTS ${READER_ROLE}${on} SETTINGS readonly = 2 TO ${READER_ROLE}`);
  const { granted } = readerTables(objects);
  for (const name of granted.sort()) out.push(`GRANT${on} SELECT ON ${DATABASE}.${name} TO ${READER_ROLE}`);
  if (options.cluster !== undefined) {
    // A Distributed table reads its shards' local tables as the querying user.
    for (const name of granted.filter((n) => objects.some((o) => o.name === n && o.engine !== 'View')).sort()) {
      out.push(`GRANT${on} SELECT ON ${DATABASE}.${name}_local TO ${READER_ROLE}`);
    }
  }
  const columns = options.requestsColumns.filter((c) => REQUESTS_HIDDEN_COLUMNS[c] === undefined);
  if (columns.length > 0) {
    out.push(`GRANT${on} SELECT(${columns.join(', ')}) ON ${DATABASE}.requests TO ${READER_ROLE}`);
    if (options.cluster !== undefined) out.push(`GRANT${on} SELECT(${columns.join(', ')}) ON ${DATABASE}.requests_local TO ${READER_ROLE}`);
  }
  return rename(out, options.names ?? DEFAULT_NAMES);
}

/** The comments printed above the grants: what the reader does not get and how to give the roles to users. */
export function grantNotes(objects: readonly SchemaObject[], names: DatabaseNames = DEFAULT_NAMES): string[] {
  const { refused } = readerTables(objects);
  return [
    `-- ${WRITER_ROLE}: siftlog ingest and nightly. ${READER_ROLE}: dashboards (Grafana) and siftlog report, read-only.`,
    `-- ${READER_ROLE} is not granted:`,
    `--   ${names.secrets}.* (the shared daily salts) and ${names.staging}.* (runs being loaded)`,
    ...Object.entries(REQUESTS_HIDDEN_COLUMNS).map(([column, why]) => `--   ${names.main}.requests.${column}: ${why}`),
    ...refused.map((r) => `--   ${names.main}.${r.name}: ${r.why}`),
    '-- Give the roles to users, e.g.:',
    `--   CREATE USER IF NOT EXISTS siftlog IDENTIFIED WITH sha256_password BY '…';`,
    `--   GRANT ${WRITER_ROLE} TO siftlog;`,
    `--   CREATE USER IF NOT EXISTS siftlog_dashboard IDENTIFIED WITH sha256_password BY '…';`,
    `--   GRANT ${READER_ROLE} TO siftlog_dashboard;`,
  ];
}
