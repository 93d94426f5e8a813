import { readLines, SourceError } from '../../src/sources/file.js';

export interface ReadResult {
  lines: string[];
  /** Line numbers (1-based) of lines cut at the cap. */
  oversized: number[];
  error: string | null;
  /** Whether every batch started where the previous one ended. */
  consecutive: boolean;
}

/** Every line of a file through the source reader, with what it reported. */
export async function readAll(path: string, maxLineLength = 65_536): Promise<ReadResult> {
  const result: ReadResult = { lines: [], oversized: [], error: null, consecutive: true };
  try {
    for await (const batch of readLines({ name: path, path }, { maxLineLength })) {
      if (batch.firstLineNo !== result.lines.length + 1) result.consecutive = false;
      for (const i of batch.oversized) result.oversized.push(batch.firstLineNo + i);
      result.lines.push(...batch.lines);
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    result.error = err.message;
  }
  return result;
}
