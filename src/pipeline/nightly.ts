import type { NetworkLookups } from '../privacy/boundary.js';
import { SiteCalendar } from '../privacy/calendar.js';
import type { Store } from '../sink/clickhouse/store.js';
import type { PipelineConfig } from './config.js';
import { type DayWindow, dayWindow } from './day-window.js';
import { ingest, type IngestOptions, type IngestSummary, PublishRefused } from './ingest.js';
import { type CandidateFile, nightlyFiles } from './nightly-files.js';

/** Exit codes of `siftlog nightly` (README, "Nightly"). */
export const NIGHTLY_EXIT = {
  /** The days were published. */
  ok: 0,
  /** The pipeline file or the flags are wrong: nothing was done. */
  config: 1,
  /** Some file could not be read (missing, truncated…): the others were published. */
  inputFailed: 2,
  /** No line of the days in any file of the pipeline's sources: nothing was published. */
  noInput: 3,
  /** More rejected lines than `nightly.max_reject_ratio` allows: nothing was published. */
  rejects: 4,
  /** The store could not be opened or written (in use, full, gone): nothing was published. */
  store: 5,
} as const;

export interface NightlyPlan {
  window: DayWindow;
  timeZone: string;
  files: CandidateFile[];
}

/** Which days, and which of the pipeline's files may hold their lines. */
export async function planNightly(
  config: PipelineConfig, dates: { date?: string; from?: string; to?: string }, now: number,
): Promise<NightlyPlan> {
  const calendar = new SiteCalendar(config.privacy.time_zone);
  const window = dayWindow(dates, calendar, now);
  return { window, timeZone: config.privacy.time_zone, files: await nightlyFiles(config, window) };
}

/**
 * Loads the planned days as one run: every file that can hold their lines is read whole, lines of other
 * days are left out, and the publish replaces whatever earlier runs loaded of these days from the same
 * files (the same content, under any name: rotation renames and compresses them), so running it again
 * gives the same tables. Refused before the publish when no line of the days was found, or when more than
 * `nightly.max_reject_ratio` of the lines read were rejected.
 */
export async function runNightly(
  plan: NightlyPlan, config: PipelineConfig, store: Store, lookups: NetworkLookups, options: Omit<IngestOptions, 'window' | 'approve'> = {},
): Promise<IngestSummary> {
  const inputs = plan.files.filter((f) => f.read).map((f) => f.input);
  const days = plan.window.first === plan.window.last ? plan.window.first : `${plan.window.first} to ${plan.window.last}`;
  const approve = (summary: IngestSummary): PublishRefused | null => {
    const ofTheDays = summary.parsed;
    if (ofTheDays === 0) {
      return new PublishRefused('no-input', `no line of ${days} (${plan.timeZone}) in ${inputs.length} file${inputs.length === 1 ? '' : 's'} read `
        + `of the pipeline's sources: nothing was published`);
    }
    const read = summary.parsed + summary.rejected + summary.otherDays;
    const ratio = read > 0 ? summary.rejected / read : 0;
    if (ratio > config.nightly.max_reject_ratio) {
      return new PublishRefused('too-many-rejects', `${(ratio * 100).toFixed(1)}% of the lines read were rejected (more than `
        + `nightly.max_reject_ratio ${config.nightly.max_reject_ratio}): ${days} was not published. See the quarantine file for why; `
        + 'a changed log format is the usual cause');
    }
    return null;
  };
  return ingest(inputs, config, store, lookups, { ...options, mode: 'nightly', window: { from: plan.window.from, to: plan.window.to }, approve });
}
