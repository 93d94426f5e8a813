import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Named points of a run where the fault tests (test/faults) stop it: with SIFTLOG_PAUSE_AT=<point> and
 * SIFTLOG_PAUSE_FILE=<path> in the environment, a run that reaches the point writes the file and waits
 * until the file is removed or a SIGINT/SIGTERM arrives, so a test can kill it exactly there (or change
 * the disk under it). Without those variables a point costs one property lookup.
 */
export type PausePoint = 'staged' | 'mid-load' | 'publishing' | 'mid-swap' | 'swapped';

const passed = new Set<PausePoint>();

/** Waits at `point` if the environment asks for it (once per process). */
export async function pauseAt(point: PausePoint): Promise<void> {
  if (process.env.SIFTLOG_PAUSE_AT !== point || passed.has(point)) return;
  passed.add(point);
  const file = process.env.SIFTLOG_PAUSE_FILE;
  if (!file) return;
  writeFileSync(file, `${process.pid}\n`);
  let signalled = false;
  const onSignal = () => {
    signalled = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (existsSync(file) && !signalled) await sleep(20);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
