import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { PausePoint } from '../../src/sink/clickhouse/pause.js';
import { sqlRowsInProcess, tempDir } from '../helpers/cli.js';
import { emptyDump, faultSetup, ingestAgain, ingestUntil, storeLike } from '../helpers/faults.js';
import { dumpDifference, dumpStore } from '../helpers/store-dump.js';

// A few hundred thousand lines in batches of 50,000: a kill mid-load lands with batches staged and more to come.
const LINES = Number(process.env.SIFTLOG_FAULT_LINES ?? 200_000);
const BATCH = Number(process.env.SIFTLOG_FAULT_BATCH ?? 50_000);

interface Case {
  signal: NodeJS.Signals;
  point: PausePoint;
  /** Whether the killed run's rows are published when the process is gone (before the re-run). */
  published: boolean;
}

/**
 * SIGKILL before the first insert, mid-load and at three moments of the publish; SIGINT and SIGTERM
 * while loading and while publishing. Whatever the moment, the run again leaves every table equal, row
 * for row, to one clean run.
 */
const CASES: Case[] = [
  { signal: 'SIGKILL', point: 'staged', published: false },
  { signal: 'SIGKILL', point: 'mid-load', published: false },
  { signal: 'SIGKILL', point: 'publishing', published: false },
  { signal: 'SIGKILL', point: 'mid-swap', published: false },
  { signal: 'SIGKILL', point: 'swapped', published: false },
  { signal: 'SIGINT', point: 'mid-load', published: false },
  { signal: 'SIGTERM', point: 'mid-load', published: false },
  { signal: 'SIGINT', point: 'publishing', published: true },
  { signal: 'SIGTERM', point: 'mid-swap', published: true },
];

t.test(`kill matrix on ${LINES.toLocaleString('en-US')} lines: the run again equals one clean run`, async (t) => {
  const setup = await faultSetup(tempDir(t, 'siftlog-faults-'), LINES, BATCH);
  t.equal(setup.clean.requests.length, LINES, 'the clean run loaded every line');
  const empty = await emptyDump(join(setup.dir, 'empty'));

  for (const c of CASES) {
    t.test(`${c.signal} at ${c.point}`, async (t) => {
      const store = storeLike(setup, join(setup.dir, `${c.signal}-${c.point}`));
      const stopped = await ingestUntil(setup, store, c.point, (pid) => {
        process.kill(pid, c.signal);
      });
      if (c.signal === 'SIGKILL') {
        t.equal(stopped.signal, 'SIGKILL');
      } else {
        t.equal(stopped.code, c.signal === 'SIGINT' ? 130 : 143, stopped.stderr);
        t.match(stopped.stderr, c.published
          ? new RegExp(`^siftlog: ${c.signal} arrived during the publish, which was finished: run \\w+ is published\\n$`)
          : new RegExp(`^siftlog: stopped by ${c.signal}: nothing of this run was published, the store is as it was before\\. Run the same command again to load its inputs\\.\\n$`));
        const after = await dumpStore(store);
        t.same(dumpDifference(after, c.published ? setup.clean : empty), [], c.published ? 'the publish under way was finished' : 'production untouched');
      }
      const again = await ingestAgain(setup, store);
      t.equal(again.code, 0, again.stderr);
      if (c.signal === 'SIGKILL') {
        t.match(again.stderr, c.point === 'staged' || c.point === 'mid-load' ? /did not finish \(killed, or its store failed under it\): nothing of it was published/
          : /was stopped while publishing; its publish is now finished/);
      }
      t.same(dumpDifference(await dumpStore(store), setup.clean), [], 'every table equals one clean run, row for row');
      const runs = await sqlRowsInProcess<{ status: string }>(store, 'SELECT status FROM ingest_runs ORDER BY started, status');
      t.same(runs.map((r) => r.status).sort(), c.published || (c.signal === 'SIGKILL' && !['staged', 'mid-load'].includes(c.point))
        ? ['published', 'published'] : ['interrupted', 'published']);
    });
  }

  // A disk that fills, and a store made read-only, while the run stages its rows.
  const root = process.getuid?.() === 0;
  t.test('full disk', { skip: root ? false : 'needs root to mount a small tmpfs' }, async (t) => {
    const mount = join(setup.dir, 'full-disk');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', mount]);
    t.teardown(() => execFileSync('umount', ['-l', mount]));
    const store = storeLike(setup, join(mount, 'store'));
    const filler = join(mount, 'filler');
    const stopped = await ingestUntil(setup, store, 'mid-load', () => {
      // Fill it up, a megabyte at a time, until the file system says no more.
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(1 << 20);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    });
    t.equal(stopped.code, 1);
    t.match(stopped.stderr, /^siftlog: nothing of this run was published: could not stage the rows of \S+access\.log lines \d+–\d+: .*The store's disk is full: free space, then run the same command again/);
    t.equal(stopped.stderr.trim().split('\n').length, 1, 'one line');
    rmSync(filler);
    t.same(dumpDifference(await dumpStore(store), empty), [], 'production untouched');
    const again = await ingestAgain(setup, store);
    t.equal(again.code, 0, again.stderr);
    t.same(dumpDifference(await dumpStore(store), setup.clean), [], 'the run again equals one clean run');
  });

  // Made read-only under a run that does not own it: root would write anyway, so the run is another user's.
  t.test('store made read-only', { skip: root ? false : 'needs root to run siftlog as another user' }, async (t) => {
    const store = storeLike(setup, join(setup.dir, 'read-only'));
    chmodSync(setup.dir, 0o755);
    execFileSync('chown', ['-R', '65534:65534', store]);
    const stopped = await ingestUntil(setup, store, 'mid-load', () => {
      execFileSync('chmod', ['-R', 'a-w', store]);
    }, { uid: 65534 });
    t.equal(stopped.code, 1);
    t.match(stopped.stderr, /^siftlog: nothing of this run was published: .*The store cannot be written: make it writable, then run the same command again/);
    t.equal(stopped.stderr.trim().split('\n').length, 1, 'one line');
    execFileSync('chmod', ['-R', 'u+w', store]);
    t.same(dumpDifference(await dumpStore(store), empty), [], 'production untouched');
    const again = await ingestAgain(setup, store);
    t.equal(again.code, 0, again.stderr);
    t.same(dumpDifference(await dumpStore(store), setup.clean), [], 'the run again equals one clean run');
  });
});
