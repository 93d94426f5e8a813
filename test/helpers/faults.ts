import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PausePoint } from '../../src/sink/clickhouse/pause.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { CLI, ROOT, siftlogInProcess } from './cli.js';
import { syntheticLog } from './logs.js';
import { dumpStore } from './store-dump.js';

/** A log, a pipeline that stages it in several batches, and the tables of one clean run of it. */
export interface FaultSetup {
  dir: string;
  log: string;
  pipeline: string;
  reference: string;
  clean: Record<string, string[]>;
}

export async function faultSetup(dir: string, lines: number, batchRows: number): Promise<FaultSetup> {
  const log = join(dir, 'access.log');
  // The last two days, with salts kept a month: the salts the clean run made are still there for the
  // stores that copy its state, so visitor ids come out the same.
  const start = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(log, syntheticLog({ lines, days: 2, start }));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, `format: combined\nprivacy:\n  salt_window_days: 31\nstore:\n  batch_rows: ${batchRows}\n`);
  const reference = join(dir, 'reference');
  const run = await siftlogInProcess(['ingest', log, '--pipeline', pipeline, '--store', reference]);
  if (run.code !== 0) throw new Error(`the clean run failed: ${run.stderr}`);
  return { dir, log, pipeline, reference, clean: await dumpStore(reference) };
}

/**
 * A store to break: empty, but with the reference store's state folder (its daily salts and input key),
 * so the same lines give the same visitor ids and input fingerprints as the clean run.
 */
export function storeLike(setup: FaultSetup, store: string): string {
  mkdirSync(store, { recursive: true });
  cpSync(join(setup.reference, 'state'), join(store, 'state'), { recursive: true });
  return store;
}

export interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs `siftlog ingest` of the setup's log into `store` as a separate process, lets it reach `point`
 * (where it waits), then calls `atPause` (send a signal, fill the disk…) and resumes it by removing the
 * pause file. Resolves with how the process ended.
 */
export async function ingestUntil(
  setup: FaultSetup, store: string, point: PausePoint, atPause: (pid: number) => void | Promise<void>, options: { uid?: number } = {},
): Promise<Stopped> {
  const timeoutMs = 180_000;
  const marker = join(setup.dir, `pause-${point}-${Date.now()}`);
  const args = [CLI, 'ingest', setup.log, '--pipeline', setup.pipeline, '--store', store];
  const env = { ...process.env, SIFTLOG_PAUSE_AT: point, SIFTLOG_PAUSE_FILE: marker };
  // As another user, without tap's NODE_OPTIONS: its process tracking would write under the repository.
  const child = options.uid === undefined
    ? spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env })
    : spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$@"', 'sh', process.execPath, ...args], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH, HOME: setup.dir, SIFTLOG_PAUSE_AT: point, SIFTLOG_PAUSE_FILE: marker },
      uid: options.uid, gid: options.uid,
    });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<Stopped>((done) => child.on('close', (code, signal) => done({ code, signal, stderr })));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(marker)) {
    if (child.exitCode !== null || child.signalCode !== null) return ended;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the run never reached ${point}: ${stderr}`);
    }
    await sleep(25);
  }
  await atPause(child.pid!);
  // A signal sent at the pause reaches the run's handlers on a later turn of its event loop: the marker stays
  // until the run has ended or a second has passed, so a Ctrl-C is seen at the pause, not after it (removed
  // at once, a fast load could finish and reach its publish before the SIGINT handler ran).
  await Promise.race([ended, sleep(1000)]);
  // A run that survived what happened at the pause goes on.
  rmSync(marker, { force: true });
  return ended;
}

/** What an empty store holds (every table there, no row): what production must look like after a run that published nothing. */
export async function emptyDump(dir: string): Promise<Record<string, string[]>> {
  const store = await Store.open({ dir });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  return dumpStore(dir);
}

/** Runs the setup's ingest to its end in this process, as the user would after the failure. */
export async function ingestAgain(setup: FaultSetup, store: string): Promise<{ code: number; stderr: string }> {
  const run = await siftlogInProcess(['ingest', setup.log, '--pipeline', setup.pipeline, '--store', store]);
  return { code: run.code, stderr: run.stderr };
}
