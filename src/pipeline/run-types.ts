import type { RunVisitStats } from './visit-wiring.js';
import type { RejectReason, RepairKind, SkipKind } from '../formats/types.js';
import type { RunMode } from '../sink/clickhouse/runs.js';
import type { FollowControl } from './follow-run.js';
import type { Progress } from './progress.js';
import type { PublishRefused } from './run-errors.js';

export interface InputSummary {
  input: string;
  format: string;
  linesRead: number;
  parsed: number;
  rejected: number;
  /** Directive lines and TCP-listener records: not hits, not errors. */
  skipped: number;
  /** Leading lines an earlier run loaded into this store (the same content, under any name). */
  alreadyLoaded: number;
  /** The run that loaded them, when there was one. */
  loadedBy: string | null;
  /** `nightly`: lines of other days, read and left out. */
  otherDays: number;
  /** Lines left out by an `exclude:` rule. */
  excluded: number;
  error: string | null;
  /** Notices about the input that are not errors (trailing garbage after a gzip member). */
  warnings: string[];
}

export interface IngestSummary {
  runId: string;
  store: string;
  mode: 'embedded' | 'server';
  inputs: InputSummary[];
  linesRead: number;
  parsed: number;
  /** Lines rejected, by the parser or because the store cannot hold a value of them (time_out_of_range…). */
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  skipped: Partial<Record<SkipKind, number>>;
  repaired: Partial<Record<RepairKind, number>>;
  /** Lines skipped because an earlier run (or an earlier input of this run) loaded them. */
  alreadyLoaded: number;
  /** `nightly`: lines of other days than the one loaded. */
  otherDays: number;
  /** Lines left out by `exclude:` rules, and by rule (`networks[0]`, `paths[1]`…: never an address). */
  excluded: number;
  excludedByRule: Record<string, number>;
  bots: number;
  /** Rows published. */
  rowsWritten: number;
  /** Rows of earlier runs this run replaced (--force, a day loaded again). */
  rowsReplaced: number;
  /** UTC days whose partitions the run published. */
  days: string[];
  elapsedSeconds: number;
  linesPerSecond: number;
  quarantineFile: string | null;
  errors: string[];
  warnings: string[];
  /** The sessions stage (docs/visits.md): visits emitted, provisional ones, requests past the reordering bound. */
  visits: RunVisitStats;
}

export interface IngestOptions {
  /** The clock that decides which salts are past their window (tests inject one). */
  now?: () => number;
  /** Follow one growing file instead of reading the inputs once. */
  follow?: FollowControl;
  /** Load inputs again even when the store has loaded them before: their earlier rows are replaced. */
  force?: boolean;
  /**
   * Keep only lines in [from, to) (Unix ms) and replace what earlier runs loaded from the same inputs in
   * that window (`nightly`: one day in the site's time zone). Implies reading inputs whole.
   */
  window?: { from: number; to: number };
  /** Aborted by Ctrl-C or SIGTERM: the run stops and publishes nothing (InterruptedError). */
  signal?: AbortSignal;
  /** How the run is listed in `siftlog runs`. */
  mode?: RunMode;
  progress?: Progress;
  /** Notices for the user that are not errors (a stale lock taken over, a run finished from staging). */
  warn?: (message: string) => void;
  /**
   * Asked once everything is staged, before the publish: a refusal (PublishRefused) leaves the run
   * unpublished, like a failure (nightly: no line of the day, too many rejected lines).
   */
  approve?: (summary: IngestSummary) => PublishRefused | null;
}

/** The summary of a run that has read nothing yet. */
export function emptySummary(store: string, mode: IngestSummary['mode']): IngestSummary {
  return {
    runId: '', store, mode, inputs: [], linesRead: 0, parsed: 0, rejected: 0, rejectedByReason: {}, skipped: {}, repaired: {}, alreadyLoaded: 0,
    otherDays: 0, excluded: 0, excludedByRule: {}, bots: 0, rowsWritten: 0, rowsReplaced: 0, days: [], elapsedSeconds: 0, linesPerSecond: 0,
    quarantineFile: null, errors: [], warnings: [], visits: { visits: 0, provisional: 0, lateHits: 0, lateVisits: 0, forcedReleases: 0 },
  };
}
