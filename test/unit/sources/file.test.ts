import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { checkInput } from '../../../src/sources/file.js';
import { readAll } from '../../helpers/read-all.js';

const fixtures = new URL('../../../fixtures/logs/', import.meta.url).pathname;

const plain = readFileSync(join(fixtures, 'sample.log'), 'utf8').trimEnd().split('\n');

t.test('gzip, bzip2 and zstd files read to the same lines as the plain file', async (t) => {
  t.equal(plain.length, 11);
  for (const name of ['sample.log.gz', 'sample.log.bz2', 'sample.log.zst']) {
    const { lines, error } = await readAll(join(fixtures, name));
    t.equal(error, null, name);
    t.same(lines, plain, name);
  }
});

t.test('truncated compressed files keep what was read and name the file and offset', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-src-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, bytes] of [['cut.log.gz', 400], ['cut.log.zst', 300]] as const) {
    const path = join(dir, name);
    writeFileSync(path, readFileSync(join(fixtures, name.replace('cut', 'sample'))).subarray(0, bytes));
    const { error } = await readAll(path);
    t.match(error, new RegExp(`^${path}: (the compressed data ends early|zstd data ends early).* after ${bytes} bytes of the file; the \\d+ lines read before it were kept$`), name);
  }
});

t.test('overlong lines are cut at the cap and reported by line number', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-src-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'long.log');
  writeFileSync(path, `short\n${'x'.repeat(1000)}\nafter\r\n`);
  const { lines, oversized } = await readAll(path, 256);
  t.same(lines.map((l) => l.length), [5, 256, 5]);
  t.same(oversized, [2]);
});

t.test('invalid UTF-8 becomes U+FFFD and the line is kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-src-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'latin1.log');
  writeFileSync(path, Buffer.from([0x61, 0xe9, 0x62, 0x0a]));
  t.same((await readAll(path)).lines, ['a\uFFFDb']);
});

t.test('empty files yield nothing; directories, missing and unreadable files are refused with a reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-src-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  t.same((await readAll(empty)).lines, []);
  await t.rejects(checkInput({ name: dir, path: dir }), { message: `${dir}: is a directory, not a log file (give the files in it, or a glob such as "dir/*.log*")` });
  await t.rejects(checkInput({ name: 'nope.log', path: join(dir, 'nope.log') }), { message: 'nope.log: no such file' });
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked.log');
    writeFileSync(locked, 'x\n');
    chmodSync(locked, 0o000);
    await t.rejects(checkInput({ name: 'locked.log', path: locked }), { message: 'locked.log: permission denied (the file exists but this user cannot read it)' });
  }
});

t.test('JSON documents ({"Records":[…]} and top-level arrays) stream one record per line; NDJSON stays lines', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-src-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const records = join(dir, 'export.json');
  writeFileSync(records, '{\n  "Records": [\n    {"ip": "192.0.2.1", "n": 1},\n    {"ip": "192.0.2.2", "tags": ["a"]}\n  ],\n  "next": null\n}\n');
  t.same((await readAll(records)).lines, ['{"ip":"192.0.2.1","n":1}', '{"ip":"192.0.2.2","tags":["a"]}']);
  const array = join(dir, 'array.json');
  writeFileSync(array, '[{"a":1},{"a":2},{"a":3}]');
  t.same((await readAll(array)).lines, ['{"a":1}', '{"a":2}', '{"a":3}']);
  const ndjson = join(dir, 'access.ndjson');
  writeFileSync(ndjson, '{"Records_seen":1}\n{"a":2}\n');
  t.same((await readAll(ndjson)).lines, ['{"Records_seen":1}', '{"a":2}']);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '[{"a":1},{"a":');
  const result = await readAll(broken);
  t.same(result.lines, ['{"a":1}']);
  t.match(result.error, /broken\.json: the JSON document is damaged or ends early \(Parser .*\) after 14 bytes of the file; the 1 lines read before it were kept$/);
});
