import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE } from './schema.js';

/** What the store remembers of one input read by a run (a row of `ingest_files`). */
export interface InputRecord {
  runId: string;
  input: string;
  format: string;
  /** Fingerprint of the input's first lines (sources/fingerprint.ts); '' when it had none. */
  fingerprint: string;
  /** Every line read, including those an earlier run had loaded. */
  linesRead: number;
  parsed: number;
  rejected: number;
  alreadyLoaded: number;
  error: string | null;
}

export interface RunRecord {
  runId: string;
  started: number;
  finished: number;
  version: string;
  inputs: number;
  linesRead: number;
  parsed: number;
  rejected: number;
  rowsWritten: number;
}

/** The furthest an earlier run got into an input with the same first lines. */
export interface FurthestLoad {
  lines: number;
  runId: string;
  /** Unix seconds. */
  recorded: number;
}

/** Provenance: every run and every input it read, and what earlier runs loaded of an input. */
export class Provenance {
  constructor(private readonly client: ClickHouseClient) {}

  /**
   * The earlier load that covered the most lines of an input whose first lines have one of `fingerprints`
   * (see prefixFingerprints), or null when no run has loaded it.
   */
  async earlierLoad(fingerprints: readonly string[]): Promise<FurthestLoad | null> {
    if (fingerprints.length === 0) return null;
    const rows = await (await this.client.query({
      query: `SELECT lines_read AS lines, toString(run_id) AS run_id, toUnixTimestamp(recorded) AS recorded
              FROM ${DATABASE}.ingest_files
              WHERE fingerprint IN {fingerprints:Array(String)} AND lines_read > 0
              ORDER BY lines_read DESC, already_loaded ASC, recorded ASC LIMIT 1`,
      query_params: { fingerprints },
      format: 'JSONEachRow',
    })).json<{ lines: string | number; run_id: string; recorded: string | number }>();
    if (rows.length === 0) return null;
    return { lines: Number(rows[0].lines), runId: rows[0].run_id, recorded: Number(rows[0].recorded) };
  }

  /** Recorded as soon as the input's rows are in, so a run that dies later does not load it twice. */
  async recordInput(f: InputRecord): Promise<void> {
    await this.client.insert({
      table: `${DATABASE}.ingest_files`,
      values: [{
        run_id: f.runId, input: f.input, format: f.format, fingerprint: f.fingerprint, lines_read: f.linesRead,
        parsed: f.parsed, rejected: f.rejected, already_loaded: f.alreadyLoaded, error: f.error ?? '',
        recorded: Math.floor(Date.now() / 1000),
      }],
      format: 'JSONEachRow',
    });
  }

  async recordRun(r: RunRecord): Promise<void> {
    await this.client.insert({
      table: `${DATABASE}.ingest_runs`,
      values: [{
        run_id: r.runId, started: Math.floor(r.started / 1000), finished: Math.floor(r.finished / 1000),
        siftlog_version: r.version, inputs: r.inputs, lines_read: r.linesRead, parsed: r.parsed,
        rejected: r.rejected, rows_written: r.rowsWritten,
      }],
      format: 'JSONEachRow',
    });
  }
}
