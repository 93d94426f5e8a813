import { stat } from 'node:fs/promises';
import { emptyRawHit } from '../formats/types.js';
import type { SiteCalendar } from '../privacy/calendar.js';
import { readLines, SourceError, type InputSpec } from '../sources/file.js';
import { resolveInputs } from '../sources/inputs.js';
import type { PipelineConfig } from './config.js';
import type { DayWindow } from './day-window.js';
import { firstLineTime, parserFor } from './first-lines.js';

/** A file of the pipeline's sources, and whether it can hold lines of the days a nightly run loads. */
export interface CandidateFile {
  input: InputSpec;
  sizeBytes: number;
  /** Unix ms of its last write. */
  modified: number;
  read: boolean;
  /** Why it is left out: last written before the first day began, or its first line is after the last day. */
  reason: string;
}

/** Slack for a line written a moment before its file's last modification was recorded. */
const CLOCK_SLACK_MS = 60_000;

/**
 * The files of the pipeline's globs that can hold lines of `window`, whatever the rotation scheme
 * (`access.log`, `access.log.1`, `access.log.2.gz`, `access.log-20240301.gz`, at any hour): a file last
 * written before the first day began holds no line of it, and neither does one whose first line comes
 * after the last day ended. Every other file is read, and its lines of other days are left out.
 */
export async function nightlyFiles(config: PipelineConfig, window: DayWindow): Promise<CandidateFile[]> {
  let inputs: InputSpec[];
  try {
    inputs = await resolveInputs(config.sources);
  } catch (err) {
    if (err instanceof SourceError) return [];
    throw err;
  }
  const files: CandidateFile[] = [];
  for (const input of inputs) {
    const info = await stat(input.path!);
    const file: CandidateFile = { input, sizeBytes: info.size, modified: info.mtimeMs, read: true, reason: '' };
    if (info.mtimeMs < window.from - CLOCK_SLACK_MS) {
      file.read = false;
      file.reason = `last written ${new Date(info.mtimeMs).toISOString()}, before ${window.first} began`;
    } else {
      const first = await firstLineTime(input, config);
      if (first !== null && first >= window.to) {
        file.read = false;
        file.reason = `its first line (${new Date(first).toISOString()}) is after ${window.last}`;
      }
    }
    files.push(file);
  }
  return files;
}

/** `--dry-run`: a file's lines by the site's day they belong to, and lines without a time. */
export interface FileDays {
  lines: number;
  days: Map<string, number>;
  unparsed: number;
  error: string | null;
}

export async function countDays(input: InputSpec, config: PipelineConfig, calendar: SiteCalendar): Promise<FileDays> {
  const result: FileDays = { lines: 0, days: new Map(), unparsed: 0, error: null };
  const parser = await parserFor(input, config);
  const raw = emptyRawHit();
  try {
    for await (const batch of readLines(input, { maxLineLength: config.limits.max_line_length })) {
      for (const line of batch.lines) {
        result.lines++;
        if (parser === null || parser.parse(line, raw) !== null) {
          result.unparsed++;
          continue;
        }
        const day = calendar.dayKey(raw.time);
        result.days.set(day, (result.days.get(day) ?? 0) + 1);
      }
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    result.error = err.message;
  }
  return result;
}
