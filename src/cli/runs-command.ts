import { defaultConfig, loadPipelineFile } from '../pipeline/config.js';
import { latestRuns, type RunState } from '../sink/clickhouse/runs.js';
import { Store, StoreError } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import { type ConnectionOptions, connectionOf } from './connection.js';
import type { CliIo } from './io.js';

export interface RunsOptions extends ConnectionOptions {
  store?: string;
  pipeline?: string;
  limit?: string;
  json?: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

/** `siftlog runs`: the latest runs, newest first, with their status and counts (read-only). */
export async function runRuns(options: RunsOptions, io: CliIo): Promise<number> {
  let store: Store | null = null;
  try {
    const config = options.pipeline ? loadPipelineFile(options.pipeline) : defaultConfig();
    const limit = Number(options.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1) throw new StoreError(`--limit ${options.limit}: give a whole number of runs, 1 or more`);
    store = await Store.open({
      dir: options.store ?? config.store.dir, ...connectionOf(options, config.store), readOnly: true, warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    let runs: RunState[];
    try {
      runs = (await latestRuns(store.client, { limit })).map((r) => r.state);
    } catch (err) {
      if (/ingest_run_log/.test(String((err as Error).message))) {
        throw new StoreError(`${store.dir} has no run log yet (written by siftlog 0.1.0): the next ingest migrates it`);
      }
      throw err;
    }
    io.out(options.json ? `${JSON.stringify(runs, null, 2)}\n` : renderRuns(runs));
    return 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}

export function renderRuns(runs: readonly RunState[]): string {
  if (runs.length === 0) return 'no runs yet\n';
  const rows = runs.map((r) => [
    r.runId.slice(0, 8), r.mode, r.status, new Date(r.started).toISOString().slice(0, 19).replace('T', ' '),
    `${Math.max(0, Math.round((r.updated - r.started) / 1000))} s`, n(r.inputs), n(r.linesRead), n(r.rejected), n(r.rowsWritten), n(r.rowsReplaced),
    r.days.length === 0 ? '' : r.days.length === 1 ? r.days[0] : `${r.days[0]}…${r.days.at(-1)} (${r.days.length})`, r.message,
  ]);
  const head = ['run', 'mode', 'status', 'started (UTC)', 'took', 'inputs', 'lines', 'rejected', 'rows', 'replaced', 'days', 'message'];
  const numeric = new Set([4, 5, 6, 7, 8, 9]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`;
}
