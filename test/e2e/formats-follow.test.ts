import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import type { IngestSummary } from '../../src/pipeline/ingest.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const cli = new URL('../../dist/cli/main.js', import.meta.url).pathname;

const line = (n: number) => `192.0.2.${n % 250} - - [17/May/2015:10:05:${String(n % 60).padStart(2, '0')} +0000] "GET /page/${n} HTTP/1.1" 200 ${n} "-" "curl/8.0"\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line(from + i)).join('');

/** Waits until the follower has checkpointed `lineNo` lines of the file now at `file` (it commits when caught up). */
async function caughtUp(store: string, file: string, lineNo: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const position = JSON.parse(readFileSync(join(store, 'state', 'follow-checkpoints.json'), 'utf8'))[file];
      if (position?.lineNo === lineNo && position.ino === statSync(file).ino) return;
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  throw new Error(`the follower did not reach line ${lineNo} of ${file}`);
}

interface Run { summary: IngestSummary; code: number | null; stderr: string }

/** Starts `siftlog ingest --follow`, runs `steps` while it follows, then stops it with SIGINT. */
async function follow(store: string, file: string, steps: () => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, [cli, 'ingest', '--follow', '--json', '-s', store, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  await steps();
  child.kill('SIGINT');
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { summary: stdout ? JSON.parse(stdout) : {}, code, stderr };
}

t.test('--follow reads appended lines across rename and copytruncate rotation, and resumes from its checkpoint', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-follow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = copyTemplateStore(join(dir, 'store'));
  const log = join(dir, 'access.log');
  writeFileSync(log, lines(0, 10));

  const first = await follow(store, log, async () => {
    await caughtUp(store, log, 11);
    appendFileSync(log, lines(10, 15));
    await caughtUp(store, log, 16);
    renameSync(log, `${log}.1`); // rename rotation: the old file gets a late line, a new file appears
    appendFileSync(`${log}.1`, lines(15, 16));
    writeFileSync(log, lines(16, 20));
    await caughtUp(store, log, 5);
    copyFileSync(log, `${log}.2`); // copytruncate rotation
    truncateSync(log, 0);
    await sleep(1200);
    appendFileSync(log, lines(20, 23));
    appendFileSync(log, 'half a li'); // an incomplete line is not read until its newline arrives
    await caughtUp(store, log, 4);
  });
  t.equal(first.code, 0, first.stderr);
  t.equal(first.summary.parsed, 23, 'every complete line once: 10 + 5 + 1 late + 4 + 3');
  t.equal(first.summary.rejected, 0);

  appendFileSync(log, 'ne\n'); // completes the line: it is not an access-log line
  appendFileSync(log, lines(23, 25));
  const second = await follow(store, log, () => caughtUp(store, log, 7));
  t.equal(second.code, 0, second.stderr);
  t.equal(second.summary.linesRead, 3, 'the restart reads only what came after the checkpoint');
  t.equal(second.summary.parsed, 2);
  t.equal(second.summary.rejected, 1);
  const checkpoint = JSON.parse(readFileSync(join(store, 'state', 'follow-checkpoints.json'), 'utf8'));
  t.equal(checkpoint[log].lineNo, 7, 'after the truncation the file holds 6 lines');
});
