import type { ClickHouseClient } from '@clickhouse/client';
import { hostname } from 'node:os';
import { DATABASE } from './schema.js';

/**
 * A run's life: `staging` while it reads and stages rows (readers see nothing of it), `publishing` once
 * everything is staged and the swaps may have begun, then `published`; or `failed` / `interrupted`, with
 * nothing of it published. A run found `publishing` by a later one is finished by it (roll forward).
 */
export type RunStatus = 'staging' | 'publishing' | 'published' | 'failed' | 'interrupted';
export type RunMode = 'ingest' | 'nightly' | 'follow';

/** A run's counts and where it stands: one row of `ingest_run_log`. */
export interface RunState {
  runId: string;
  mode: RunMode;
  status: RunStatus;
  /** Unix milliseconds. */
  started: number;
  /** Unix milliseconds of this status. */
  updated: number;
  version: string;
  host: string;
  pid: number;
  inputs: number;
  linesRead: number;
  parsed: number;
  rejected: number;
  rowsWritten: number;
  rowsReplaced: number;
  /** UTC days (YYYY-MM-DD) the run published, or is publishing. */
  days: string[];
  /** Tables whose partitions the publish swaps. */
  tables: string[];
  /** JSON of the ReplaceScope of a publish, '' when the run only adds. */
  scope: string;
  message: string;
  /** Lines left out by `exclude:` rules, by rule. */
  excluded: Record<string, number>;
  /** Visit rows the run emitted, requests past the reordering bound, visits they started (docs/visits.md). */
  visits: number;
  lateHits: number;
  lateVisits: number;
}

interface LogRow {
  run_id: string;
  seq: number | string;
  status: RunStatus;
  mode: RunMode;
  started: number | string;
  updated: number | string;
  siftlog_version: string;
  host: string;
  pid: number | string;
  inputs: number | string;
  lines_read: number | string;
  parsed: number | string;
  rejected: number | string;
  rows_written: number | string;
  rows_replaced: number | string;
  days: string[];
  tables: string[];
  scope: string;
  message: string;
  excluded: Record<string, number | string>;
  visits: number | string;
  late_hits: number | string;
  late_visits: number | string;
}

/**
 * Writes a run's status rows. Each status is a new row with a higher `seq`; the view `ingest_runs` shows
 * the latest of each run.
 */
export class RunRecorder {
  private seq: number;

  constructor(private readonly client: ClickHouseClient, readonly state: RunState, lastSeq = 0) {
    this.seq = lastSeq;
  }

  /** A new run of this process, not yet recorded. */
  static begin(client: ClickHouseClient, runId: string, mode: RunMode, version: string): RunRecorder {
    const now = Date.now();
    return new RunRecorder(client, {
      runId, mode, status: 'staging', started: now, updated: now, version, host: hostname(), pid: process.pid, inputs: 0, linesRead: 0,
      parsed: 0, rejected: 0, rowsWritten: 0, rowsReplaced: 0, days: [], tables: [], scope: '', message: '', excluded: {}, visits: 0,
      lateHits: 0, lateVisits: 0,
    });
  }

  async record(status: RunStatus, changes: Partial<RunState> = {}): Promise<void> {
    Object.assign(this.state, changes, { status, updated: Date.now() });
    const s = this.state;
    this.seq++;
    await this.client.insert({
      table: `${DATABASE}.ingest_run_log`,
      values: [{
        run_id: s.runId, seq: this.seq, status, mode: s.mode, started: Math.floor(s.started / 1000), updated: Math.floor(s.updated / 1000),
        siftlog_version: s.version, host: s.host, pid: s.pid, inputs: s.inputs, lines_read: s.linesRead, parsed: s.parsed,
        rejected: s.rejected, rows_written: s.rowsWritten, rows_replaced: s.rowsReplaced, days: s.days, tables: s.tables, scope: s.scope, message: s.message,
        excluded: s.excluded, visits: s.visits, late_hits: s.lateHits, late_visits: s.lateVisits,
      }],
      format: 'JSONEachRow',
    });
  }
}

/** Each run's latest status (newest first), optionally only runs in some statuses. */
export async function latestRuns(
  client: ClickHouseClient, options: { statuses?: readonly RunStatus[]; limit?: number } = {},
): Promise<Array<{ state: RunState; seq: number }>> {
  const where = options.statuses ? 'WHERE status IN {statuses:Array(String)}' : '';
  const rows = await (await client.query({
    query: `SELECT run_id, seq, status, mode, toUnixTimestamp(started) AS started, toUnixTimestamp(updated) AS updated, siftlog_version,
              host, pid, inputs, lines_read, parsed, rejected, rows_written, rows_replaced, arrayMap(d -> toString(d), days) AS days, tables, scope,
              message, excluded, visits, late_hits, late_visits
            FROM ${DATABASE}.ingest_run_log
            WHERE (run_id, seq) IN (SELECT run_id, max(seq) FROM ${DATABASE}.ingest_run_log GROUP BY run_id)
            ${where ? `AND ${where.slice('WHERE '.length)}` : ''}
            ORDER BY started DESC, run_id ${options.limit ? `LIMIT ${Math.floor(options.limit)}` : ''}`,
    query_params: { statuses: options.statuses ?? [] },
    format: 'JSONEachRow',
  })).json<LogRow>();
  return rows.map((r) => ({
    seq: Number(r.seq),
    state: {
      runId: r.run_id, mode: r.mode, status: r.status, started: Number(r.started) * 1000, updated: Number(r.updated) * 1000,
      version: r.siftlog_version, host: r.host, pid: Number(r.pid), inputs: Number(r.inputs), linesRead: Number(r.lines_read),
      parsed: Number(r.parsed), rejected: Number(r.rejected), rowsWritten: Number(r.rows_written), rowsReplaced: Number(r.rows_replaced),
      days: r.days, tables: r.tables, scope: r.scope, message: r.message,
      excluded: Object.fromEntries(Object.entries(r.excluded ?? {}).map(([k, v]) => [k, Number(v)])), visits: Number(r.visits ?? 0),
      lateHits: Number(r.late_hits ?? 0), lateVisits: Number(r.late_visits ?? 0),
    },
  }));
}
