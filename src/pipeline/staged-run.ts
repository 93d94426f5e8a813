import { randomUUID } from 'node:crypto';
import type { RowContext } from '../sink/clickhouse/columns.js';
import { type RowEncoder, TabSeparatedEncoder } from '../sink/clickhouse/encoder.js';
import type { InputRecord } from '../sink/clickhouse/provenance.js';
import { publish, type PublishResult, type ReplaceScope } from '../sink/clickhouse/publish.js';
import { RunRecorder, type RunMode, type RunStatus } from '../sink/clickhouse/runs.js';
import { Staging } from '../sink/clickhouse/staging.js';
import type { Store } from '../sink/clickhouse/store.js';
import { BatchWriter } from '../sink/clickhouse/writer.js';

/**
 * One publishable unit of work: a run id, its staging area, the writer that fills it, the provenance of
 * each input it read and its status in the run log. `ingest` and `nightly` are one staged run each;
 * `--follow` publishes one after another as it catches up with the file.
 */
export class StagedRun {
  readonly files: InputRecord[] = [];
  /** Fingerprints of the inputs read in full: what a replacing run (--force, nightly) replaces. */
  readonly prints = new Set<string>();
  /** What the run read, every input counted (those with nothing new too), for the run log. */
  readonly counts = {
    inputs: 0, linesRead: 0, parsed: 0, rejected: 0, excluded: {} as Record<string, number>, visits: 0, lateHits: 0, lateVisits: 0,
  };

  private constructor(
    readonly runId: string,
    readonly staging: Staging,
    readonly writer: BatchWriter,
    readonly recorder: RunRecorder,
  ) {}

  /** Records the run as `staging` and creates its staging area (in that order: a dead run can be found). */
  static async start(store: Store, mode: RunMode, version: string, batchRows?: number): Promise<StagedRun> {
    const runId = randomUUID();
    const recorder = RunRecorder.begin(store.client, runId, mode, version);
    await recorder.record('staging');
    const staging = await Staging.create(store.client, runId);
    const encoder: RowEncoder = new TabSeparatedEncoder();
    const table = encoder.format === 'Native' ? staging.requests : staging.tabSeparatedInput;
    const writer = new BatchWriter(store, table, encoder, { batchRows });
    return new StagedRun(runId, staging, writer, recorder);
  }

  row(inputFingerprint: string): RowContext {
    return { runId: this.runId, inputFingerprint };
  }

  /** Inserts what is pending, builds and swaps every affected partition, and records the run `published`. */
  async publish(scope: ReplaceScope | null, client: Store['client']): Promise<PublishResult> {
    await this.writer.finish();
    const result = await publish(client, { staging: this.staging, scope, files: this.files, recorder: this.recorder });
    await this.recorder.record('published', {
      ...this.counts,
      rowsWritten: this.writer.rowsWritten - result.expired.rows, rowsReplaced: result.rowsReplaced, days: result.days,
    });
    await this.staging.drop();
    return result;
  }

  /**
   * The run ends without publishing: its staging is dropped and its status recorded. Best effort: when the
   * store itself is the problem (full disk, server gone) the next run cleans up instead. A run that failed
   * during its swaps is left `publishing`, for the next run to finish.
   */
  async abandon(status: Extract<RunStatus, 'failed' | 'interrupted'>, message: string): Promise<void> {
    // Once publishing has begun, the staging is what the next run finishes the publish from.
    if (this.recorder.state.status === 'publishing') return;
    await this.writer.settle().catch(() => undefined);
    await this.staging.drop().catch(() => undefined);
    await this.recorder.record(status, { message }).catch(() => undefined);
  }
}

/** What the user should know about a publish that is not an error. */
export function publishWarnings(result: PublishResult): string[] {
  const warnings: string[] = [];
  if (result.legacyKept > 0) {
    warnings.push(`${result.legacyKept.toLocaleString('en-US')} rows that siftlog 0.1.0 loaded from these inputs together with `
      + 'other inputs in one run cannot be told apart and were kept: they may now be counted twice (see docs/load-path.md)');
  }
  if (result.expired.rows > 0) {
    warnings.push(`${result.expired.rows.toLocaleString('en-US')} rows of ${result.expired.days.join(', ')} were not loaded: `
      + 'those days are past the requests retention, so their earlier rows cannot be replaced');
  }
  return warnings;
}
