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
  /** `--follow`: where reading stopped (JSON of the file's identity, byte offset and next line); '' otherwise. */
  position?: string;
  /** `nightly`: only lines in [from, to) (Unix ms) were kept; absent when the input was loaded whole. */
  window?: { from: number; to: number };
}

/** The furthest an earlier run got into an input with the same first lines. */
export interface FurthestLoad {
  lines: number;
  runId: string;
  /** Unix seconds. */
  recorded: number;
}

/**
 * Provenance: which inputs (and how many of their lines) each published run loaded. Rows of `ingest_files`
 * are published with the run's rows (publish.ts), never before or after: an input counts as loaded exactly
 * when its rows are in.
 */
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
              WHERE fingerprint IN {fingerprints:Array(String)} AND lines_read > 0 AND window_to = 0
              ORDER BY lines_read DESC, already_loaded ASC, recorded ASC LIMIT 1`,
      query_params: { fingerprints },
      format: 'JSONEachRow',
    })).json<{ lines: string | number; run_id: string; recorded: string | number }>();
    if (rows.length === 0) return null;
    return { lines: Number(rows[0].lines), runId: rows[0].run_id, recorded: Number(rows[0].recorded) };
  }

  /**
   * Whether a nightly run kept some days of an input with these first lines: its lines cannot be skipped by
   * number (the other days' lines were read, not loaded), so a plain ingest reads it whole and replaces them.
   */
  async windowedLoad(fingerprints: readonly string[]): Promise<boolean> {
    if (fingerprints.length === 0) return false;
    const rows = await (await this.client.query({
      query: `SELECT count() AS n FROM ${DATABASE}.ingest_files WHERE fingerprint IN {fingerprints:Array(String)} AND window_to != 0`,
      query_params: { fingerprints }, format: 'JSONEachRow',
    })).json<{ n: string | number }>();
    return Number(rows[0].n) > 0;
  }

  /** Where a followed file's last published run stopped reading it (JSON of a FollowPosition), or null. */
  async followPosition(input: string): Promise<string | null> {
    const rows = await (await this.client.query({
      query: `SELECT position FROM ${DATABASE}.ingest_files WHERE input = {input:String} AND position != ''
              ORDER BY recorded DESC, lines_read DESC LIMIT 1`,
      query_params: { input }, format: 'JSONEachRow',
    })).json<{ position: string }>();
    return rows[0]?.position ?? null;
  }

  /** Writes a run's input records into its staging copy of `ingest_files`, in one insert. */
  async stageInputs(table: string, files: readonly InputRecord[]): Promise<void> {
    if (files.length === 0) return;
    const recorded = Math.floor(Date.now() / 1000);
    await this.client.insert({
      table,
      values: files.map((f) => ({
        run_id: f.runId, input: f.input, format: f.format, fingerprint: f.fingerprint, lines_read: f.linesRead, parsed: f.parsed,
        rejected: f.rejected, already_loaded: f.alreadyLoaded, error: f.error ?? '', recorded, position: f.position ?? '',
        window_from: f.window ? Math.floor(f.window.from / 1000) : 0, window_to: f.window ? Math.floor(f.window.to / 1000) : 0,
      })),
      format: 'JSONEachRow',
    });
  }

  /**
   * Copies a run's staged input records into `ingest_files` unless an earlier attempt did: one INSERT …
   * SELECT of a few rows is one block, so either all of them are in or none. Records of earlier runs whose
   * rows the run replaced go first (`ingest_files` says where the rows now published come from): all of
   * an input's for a whole replace (--force), those of the same days for a nightly run again.
   */
  async publishStaged(table: string, runId: string, superseded: { fingerprints: string[]; from?: number; to?: number } | null): Promise<void> {
    if (superseded !== null && superseded.fingerprints.length > 0) {
      const window = superseded.to === undefined ? '' : ' AND window_from = {from:DateTime} AND window_to = {to:DateTime}';
      await this.client.command({
        query: `DELETE FROM ${DATABASE}.ingest_files WHERE run_id != {run:UUID} AND fingerprint IN {prints:Array(String)}${window}`,
        query_params: { run: runId, prints: superseded.fingerprints, from: Math.floor((superseded.from ?? 0) / 1000), to: Math.floor((superseded.to ?? 0) / 1000) },
      });
    }
    const [database, name] = table.split('.');
    const exists = await (await this.client.query({
      query: 'SELECT count() AS n FROM system.tables WHERE database = {database:String} AND name = {name:String}',
      query_params: { database, name }, format: 'JSONEachRow',
    })).json<{ n: string | number }>();
    if (Number(exists[0].n) === 0) return;
    const done = await (await this.client.query({
      query: `SELECT count() AS n FROM ${DATABASE}.ingest_files WHERE run_id = {run:UUID}`, query_params: { run: runId }, format: 'JSONEachRow',
    })).json<{ n: string | number }>();
    if (Number(done[0].n) > 0) return;
    await this.client.command({ query: `INSERT INTO ${DATABASE}.ingest_files SELECT * FROM ${table}` });
  }
}
