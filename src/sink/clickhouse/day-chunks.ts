/**
 * Staged rows a build query reads at most (unless one day has more). Every trend table's key holds the day
 * or the hour and visits are keyed by their first day, so building a few days at a time gives the same rows
 * as all at once, while the engine's GROUP BY and sort hold one group's rows: publish memory stays that of
 * ~500k rows whatever the run's size (3M lines: peak RSS at publish 1,007 → see README Performance).
 */
export const CHUNK_ROWS = 500_000;

/** CHUNK_ROWS, or `SIFTLOG_PUBLISH_CHUNK_ROWS` (tests build every day alone with 1, to show the rows come out the same). */
export function chunkRows(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env.SIFTLOG_PUBLISH_CHUNK_ROWS);
  return Number.isInteger(set) && set > 0 ? set : CHUNK_ROWS;
}

/** `days` in order, grouped so that each group's rows (by `rows`) stay under `limit`; a day over it is a group alone. */
export function chunkDays(days: readonly number[], rows: ReadonlyMap<number, number>, limit = chunkRows()): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let sum = 0;
  for (const day of days) {
    const n = rows.get(day) ?? 0;
    if (current.length > 0 && sum + n > limit) {
      chunks.push(current);
      current = [];
      sum = 0;
    }
    current.push(day);
    sum += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
