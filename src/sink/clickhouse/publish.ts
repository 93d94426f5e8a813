import type { ClickHouseClient } from '@clickhouse/client';
import { pauseAt } from './pause.js';
import type { InputRecord } from './provenance.js';
import { Provenance } from './provenance.js';
import type { RunRecorder } from './runs.js';
import { DATABASE } from './schema.js';
import type { Staging } from './staging.js';
import { chunkDays } from './day-chunks.js';
import { TREND_TABLES, type TrendTable, trendInsert, trendVisitsInsert } from './trends.js';

/**
 * Rows of earlier runs that this run replaces: those whose input fingerprint is one of `fingerprints`
 * (the fingerprints of the first 1…16 lines of each input this run read in full: the same content, at
 * whatever length an earlier run saw it), and, when given, whose time is in [from, to).
 * `--force` replaces everything earlier runs loaded from its inputs; `nightly` one day of them.
 */
export interface ReplaceScope {
  fingerprints: string[];
  /** Unix milliseconds, inclusive. */
  from?: number;
  /** Unix milliseconds, exclusive. */
  to?: number;
}

export interface PublishRequest {
  staging: Staging;
  /** null: the run only adds rows. */
  scope: ReplaceScope | null;
  /** The run's provenance: one row of `ingest_files` per input. */
  files: readonly InputRecord[];
  recorder: RunRecorder;
}

export interface PublishResult {
  /** UTC days (YYYY-MM-DD) whose partitions were swapped. */
  days: string[];
  /** Rows of earlier runs the scope removed. */
  rowsReplaced: number;
  /**
   * Staged rows left out because their day is past `requests` retention while the run replaces earlier
   * rows: that day's earlier rows are gone, so its trend rows could not be rebuilt without them.
   */
  expired: { rows: number; days: string[] };
  /**
   * Rows of siftlog 0.1.0 runs that loaded one of the scope's inputs together with other inputs: they
   * carry no input fingerprint, so they could not be replaced and were kept.
   */
  legacyKept: number;
}

/**
 * How a production table's partitions are named: one a day (YYYYMMDD), one a month (YYYYMM), or one for
 * the whole table (`PARTITION BY tuple()`, id 'all': state replaced whole with every publish, such as the
 * visits still open at the end of a run).
 */
type Granularity = 'day' | 'month' | 'all';

/** A table a publish swaps partitions of, and how its staging copy is built. */
interface PublishedTable {
  name: string;
  granularity: Granularity;
  build(plan: BuildPlan): Promise<void>;
}

interface BuildPlan {
  client: ClickHouseClient;
  staging: Staging;
  runId: string;
  scope: ReplaceScope | null;
  /** Days (YYYYMMDD) the publish touches: with new rows, with replaced rows, or both. */
  days: number[];
  /** Days whose earlier rows the scope touches: rebuilt whole. The others only gain the run's new rows. */
  rebuilt: number[];
  /** `days` in order, cut where the staged rows pass CHUNK_ROWS: a table is built one group of days at a time. */
  chunks: number[][];
}

const SETTINGS = { max_partitions_per_insert_block: '0' } as const;

/**
 * Publishes a run: every table's affected partitions are built in staging, then, with the run recorded
 * as `publishing`, swapped into production one `REPLACE PARTITION` at a time, and the run's provenance
 * and status `published` recorded. Nothing a reader sees changes before the swaps; if the process dies
 * during them, the next run finishes them from the same staging (rollForward), so a half-published day
 * lasts no longer than that.
 *
 * Per affected day D:
 * - requests(D) = the published rows of D, minus those the scope replaces, plus the run's rows of D;
 * - each trend table's month of D = its published rows, D's rows rebuilt from requests(D) when the scope
 *   replaced any of them, else D's rows plus the aggregates of the run's rows of D.
 */
export async function publish(client: ClickHouseClient, request: PublishRequest): Promise<PublishResult> {
  const { staging, scope, recorder } = request;
  const runId = staging.runId;
  const result: PublishResult = { days: [], rowsReplaced: 0, expired: { rows: 0, days: [] }, legacyKept: 0 };
  const stagedRows = await rowsByDay(client, staging.requests);
  let newDays = [...stagedRows.keys()].sort((a, b) => a - b);
  // A visit the run emits may have started on a day before its requests (carried across midnight or from
  // the previous run): that day's visits and visit measures are rebuilt too.
  const visitDays = await stagedVisitDays(client, staging);
  const replaced = scope === null ? new Map<number, number>() : await replacedRows(client, scope);
  if (scope !== null) {
    result.legacyKept = await legacyRows(client, scope);
    // A day whose requests retention has dropped while its trend rows remain cannot be rebuilt.
    const expired = await expiredDays(client, newDays);
    if (expired.length > 0) {
      result.expired = { rows: await countDays(client, staging.requests, expired), days: expired.map(dayString) };
      await client.command({
        query: `DELETE FROM ${staging.requests} WHERE toYYYYMMDD(ts) IN {days:Array(UInt32)}`, query_params: { days: expired },
      });
      newDays = newDays.filter((d) => !expired.includes(d));
    }
  }
  const days = [...new Set([...newDays, ...visitDays, ...replaced.keys()])].sort((a, b) => a - b);
  result.rowsReplaced = [...replaced.values()].reduce((a, b) => a + b, 0);
  result.days = days.map(dayString);
  // A rebuilt day reads its published rows too: the scope's share of them stands for their number.
  const rows = new Map([...days].map((d) => [d, (stagedRows.get(d) ?? 0) + (replaced.get(d) ?? 0)]));
  const plan: BuildPlan = {
    client, staging, runId, scope, days, rebuilt: [...replaced.keys()].sort((a, b) => a - b), chunks: chunkDays(days, rows),
  };
  if (days.length > 0) for (const table of PUBLISHED_TABLES) await table.build(plan);
  const filesTable = await staging.copyOf('ingest_files');
  await new Provenance(client).stageInputs(filesTable, request.files);

  await recorder.record('publishing', {
    days: result.days, tables: PUBLISHED_TABLES.map((t) => t.name), rowsReplaced: result.rowsReplaced, scope: scope === null ? '' : JSON.stringify(scope),
  });
  await pauseAt('publishing');
  await swap(client, staging, result.days, PUBLISHED_TABLES.map((t) => t.name), scope);
  await pauseAt('swapped');
  return result;
}

/**
 * Finishes a publish from its staging: the swaps (each replaces a partition with the staged one, so doing
 * one again changes nothing) and the provenance, if not yet copied. Called by publish() and by a later
 * run that finds this one `publishing` (runs.ts).
 */
export async function swap(
  client: ClickHouseClient, staging: Staging, days: readonly string[], tables: readonly string[], scope: ReplaceScope | null,
): Promise<void> {
  for (const name of tables) {
    const table = PUBLISHED_TABLES.find((t) => t.name === name);
    if (table === undefined) throw new Error(`cannot publish ${name}: this siftlog does not know the table`);
    const partitions = [...new Set(days.map((d) => partitionId(d, table.granularity)))];
    const staged = await partitionsOf(client, staging.table(name), partitions);
    for (const id of partitions) {
      // A partition the staging copy lacks had no rows before the run and gained none.
      if (!staged.has(id)) continue;
      await client.command({ query: `ALTER TABLE ${DATABASE}.${name} REPLACE PARTITION ID '${id}' FROM ${staging.table(name)}` });
    }
    if (name === tables[0]) await pauseAt('mid-swap');
  }
  await new Provenance(client).publishStaged(staging.table('ingest_files'), staging.runId, scope);
}

const requestsTable: PublishedTable = {
  name: 'requests',
  granularity: 'day',
  async build({ client, staging, runId, scope, days, rebuilt }) {
    const published = await partitionsOf(client, `${DATABASE}.requests`, days.map(String));
    for (const day of days) {
      if (published.has(String(day))) {
        await client.command({ query: `ALTER TABLE ${staging.requests} ATTACH PARTITION ID '${day}' FROM ${DATABASE}.requests` });
      }
    }
    if (scope !== null && rebuilt.length > 0) {
      const { where, params } = scopeCondition(scope);
      await client.command({
        query: `DELETE FROM ${staging.requests} WHERE run_id != {run:UUID} AND ${where}`, query_params: { ...params, run: runId },
      });
    }
  },
};

function trendTable(trend: TrendTable): PublishedTable {
  return {
    name: trend.name,
    granularity: 'month',
    async build({ client, staging, runId, days, rebuilt, chunks }) {
      const table = await staging.copyOf(trend.name);
      const months = [...new Set(days.map((d) => String(Math.floor(d / 100))))];
      const published = await partitionsOf(client, `${DATABASE}.${trend.name}`, months);
      for (const month of months) {
        if (published.has(month)) {
          await client.command({ query: `ALTER TABLE ${table} ATTACH PARTITION ID '${month}' FROM ${DATABASE}.${trend.name}` });
        }
      }
      // A table with a visit part is rebuilt whole for every day (see TrendTable.visits).
      const whole = trend.visits === undefined ? rebuilt : days;
      if (whole.length > 0) {
        await client.command({
          query: `DELETE FROM ${table} WHERE toYYYYMMDD(${trend.day}) IN {rebuilt:Array(UInt32)}`, query_params: { rebuilt: whole },
        });
      }
      const rows = `(SELECT * FROM ${staging.requests}
        WHERE toYYYYMMDD(ts) IN {rebuilt:Array(UInt32)} OR (run_id = {run:UUID} AND toYYYYMMDD(ts) IN {added:Array(UInt32)}))`;
      const fromRequests = trendInsert(trend, table, rows);
      const visits = `(SELECT * FROM ${staging.table('visits')} WHERE toYYYYMMDD(start) IN {days:Array(UInt32)})`;
      const fromVisits = trendVisitsInsert(trend, table, visits);
      for (const chunk of chunks) {
        if (fromRequests !== null) {
          const params = { rebuilt: chunk.filter((d) => whole.includes(d)), added: chunk.filter((d) => !whole.includes(d)), run: runId };
          await client.command({ query: fromRequests, query_params: params, clickhouse_settings: SETTINGS });
        }
        if (fromVisits !== null) await client.command({ query: fromVisits, query_params: { days: chunk }, clickhouse_settings: SETTINGS });
      }
    },
  };
}

/**
 * `visits` per affected day: the published visits of the day and the run's, one row per (site, visitor_id,
 * start): the latest end wins, then the most hits, then a closed row over a provisional one, then the
 * published row over the run's (so a run that changes nothing leaves the rows, run ids and all, as they were).
 */
const visitsTable: PublishedTable = {
  name: 'visits',
  granularity: 'day',
  async build({ client, staging, scope, rebuilt, chunks }) {
    const table = await staging.copyOf('visits');
    const run = await stagedCopy(client, 'visits', staging.visitsRun);
    // A published visit whose first request the scope replaces goes with it, unless the run emits the same
    // visit again (same key: then the rule above picks one). A --force or a day loaded again after the day's
    // salt is gone draws new visitor ids, so its visits have new keys and the old ones must go.
    let replaced = '';
    let params: Record<string, unknown> = {};
    if (scope !== null && rebuilt.length > 0) {
      const condition = scopeCondition(scope);
      replaced = `AND ((site, visitor_id, start) NOT IN (SELECT site, visitor_id, ts FROM ${DATABASE}.requests
          WHERE is_entry = 1 AND toYYYYMMDD(ts) IN {rebuilt:Array(UInt32)} AND ${condition.where})
        OR (site, visitor_id, start) IN (SELECT site, visitor_id, start FROM ${run}))`;
      params = { ...condition.params, rebuilt };
    }
    for (const days of chunks) {
      await client.command({
        query: `INSERT INTO ${table}
          SELECT * EXCEPT (source) FROM (
            SELECT *, 0 AS source FROM ${DATABASE}.visits WHERE toYYYYMMDD(start) IN {days:Array(UInt32)} ${replaced}
            UNION ALL
            SELECT *, 1 AS source FROM ${run} WHERE toYYYYMMDD(start) IN {days:Array(UInt32)}
          )
          ORDER BY site, visitor_id, start, end DESC, hits DESC, is_open, source
          LIMIT 1 BY site, visitor_id, start`,
        query_params: { ...params, days }, clickhouse_settings: SETTINGS,
      });
    }
  },
};

/**
 * `visit_state`, replaced whole: the published rows, the run's day-start states replacing those of the same
 * days, and the run's end state as the latest ('') unless a published one had released further (a re-run of
 * an earlier day does not move the latest state back).
 */
const visitStateTable: PublishedTable = {
  name: 'visit_state',
  granularity: 'all',
  async build({ client, staging }) {
    const table = await staging.copyOf('visit_state');
    const run = await stagedCopy(client, 'visit_state', staging.visitStateRun);
    await client.command({
      query: `INSERT INTO ${table}
        SELECT * EXCEPT (source) FROM (
          SELECT *, 0 AS source FROM ${DATABASE}.visit_state
          UNION ALL
          SELECT *, 1 AS source FROM ${run}
        )
        ORDER BY day, if(day = '', released_up_to, 0) DESC, source DESC
        LIMIT 1 BY day`,
    });
  },
};

/** The run's staged copy `name` of a production table, created empty if the run staged nothing there. */
async function stagedCopy(client: ClickHouseClient, production: string, name: string): Promise<string> {
  await client.command({ query: `CREATE TABLE IF NOT EXISTS ${name} AS ${DATABASE}.${production}` });
  return name;
}

/** Days (YYYYMMDD) the run's staged visits started on. */
async function stagedVisitDays(client: ClickHouseClient, staging: Staging): Promise<number[]> {
  await stagedCopy(client, 'visits', staging.visitsRun);
  const rows = await (await client.query({
    query: `SELECT DISTINCT toYYYYMMDD(start) AS day FROM ${staging.visitsRun} ORDER BY day`, format: 'JSONEachRow',
  })).json<{ day: number | string }>();
  return rows.map((r) => Number(r.day));
}

/**
 * What a publish swaps, in order: `requests` first and `visits` next (the trend tables are built from their
 * staged copies), the trend tables, and the visit state last.
 */
const PUBLISHED_TABLES: readonly PublishedTable[] = [requestsTable, visitsTable, ...TREND_TABLES.map(trendTable), visitStateTable];

function scopeCondition(scope: ReplaceScope): { where: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { fingerprints: scope.fingerprints };
  let where = 'input_fingerprint IN {fingerprints:Array(String)}';
  if (scope.from !== undefined) {
    where += ' AND ts >= {from:DateTime}';
    params.from = Math.floor(scope.from / 1000);
  }
  if (scope.to !== undefined) {
    where += ' AND ts < {to:DateTime}';
    params.to = Math.floor(scope.to / 1000);
  }
  return { where, params };
}

/** Rows without a fingerprint (siftlog 0.1.0, a run of several inputs) of runs that loaded the scope's inputs. */
async function legacyRows(client: ClickHouseClient, scope: ReplaceScope): Promise<number> {
  if (scope.fingerprints.length === 0) return 0;
  const { where, params } = scopeCondition({ ...scope, fingerprints: [''] });
  const rows = await (await client.query({
    query: `SELECT count() AS n FROM ${DATABASE}.requests WHERE ${where}
            AND run_id IN (SELECT run_id FROM ${DATABASE}.ingest_files WHERE fingerprint IN {prints:Array(String)})`,
    query_params: { ...params, prints: scope.fingerprints }, format: 'JSONEachRow',
  })).json<{ n: number | string }>();
  return Number(rows[0]?.n ?? 0);
}

/** Published rows the scope replaces, by day (YYYYMMDD). */
async function replacedRows(client: ClickHouseClient, scope: ReplaceScope): Promise<Map<number, number>> {
  if (scope.fingerprints.length === 0) return new Map();
  const { where, params } = scopeCondition(scope);
  const rows = await (await client.query({
    query: `SELECT toYYYYMMDD(ts) AS day, count() AS n FROM ${DATABASE}.requests WHERE ${where} GROUP BY day`,
    query_params: params, format: 'JSONEachRow',
  })).json<{ day: number | string; n: number | string }>();
  return new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
}

async function rowsByDay(client: ClickHouseClient, table: string): Promise<Map<number, number>> {
  const rows = await (await client.query({
    query: `SELECT toYYYYMMDD(ts) AS day, count() AS n FROM ${table} GROUP BY day`, format: 'JSONEachRow',
  })).json<{ day: number | string; n: number | string }>();
  return new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
}

async function countDays(client: ClickHouseClient, table: string, days: readonly number[]): Promise<number> {
  const rows = await (await client.query({
    query: `SELECT count() AS n FROM ${table} WHERE toYYYYMMDD(ts) IN {days:Array(UInt32)}`, query_params: { days }, format: 'JSONEachRow',
  })).json<{ n: number | string }>();
  return Number(rows[0]?.n ?? 0);
}

/** Days with trend rows but no `requests` partition any more (dropped by retention). */
async function expiredDays(client: ClickHouseClient, days: readonly number[]): Promise<number[]> {
  if (days.length === 0) return [];
  const withRequests = await partitionsOf(client, `${DATABASE}.requests`, days.map(String));
  const candidates = days.filter((d) => !withRequests.has(String(d)));
  if (candidates.length === 0) return [];
  const rows = await (await client.query({
    query: `SELECT DISTINCT toYYYYMMDD(hour) AS day FROM ${DATABASE}.traffic_hourly WHERE toYYYYMMDD(hour) IN {days:Array(UInt32)}`,
    query_params: { days: candidates }, format: 'JSONEachRow',
  })).json<{ day: number | string }>();
  return rows.map((r) => Number(r.day)).sort((a, b) => a - b);
}

/** Which of `ids` are partitions of `table` with at least one active part. */
async function partitionsOf(client: ClickHouseClient, table: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const [database, name] = table.split('.');
  const rows = await (await client.query({
    query: `SELECT DISTINCT partition_id FROM system.parts
            WHERE database = {database:String} AND table = {name:String} AND active AND partition_id IN {ids:Array(String)}`,
    query_params: { database, name, ids }, format: 'JSONEachRow',
  })).json<{ partition_id: string }>();
  return new Set(rows.map((r) => r.partition_id));
}

function partitionId(day: string, granularity: Granularity): string {
  if (granularity === 'all') return 'all';
  const compact = day.replace(/-/g, '');
  return granularity === 'day' ? compact : compact.slice(0, 6);
}

function dayString(day: number): string {
  const s = String(day);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
