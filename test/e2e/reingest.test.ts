import { appendFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import type { IngestSummary } from '../../src/pipeline/ingest.js';
import { siftlogInProcess, sqlRowsInProcess as sqlRows, tempDir } from '../helpers/cli.js';
import { copyTemplateStore, migratedStore } from '../helpers/store-template.js';

const SAMPLE_GZ = 'fixtures/logs/sample.log.gz';
const SAMPLE_BZ2 = 'fixtures/logs/sample.log.bz2';

/** A combined line for second `s` of 2024-03-01, from a client of its own. */
function line(s: number): string {
  return `198.51.100.${s % 250} - - [01/Mar/2024:10:00:${String(s).padStart(2, '0')} +0000] "GET /p/${s} HTTP/1.1" 200 ${100 + s} "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"\n`;
}
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i)).join('');

async function ingestJson(args: string[]): Promise<IngestSummary> {
  const run = await siftlogInProcess(['ingest', '--json', ...args]);
  if (run.code !== 0) throw new Error(`ingest failed (${run.code}): ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout);
}

t.test('a file loaded before, under any name or compression, is skipped and counted as already loaded', async (t) => {
  const store = migratedStore(t);
  const first = await ingestJson([SAMPLE_GZ, '--store', store]);
  t.match(first, { parsed: 8, rowsWritten: 8, alreadyLoaded: 0 });

  const again = await ingestJson([SAMPLE_GZ, SAMPLE_BZ2, '--store', store]);
  t.match(again, { linesRead: 22, parsed: 0, rejected: 0, rowsWritten: 0, alreadyLoaded: 22, quarantineFile: null });
  t.same(again.inputs.map((f) => [f.alreadyLoaded, f.loadedBy]), [[11, first.runId], [11, first.runId]]);
  t.same(await sqlRows(store, 'SELECT sum(hits) AS hits, count() AS days FROM traffic_daily'), [{ hits: 8, days: 3 }]);
  t.same(await sqlRows(store, 'SELECT count() AS n FROM requests'), [{ n: 8 }], 'no row twice');

  const human = await siftlogInProcess(['ingest', SAMPLE_GZ, '--store', store]);
  t.equal(human.code, 0);
  t.match(human.stdout, `11 lines: already loaded by run ${first.runId.slice(0, 8)}, nothing new`);
  t.match(human.stdout, /already loaded 11 lines skipped: .*--force loads them again/);

  const forced = await ingestJson([SAMPLE_GZ, '--store', store, '--force']);
  t.match(forced, { parsed: 8, rowsWritten: 8, alreadyLoaded: 0, rowsReplaced: 8, days: ['2015-05-17', '2015-05-18'] });
  t.same(await sqlRows(store, 'SELECT count() AS n, uniqExact(run_id) AS runs FROM requests'), [{ n: 8, runs: 1 }], '--force replaces, never adds');
  t.same(await sqlRows(store, 'SELECT sum(hits) AS hits FROM traffic_daily'), [{ hits: 8 }], 'and the trend tables follow');
});

t.test('--force of one input of an earlier run replaces that input\'s rows only', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  writeFileSync(join(dir, 'a.log'), lines(1, 5));
  writeFileSync(join(dir, 'b.log'), lines(10, 12));
  await ingestJson([join(dir, 'a.log'), join(dir, 'b.log'), '--store', store]);
  writeFileSync(join(dir, 'a.log'), lines(1, 6)); // grown by one line, loaded whole again
  const forced = await ingestJson([join(dir, 'a.log'), '--store', store, '--force']);
  t.match(forced, { parsed: 6, rowsReplaced: 5 });
  t.same(await sqlRows(store, 'SELECT path, count() AS n FROM requests GROUP BY path HAVING n > 1'), [], 'no row twice');
  t.same(await sqlRows(store, 'SELECT count() AS n FROM requests'), [{ n: 9 }]);
  t.same(await sqlRows(store, 'SELECT sum(hits) AS hits, sum(visits) AS visits FROM traffic_daily'), [{ hits: 9, visits: 9 }]);
});

t.test('a log that grew since the last run loads only its new lines, then again after rotation', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const log = join(dir, 'access.log');
  writeFileSync(log, lines(1, 4));
  t.match(await ingestJson([log, '--store', store]), { parsed: 4, alreadyLoaded: 0 });

  appendFileSync(log, lines(5, 30));
  const grown = await ingestJson([log, '--store', store]);
  t.match(grown, { linesRead: 30, parsed: 26, alreadyLoaded: 4 });
  t.same(await sqlRows(store, 'SELECT count() AS n, uniqExact(path) AS paths FROM requests'), [{ n: 30, paths: 30 }]);

  // logrotate: access.log becomes access.log.1.gz with two more lines written before the rename
  appendFileSync(log, lines(31, 32));
  writeFileSync(join(dir, 'access.log.1.gz'), gzipSync(lines(1, 32)));
  writeFileSync(log, lines(33, 35));
  const nightly = await ingestJson([join(dir, 'access.log*'), '--store', store]);
  t.same(nightly.inputs.map((f) => [basename(f.input), f.parsed, f.alreadyLoaded]), [
    ['access.log', 3, 0], ['access.log.1.gz', 2, 30],
  ]);
  t.same(await sqlRows(store, 'SELECT count() AS n, uniqExact(path) AS paths FROM requests'), [{ n: 35, paths: 35 }]);
  t.same(await sqlRows(store, `SELECT input, lines_read, already_loaded, length(fingerprint) > 0 AS named FROM ingest_files
    WHERE input LIKE '%.gz'`), [{ input: join(dir, 'access.log.1.gz'), lines_read: 32, already_loaded: 30, named: 1 }]);
});

t.test('the same content given twice in one run loads once', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a.log'), lines(1, 20));
  writeFileSync(join(dir, 'copy-of-a.log'), lines(1, 20));
  const run = await ingestJson([join(dir, 'a.log'), join(dir, 'copy-of-a.log'), '--store', copyTemplateStore(join(dir, 'store'))]);
  t.match(run, { parsed: 20, alreadyLoaded: 20 });
  t.same(run.inputs.map((f) => f.loadedBy), [null, run.runId]);
});

t.test('skipped header lines still set up the parser for the new lines after them (W3C #Fields)', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const log = join(dir, 'u_ex240301.log');
  const header = '#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes\n';
  const w3c = (s: number) => `2024-03-01 10:00:${String(s).padStart(2, '0')} 192.0.2.${s} GET /w/${s} 200 ${s}\n`;
  writeFileSync(log, header + w3c(1) + w3c(2));
  t.match(await ingestJson([log, '--store', store]), { parsed: 2, skipped: { directive: 2 } });
  appendFileSync(log, w3c(3) + w3c(4));
  const grown = await ingestJson([log, '--store', store]);
  t.match(grown, { parsed: 2, rejected: 0, alreadyLoaded: 4 });
  t.same(await sqlRows(store, 'SELECT path FROM requests ORDER BY ts'), [{ path: '/w/1' }, { path: '/w/2' }, { path: '/w/3' }, { path: '/w/4' }]);
});
