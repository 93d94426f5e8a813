import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { currentHolder, takePublishLock } from '../../src/sink/clickhouse/publish-lock.js';
import { RunRecorder } from '../../src/sink/clickhouse/runs.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { CLI, ROOT, siftlogInProcess, tempDir } from '../helpers/cli.js';
import { syntheticLines } from '../helpers/logs.js';
import { serverTarget } from '../support/server-target.js';

/** Several hosts publishing into one server store: one publish at a time, none lost. */
const target = await serverTarget(t);

async function openStore(t: Parameters<typeof tempDir>[0], database: string): Promise<Store> {
  const store = await Store.open({ dir: tempDir(t), url: target.url, user: target.user, password: target.password, caFile: target.caFile, database });
  t.teardown(() => store.close());
  await store.migrate();
  await store.client.command({ query: 'CREATE DATABASE IF NOT EXISTS siftlog_staging' });
  return store;
}

t.test('the publish lock is held by one run at a time; a second waits, then says who holds it', async (t) => {
  const store = await openStore(t, target.database(t));
  const release = await takePublishLock(store.client, { runId: 'run-a' });
  t.match(await currentHolder(store.client), { runId: 'run-a', pid: process.pid });
  const notices: string[] = [];
  await t.rejects(takePublishLock(store.client, { runId: 'run-b', waitMs: 300, pollMs: 50, warn: (m) => notices.push(m) }), {
    message: /^run run-a on host \S+ \(pid \d+\) has been publishing into this store since \d{4}-\d\d-\d\dT[\d:.]+Z: nothing of this run was published; run it again once that publish has ended$/,
  });
  t.match(notices, [/^waiting for run run-a on host \S+ \(pid \d+\) to finish publishing into this store$/]);
  await release();
  t.equal(await currentHolder(store.client), null, 'released');
  const second = await takePublishLock(store.client, { runId: 'run-b', waitMs: 300, pollMs: 50 });
  t.match(await currentHolder(store.client), { runId: 'run-b' });
  await second();
});

t.test('a lock whose run has ended is taken over', async (t) => {
  const store = await openStore(t, target.database(t));
  await takePublishLock(store.client, { runId: '00000000-0000-4000-8000-000000000001' });
  await RunRecorder.begin(store.client, '00000000-0000-4000-8000-000000000001', 'ingest', 'test').record('failed', { message: 'gone' });
  const notices: string[] = [];
  const release = await takePublishLock(store.client, { runId: 'run-c', waitMs: 1000, pollMs: 50, warn: (m) => notices.push(m) });
  t.match(await currentHolder(store.client), { runId: 'run-c' });
  t.match(notices, [/held the publish lock of this store and has ended: taking it over$/]);
  await release();
});

t.test('two hosts publishing the same day at once: the second waits for the first, and no row is lost', { skip: target.harness === null ? 'watches the requests: needs the test harness' : false }, async (t) => {
  const database = target.database(t);
  const dir = tempDir(t);
  const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  writeFileSync(join(dir, 'a.log'), `${syntheticLines({ lines: 40, days: 1, start, seed: 1 }).join('\n')}\n`);
  writeFileSync(join(dir, 'b.log'), `${syntheticLines({ lines: 30, days: 1, start, seed: 2 }).join('\n')}\n`);
  const args = (host: string) => ['--store', join(dir, `host-${host}`), ...target.args(database)];
  // Host a stops in its publish, after building its copies of the day's partitions, before swapping them in.
  const pauseFile = join(dir, 'a.paused');
  const a = spawn(process.execPath, [CLI, 'ingest', join(dir, 'a.log'), ...args('a')], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SIFTLOG_PAUSE_AT: 'publishing', SIFTLOG_PAUSE_FILE: pauseFile },
  });
  let aErr = '';
  a.stderr.on('data', (chunk: Buffer) => {
    aErr += chunk.toString('utf8');
  });
  const aDone = new Promise<number | null>((resolve) => a.once('exit', resolve));
  t.teardown(() => {
    a.kill('SIGKILL');
  });
  for (let waited = 0; !existsSync(pauseFile); waited += 50) {
    if (waited > 60_000 || a.exitCode !== null) throw new Error(`host a did not reach its publish: ${aErr}`);
    await sleep(50);
  }
  let bDone = false;
  const b = siftlogInProcess(['ingest', join(dir, 'b.log'), ...args('b')]).finally(() => {
    bDone = true;
  });
  // Host b has reached its publish when it has tried to take the lock that host a holds.
  const attempts = async () => (await target.harness!.log()).filter((q) => q.startsWith(`CREATE TABLE ${database}_staging.publish_lock `)).length;
  for (let waited = 0; (await attempts()) < 2 && !bDone; waited += 100) {
    if (waited > 60_000) throw new Error('host b did not reach its publish');
    await sleep(100);
  }
  await sleep(500);
  t.equal(bDone, false, 'host b waits while host a publishes');
  rmSync(pauseFile);
  t.equal(await aDone, 0, aErr);
  const second = await b;
  t.equal(second.code, 0, second.stderr);
  t.match(second.stderr, /waiting for run [0-9a-f-]+ on host \S+ \(pid \d+\) to finish publishing into this store/);
  const count = await siftlogInProcess(['sql', ...args('a'), '--format', 'csv', 'SELECT sum(n) AS n, sum(hits) AS hits FROM (SELECT count() AS n, 0 AS hits FROM requests UNION ALL SELECT 0, sum(hits) FROM traffic_hourly)']);
  t.same(count, { code: 0, stdout: '"n","hits"\n70,70\n', stderr: '' }, 'both hosts\' rows, in requests and in the trend tables');
});
