import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { CLI, ROOT, sqlRowsInProcess as sqlRows, tempDir } from '../helpers/cli.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const line = (n: number) => `192.0.2.${n % 250} - - [17/May/2015:10:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')} +0000] "GET /f/${n} HTTP/1.1" 200 ${n} "-" "curl/8.0"\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line(from + i)).join('');

function follower(store: string, log: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, 'ingest', '--follow', '--json', '-s', store, log], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stderr })));
  return { child, ended };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const checkpointLine = (store: string, log: string) => {
  try {
    return JSON.parse(readFileSync(join(store, 'state', 'follow-checkpoints.json'), 'utf8'))[log]?.lineNo ?? 0;
  } catch {
    return 0;
  }
};

t.test('--follow publishes as it catches up; killed in the middle of a publish, the next follower finishes it and goes on: every line once', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const log = join(dir, 'access.log');
  writeFileSync(log, lines(0, 100));

  // The first publish stops between its swaps, and the process is killed there.
  const pause = join(dir, 'pause');
  const first = follower(store, log, { SIFTLOG_PAUSE_AT: 'mid-swap', SIFTLOG_PAUSE_FILE: pause });
  await until('the first publish', () => existsSync(pause));
  first.child.kill('SIGKILL');
  t.equal((await first.ended).signal, 'SIGKILL');
  appendFileSync(log, lines(100, 150));

  const second = follower(store, log);
  await until('line 150 published', () => checkpointLine(store, log) === 151);
  appendFileSync(log, lines(150, 160));
  await until('line 160 published', () => checkpointLine(store, log) === 161);
  second.child.kill('SIGINT');
  const stopped = await second.ended;
  t.equal(stopped.code, 0, 'Ctrl-C is how following ends');
  t.match(stopped.stderr, /was stopped while publishing; its publish is now finished/);

  t.same(await sqlRows(store, 'SELECT count() AS n, uniqExact(path) AS paths FROM requests'), [{ n: 160, paths: 160 }], 'every line once');
  t.same(await sqlRows(store, 'SELECT sum(hits) AS hits FROM traffic_daily'), [{ hits: 160 }]);
  const files = await sqlRows<{ lines_read: number; position: string }>(store, 'SELECT lines_read, position FROM ingest_files ORDER BY lines_read');
  t.same(files.map((f) => [f.lines_read, JSON.parse(f.position).lineNo]), [[100, 101], [150, 151], [160, 161]],
    'each publish records where reading stopped, with the rows');
});
