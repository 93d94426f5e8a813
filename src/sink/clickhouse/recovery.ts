import type { ClickHouseClient } from '@clickhouse/client';
import { hostname } from 'node:os';
import { type ReplaceScope, swap } from './publish.js';
import { latestRuns, RunRecorder, type RunState } from './runs.js';
import { dropStaging, Staging, stagedRuns } from './staging.js';

/** What start-up found of earlier runs that did not end cleanly. */
export interface Recovery {
  /** Runs that died while publishing and whose publish was finished now. */
  rolledForward: string[];
  /** Runs that died before publishing: their staging was dropped, nothing of them is published. */
  cleaned: string[];
}

/** How long a run on another host may go without a status before its staging counts as abandoned. */
const FOREIGN_RUN_TIMEOUT_MS = 24 * 3600_000;

/**
 * Runs before anything else when a store is opened for writing: a run found `publishing` is finished
 * from its staging (roll forward), and the staging of runs that died before publishing is dropped and
 * the runs recorded `interrupted`. `exclusive`: this process holds the store's lock (embedded store), so
 * every other run is dead; on a server only runs of this host whose process is gone, or runs silent for a
 * day, are touched.
 */
export async function recover(client: ClickHouseClient, exclusive: boolean, warn: (message: string) => void): Promise<Recovery> {
  const recovery: Recovery = { rolledForward: [], cleaned: [] };
  const unfinished = await latestRuns(client, { statuses: ['staging', 'publishing'] });
  const live = new Set<string>();
  for (const { state, seq } of unfinished) {
    if (!exclusive && mayBeAlive(state)) {
      live.add(state.runId);
      continue;
    }
    const recorder = new RunRecorder(client, state, seq);
    if (state.status === 'publishing') {
      try {
        const scope = state.scope === '' ? null : (JSON.parse(state.scope) as ReplaceScope);
        await swap(client, Staging.of(client, state.runId), state.days, state.tables, scope);
      } catch (err) {
        const message = `its publish could not be finished: ${(err as Error).message}`;
        await recorder.record('failed', { message });
        warn(`run ${state.runId} died while publishing and ${message}; the days ${state.days.join(', ')} may be half published: run them again`);
        continue;
      }
      await recorder.record('published', { message: 'publish finished by a later run' });
      await dropStaging(client, state.runId);
      recovery.rolledForward.push(state.runId);
      warn(`run ${state.runId.slice(0, 8)} was stopped while publishing; its publish is now finished (${describeDays(state.days)})`);
    } else {
      await dropStaging(client, state.runId);
      await recorder.record('interrupted', { message: 'the process ended before publishing: nothing of the run was published' });
      recovery.cleaned.push(state.runId);
      warn(`run ${state.runId.slice(0, 8)} did not finish (killed, or its store failed under it): nothing of it was published, its staging was removed`);
    }
  }
  // Staging left by runs that are finished (a drop that failed) or were never recorded.
  for (const runId of await stagedRuns(client)) {
    if (live.has(runId) || recovery.rolledForward.includes(runId)) continue;
    await dropStaging(client, runId);
  }
  return recovery;
}

function mayBeAlive(state: RunState): boolean {
  if (state.host !== hostname()) return Date.now() - state.updated < FOREIGN_RUN_TIMEOUT_MS;
  if (state.pid === process.pid) return true;
  try {
    process.kill(state.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeDays(days: readonly string[]): string {
  if (days.length === 0) return 'no day';
  if (days.length <= 3) return days.join(', ');
  return `${days.length} days, ${days[0]} to ${days.at(-1)}`;
}
