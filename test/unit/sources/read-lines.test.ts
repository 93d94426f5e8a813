import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { readLines, SourceError, type LineBatch } from '../../../src/sources/file.js';
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
