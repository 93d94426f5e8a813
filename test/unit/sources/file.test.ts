import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { checkInput, readLines, SourceError, type LineBatch } from '../../../src/sources/file.js';
import { tempDir } from '../../helpers/cli.js';

async function collect(path: string, maxLineLength = 1000): Promise<{ lines: string[]; oversized: number[]; error: string | null }> {
  const lines: string[] = [];
  const oversized: number[] = [];
  let error: string | null = null;
  try {
    for await (const batch of readLines({ name: path, path }, { maxLineLength }) as AsyncGenerator<LineBatch>) {
      t.equal(batch.firstLineNo, lines.length + 1, 'batches number their lines consecutively');
      for (const i of batch.oversized) oversized.push(batch.firstLineNo + i);
      lines.push(...batch.lines);
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    error = err.message;
  }
  return { lines, oversized, error };
}

t.test('plain and gzip inputs read the same lines; CRLF and a missing final newline are handled', async (t) => {
  const dir = tempDir(t);
  const text = 'one\r\ntwo\n\nfour';
  writeFileSync(join(dir, 'a.log'), text);
  writeFileSync(join(dir, 'a.log.gz'), gzipSync(text));
  writeFileSync(join(dir, 'b.txt'), gzipSync(text)); // gzip is recognised by content, not name
  for (const name of ['a.log', 'a.log.gz', 'b.txt']) {
    t.same((await collect(join(dir, name))).lines, ['one', 'two', '', 'four'], name);
  }
});

t.test('concatenated gzip members are read through', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'c.gz'), Buffer.concat([gzipSync('a\nb\n'), gzipSync('c\n')]));
  t.same((await collect(join(dir, 'c.gz'))).lines, ['a', 'b', 'c']);
});

t.test('a truncated gzip keeps what was read and names file and offset', async (t) => {
  const dir = tempDir(t);
  const lines = Array.from({ length: 20000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);
  const full = gzipSync(lines.join('\n'));
  const file = join(dir, 'cut.log.gz');
  writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));
  const result = await collect(file);
  t.ok(result.lines.length > 1000 && result.lines.length < 20000, `kept ${result.lines.length} lines`);
  t.same(result.lines.slice(0, 3), lines.slice(0, 3));
  t.match(result.error, `${file}: the compressed data ends early (truncated gzip) after`);
  t.match(result.error, 'lines read before it were kept');
});

t.test('lines over the cap are cut and reported by number', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'long.log');
  writeFileSync(file, `short\n${'y'.repeat(5000)}\nafter\n${'z'.repeat(3000)}`);
  const result = await collect(file, 1000);
  t.same(result.oversized, [2, 4]);
  t.same(result.lines.map((l) => l.length), [5, 1000, 5, 1000]);
  t.equal(result.lines[2], 'after');
});

t.test('invalid UTF-8 becomes U+FFFD and NUL bytes stay in their line', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'bytes.log');
  writeFileSync(file, Buffer.from([0x61, 0xff, 0x62, 0x0a, 0x63, 0x00, 0x64, 0x0a]));
  t.same((await collect(file)).lines, ['a\ufffdb', 'c\u0000d']);
});

t.test('an empty file has no lines and no error', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'empty.log'), '');
  t.same(await collect(join(dir, 'empty.log')), { lines: [], oversized: [], error: null });
});

t.test('directories and missing files are refused with a message', async (t) => {
  const dir = tempDir(t);
  await t.rejects(checkInput({ name: dir, path: dir }), { message: /is a directory, not a log file/ });
  await t.rejects(checkInput({ name: 'nope', path: join(dir, 'nope') }), { message: 'nope: no such file' });
});
