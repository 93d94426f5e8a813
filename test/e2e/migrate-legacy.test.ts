import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, siftlogInProcess, sqlRowsInProcess as sqlRows, tempDir } from '../helpers/cli.js';

const LEGACY = join(ROOT, 'fixtures', 'stores', 'siftlog-0.1.0.tar.gz');
const MARCH = join(ROOT, 'fixtures', 'stores', 'legacy-march.log');

/** What traffic_daily answered in the store siftlog 0.1.0 wrote (fixtures/stores/README.md). */
const LEGACY_DAYS = [
  { site: 'default', day: '2015-05-17', hits: 5, visitors: 3 },
  { site: 'default', day: '2015-05-18', hits: 2, visitors: 1 },
  { site: 'www.example.com', day: '2015-05-18', hits: 1, visitors: 1 },
  { site: 'default', day: '2024-03-01', hits: 5, visitors: 5 },
];

t.test('a store written by siftlog 0.1.0 still answers, migrates on the next ingest, and keeps every row once', async (t) => {
  const dir = tempDir(t);
  execFileSync('tar', ['xzf', LEGACY, '-C', dir]);
  const store = join(dir, 'store');
  const daily = 'SELECT site, toString(day) AS day, hits, visitors FROM traffic_daily ORDER BY day, site';

  t.same(await sqlRows(store, daily), LEGACY_DAYS, 'read-only queries work before any migration');
  t.same(await siftlogInProcess(['runs', '--store', store]), {
    code: 1, stdout: '', stderr: `siftlog: ${store} has no run log yet (written by siftlog 0.1.0): the next ingest migrates it\n`,
  });

  const log = join(dir, 'april.log');
  writeFileSync(log, '198.51.100.9 - - [01/Apr/2024:08:00:00 +0000] "GET /new HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"\n');
  const run = await siftlogInProcess(['ingest', log, MARCH, '--store', store, '--json']);
  t.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  t.match(summary, { parsed: 1, alreadyLoaded: 5, rowsWritten: 1 }, 'the input 0.1.0 loaded is known by its fingerprint');

  t.same(await sqlRows(store, daily), [...LEGACY_DAYS, { site: 'default', day: '2024-04-01', hits: 1, visitors: 1 }]);
  t.same(await sqlRows(store, `SELECT sum(pageviews) AS views, countDistinctIf(path, pageviews > 0) AS pages FROM pages_daily`), [
    { views: 10, pages: 10 },
  ], 'the 4 pages of the sample, 5 of March and the new one');
  t.same(await sqlRows(store, 'SELECT status, inputs, lines_read, rows_written FROM ingest_runs ORDER BY started, rows_written'), [
    { status: 'published', inputs: 1, lines_read: 11, rows_written: 8 },
    { status: 'published', inputs: 1, lines_read: 5, rows_written: 5 },
    { status: 'published', inputs: 2, lines_read: 6, rows_written: 1 },
  ], 'the old runs are in the run log');
  t.match((await siftlogInProcess(['runs', '--store', store])).stdout, /ingest +published .*\n.*ingest +published .*\n.*ingest +published/);
  t.same(await sqlRows(store, `SELECT name FROM system.tables WHERE database = 'siftlog' AND engine = 'MaterializedView'`), [],
    'no view fires per insert any more');
  t.same(await sqlRows(store, `SELECT count() AS n FROM requests WHERE input_fingerprint = ''`), [{ n: 0 }],
    'rows of single-input runs got their input\'s fingerprint');

  // The trend tables built per day from requests agree with what the old views built.
  const forced = await siftlogInProcess(['ingest', MARCH, '--store', store, '--force', '--json']);
  t.equal(forced.code, 0, forced.stderr);
  t.match(JSON.parse(forced.stdout), { parsed: 5, rowsReplaced: 5, warnings: [] });
  t.same(await sqlRows(store, daily), [...LEGACY_DAYS, { site: 'default', day: '2024-04-01', hits: 1, visitors: 1 }],
    'the March day rebuilt from requests equals the one the views built; nothing counted twice');
  t.same(await sqlRows(store, 'SELECT count() AS n FROM requests'), [{ n: 14 }]);
});

const MAIN_V5 = join(ROOT, 'fixtures', 'stores', 'siftlog-main-v5.tar.gz');

t.test('a store written before visits (schema 5) migrates: old rows keep their counts, new runs add visits, the class joins the key', async (t) => {
  const dir = tempDir(t);
  execFileSync('tar', ['xzf', MAIN_V5, '-C', dir]);
  const store = join(dir, 'store');
  const daily = 'SELECT site, toString(day) AS day, hits, visitors FROM traffic_daily ORDER BY day, site';
  t.same(await sqlRows(store, daily), LEGACY_DAYS, 'the same sample and March log, loaded by the load path');

  const log = join(dir, 'april.log');
  writeFileSync(log, [
    '198.51.100.9 - - [01/Apr/2024:08:00:00 +0000] "GET /new HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"',
    '198.51.100.9 - - [01/Apr/2024:08:03:00 +0000] "GET /newer HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"',
  ].join('\n'));
  const run = await siftlogInProcess(['ingest', log, '--store', store, '--json']);
  t.equal(run.code, 0, run.stderr);
  t.same(await sqlRows(store, daily), [...LEGACY_DAYS, { site: 'default', day: '2024-04-01', hits: 2, visitors: 1 }]);
  t.same(await sqlRows(store, `SELECT toString(start) AS start, duration, pageviews, entry_page, exit_page, is_open FROM visits`), [
    { start: '2024-04-01 08:00:00', duration: 180, pageviews: 2, entry_page: '/new', exit_page: '/newer', is_open: 1 },
  ], 'the new run\'s visit; older days have no visit rows until they are loaded again');
  t.same(await sqlRows(store, `SELECT sorting_key FROM system.tables WHERE database = 'siftlog' AND name = 'clients_daily'`), [
    { sorting_key: 'site, day, is_bot, device_type, os, browser, browser_version, bot_name, client_class, is_person' },
  ]);
  t.same(await sqlRows(store, `SELECT client_class, is_person, sum(hits) AS hits FROM clients_daily GROUP BY ALL ORDER BY ALL`), [
    { client_class: '', is_person: 1, hits: 11 }, { client_class: 'bot', is_person: 0, hits: 2 }, { client_class: 'browser', is_person: 1, hits: 2 },
  ], 'rows of the earlier version take their class from is_bot');
  t.same(await sqlRows(store, `SELECT count() AS n, countIf(duration_ms IS NULL) AS untimed FROM requests`), [{ n: 15, untimed: 15 }],
    'earlier rows have no duration: NULL, never 0');
});
