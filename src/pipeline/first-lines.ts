import { detectFormat, FormatNotDetectedError } from '../formats/index.js';
import { emptyRawHit, type LineParser } from '../formats/types.js';
import { readLines, SourceError, type InputSpec } from '../sources/file.js';
import type { PipelineConfig } from './config.js';
import { resolveFormat } from './format-choice.js';

/** Lines looked at to detect a format, and to find a first line that parses. */
const SAMPLE = 200;

/** The input's first SAMPLE lines, or fewer (what could be read of a damaged one). */
async function headOf(input: InputSpec, config: PipelineConfig): Promise<string[]> {
  const head: string[] = [];
  try {
    for await (const batch of readLines(input, { maxLineLength: config.limits.max_line_length })) {
      head.push(...batch.lines);
      if (head.length >= SAMPLE) break;
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
  }
  return head.slice(0, SAMPLE);
}

/** The pipeline's parser, or one detected from `head`; null when nothing matches. */
function parserOf(head: readonly string[], config: PipelineConfig): LineParser | null {
  const { options, preset } = resolveFormat(config);
  if (preset !== null) return preset.create(options);
  try {
    return detectFormat(head, options).preset.create(options);
  } catch (err) {
    if (err instanceof FormatNotDetectedError) return null;
    throw err;
  }
}

/** The pipeline's parser, or one detected from the input's first lines; null when nothing matches. */
export async function parserFor(input: InputSpec, config: PipelineConfig): Promise<LineParser | null> {
  const { options, preset } = resolveFormat(config);
  return preset !== null ? preset.create(options) : parserOf(await headOf(input, config), config);
}

/** The time of the first of the input's first SAMPLE lines that parses, or null when none does (one read of its head). */
export async function firstLineTime(input: InputSpec, config: PipelineConfig): Promise<number | null> {
  const head = await headOf(input, config);
  const parser = parserOf(head, config);
  if (parser === null) return null;
  const raw = emptyRawHit();
  for (const line of head) if (parser.parse(line, raw) === null) return raw.time;
  return null;
}

/** An input and the time of its first line (null: standard input, unreadable, or no line of its start parses). */
export interface TimedInput {
  input: InputSpec;
  firstTime: number | null;
}

/**
 * The inputs in the order a run reads them: those whose first line's time is unknown first (as given), then
 * the others oldest first. Rotated logs hold consecutive hours, and a glob lists them newest first
 * (`access.log`, `access.log.1`, `access.log.2.gz`): read oldest first, the visit stage releases each
 * input's requests as it goes instead of holding an input whole until the older ones are read
 * (docs/visits.md, "Reordering"). Standard input is never read ahead.
 */
export async function inTimeOrder(inputs: readonly InputSpec[], config: PipelineConfig): Promise<TimedInput[]> {
  const timed: TimedInput[] = [];
  for (const input of inputs) timed.push({ input, firstTime: input.path === null ? null : await firstTimeOrNull(input, config) });
  const unknown = timed.filter((t) => t.firstTime === null);
  const known = timed.filter((t) => t.firstTime !== null).sort((a, b) => a.firstTime! - b.firstTime!);
  return [...unknown, ...known];
}

/** A missing, unreadable or damaged input is reported when it is loaded; here its time is only unknown. */
async function firstTimeOrNull(input: InputSpec, config: PipelineConfig): Promise<number | null> {
  try {
    return await firstLineTime(input, config);
  } catch {
    return null;
  }
}
