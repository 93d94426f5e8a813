import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { readLines, SourceError } from '../../../src/sources/file.js';
import { tempDir } from '../../helpers/cli.js';

/** 55,754 lines of varying length: enough for the last deflate blocks to span several read chunks. */
const LINES = Array.from({ length: 55_754 }, (_, i) => `203.0.113.${i % 250} - - [01/Mar/2024:10:00:00 +0000] "GET /p/${i}${'x'.repeat(i % 180)} HTTP/1.1" 200 ${i}`);
const TEXT = `${LINES.join('\n')}\n`;

async function read(path: string): Promise<{ lines: number; last: string; warnings: string[]; error: string | null }> {
  const result = { lines: 0, last: '', warnings: [] as string[], error: null as string | null };
  try {
    for await (const batch of readLines({ name: path, path }, { maxLineLength: 65_536, warn: (m) => result.warnings.push(m) })) {
      result.lines += batch.lines.length;
      result.last = batch.lines.at(-1) ?? result.last;
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    result.error = err.message;
  }
  return result;
}

t.test('gzip files read like gzip -d: members, padding and trailing garbage', async (t) => {
  const dir = tempDir(t);
  const write = (name: string, data: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const whole = gzipSync(TEXT);

  t.same(await read(write('plain.gz', whole)), { lines: LINES.length, last: LINES.at(-1), warnings: [], error: null });

  const members = write('members.gz', Buffer.concat([gzipSync(`${LINES.slice(0, 1000).join('\n')}\n`), gzipSync(''), gzipSync(`${LINES.slice(1000).join('\n')}\n`)]));
  t.same(await read(members), { lines: LINES.length, last: LINES.at(-1), warnings: [], error: null }, 'every member, an empty one too');

  const padded = write('padded.gz', Buffer.concat([whole, Buffer.alloc(4096)]));
  t.same(await read(padded), { lines: LINES.length, last: LINES.at(-1), warnings: [], error: null }, 'zero padding is not garbage');

  const garbage = write('garbage.gz', Buffer.concat([whole, Buffer.from('this is not gzip data\n'.repeat(3))]));
  const withGarbage = await read(garbage);
  t.same(withGarbage, {
    lines: LINES.length, last: LINES.at(-1), error: null,
    warnings: ['66 bytes of trailing garbage after the last gzip member were ignored (as gzip -d does); every line before them was read'],
  }, 'every line of the member before the garbage, and a warning (Node\'s gunzip kept 55,682 of these lines)');
  // gzip -d agrees on the lines (and exits 2 with a warning).
  let byGzip = '';
  try {
    byGzip = execFileSync('gzip', ['-dc', garbage], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (err) {
    byGzip = (err as { stdout: string }).stdout;
  }
  t.equal(byGzip, TEXT);

  const truncated = write('truncated.gz', whole.subarray(0, whole.length - 4000));
  const cut = await read(truncated);
  t.ok(cut.lines > 50_000 && cut.lines < LINES.length, `what was read before the break is kept (${cut.lines} lines)`);
  t.match(cut.error, /the compressed data ends early \(truncated gzip\) after \d+ bytes of the file/);

  const noTrailer = write('no-trailer.gz', whole.subarray(0, whole.length - 8));
  const almost = await read(noTrailer);
  t.equal(almost.lines, LINES.length, 'every line of a member whose trailer is missing');
  t.match(almost.error, /ends early/, 'and the file is reported as truncated');
});
