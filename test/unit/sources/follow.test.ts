import { appendFileSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import type { FollowPosition } from '../../../src/sources/checkpoint.js';
import { followFile, type FollowBatch } from '../../../src/sources/follow.js';

/** Follows `path` while `steps` run, then stops; returns every batch read. */
async function collect(path: string, start: FollowPosition | null, steps: () => Promise<void>, maxLineLength = 65_536): Promise<FollowBatch[]> {
  const stop = new AbortController();
  const batches: FollowBatch[] = [];
  const reading = (async () => {
    for await (const batch of followFile(path, 'access.log', { maxLineLength, pollMs: 10 }, start, stop.signal)) batches.push(batch);
  })();
  await sleep(50);
  await steps();
  await sleep(100);
  stop.abort();
  await reading;
  return batches;
}

const linesOf = (batches: FollowBatch[]) => batches.flatMap((b) => b.lines);

t.test('appended lines are read once complete; a rename rotation continues in the new file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-follow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  writeFileSync(path, 'a\nb\n');
  const batches = await collect(path, null, async () => {
    appendFileSync(path, 'c\nd');
    await sleep(50);
    appendFileSync(path, 'e\r\n');
    await sleep(50);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'late\n');
    writeFileSync(path, 'new1\n');
  });
  t.same(linesOf(batches), ['a', 'b', 'c', 'de', 'late', 'new1']);
  const last = batches[batches.length - 1].position;
  t.same([last.ino, last.offset, last.lineNo], [statSync(path).ino, 5, 2]);
});

t.test('a checkpoint of the same file resumes after its last line; of another file, from the start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-follow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  writeFileSync(path, 'one\ntwo\nthree\n');
  const { dev, ino } = statSync(path);
  const resumed = await collect(path, { dev, ino, offset: 8, lineNo: 3 }, async () => undefined);
  t.same(linesOf(resumed), ['three']);
  t.equal(resumed[0].firstLineNo, 3);
  const other = await collect(path, { dev, ino: ino + 1, offset: 8, lineNo: 3 }, async () => undefined);
  t.same(linesOf(other), ['one', 'two', 'three']);
});

t.test('copytruncate: a file shorter than the position is read again from the start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-follow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  writeFileSync(path, 'first line\nsecond line\n');
  const batches = await collect(path, null, async () => {
    writeFileSync(path, 'x\n'); // truncate + write, as logrotate's copytruncate and the server do
  });
  t.same(linesOf(batches), ['first line', 'second line', 'x']);
});

t.test('a line longer than the cap is reported once, cut, and its tail skipped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-follow-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  writeFileSync(path, `ok\n${'x'.repeat(5000)}\nafter\n`);
  const batches = await collect(path, null, async () => undefined, 256);
  t.same(linesOf(batches).map((l) => l.length), [2, 256, 5]);
  t.same(batches.flatMap((b) => b.oversized.map((i) => b.firstLineNo + i)), [2]);
});
