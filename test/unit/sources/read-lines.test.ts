import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { tempDir } from '../../helpers/cli.js';
import { readAll } from '../../helpers/read-all.js';

async function collect(path: string): Promise<{ lines: string[] }> {
  const result = await readAll(path, 1000);
  t.ok(result.consecutive, 'batches number their lines consecutively');
  t.equal(result.error, null);
  return result;
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
