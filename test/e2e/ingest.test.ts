import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import t from 'tap';
import { siftlog, siftlogAsync, siftlogInProcess, sqlRowsInProcess as sqlRows, tempDir } from '../helpers/cli.js';
import { copyTemplateStore, migratedStore } from '../helpers/store-template.js';

const SAMPLE = 'fixtures/logs/sample.log.gz';

// What fixtures/logs/sample.log holds that must never reach the store in any form.
const SECRETS = [
  '83.149.9.216', '66.249.66.1', '1.1.1.1', '9.9.9.9', '2001:4860:4860::8888', '2001:4860:4860:0:0:0:0:8888',
  String(83 * 2 ** 24 + 149 * 2 ** 16 + 9 * 256 + 216), // 83.149.9.216 as an integer
  'alice', 'jane.doe', 'bob.smith', 'jane.doe@example.com', 'bob.smith@example.com', 'session=8f2a9c', '8f2a9c',
];

t.test('ingest of the sample log: summary, rows, trend tables and no identity anywhere', async (t) => {
  const store = migratedStore(t);
  const run = await siftlogInProcess(['ingest', SAMPLE, '--store', store, '--json']);
  t.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  t.match(summary, {
    linesRead: 11, parsed: 8, rejected: 3, bots: 2, rowsWritten: 8,
    rejectedByReason: { not_access_log: 1, bad_timestamp: 1, bad_request_line: 1 },
    inputs: [{ input: SAMPLE, format: 'combined (auto, 8/11 sample lines)', linesRead: 11, parsed: 8, rejected: 3, error: null }],
  });

  t.test('requests hold anonymized, enriched rows', async (t) => {
    const rows = await sqlRows(store, `SELECT toString(ts) AS ts, site, path, query, status, is_bot, bot_name, client_net, country,
      asn, org, browser, os, device_type, referrer_host, is_page, is_entry FROM requests ORDER BY ts`);
    t.equal(rows.length, 8);
    t.same(rows[0], {
      ts: '2015-05-17 10:05:03', site: 'default', path: '/index.html', query: '', status: 200, is_bot: 0, bot_name: '',
      client_net: '83.149.9.0/24', country: 'RU', asn: 31133, org: 'PJSC MegaFon', browser: 'Chrome', os: 'macOS',
      device_type: 'desktop', referrer_host: 'www.google.com', is_page: 1, is_entry: 1,
    });
    t.match(rows[2], { path: '/robots.txt', is_bot: 1, bot_name: 'Googlebot', device_type: 'bot', asn: 15169 });
    t.match(rows[3], { client_net: '2001:4860:4860::/48', browser: 'Firefox', os: 'Linux', device_type: 'desktop' });
    t.match(rows[4], { path: '/account', query: 'utm_source=newsletter', device_type: 'mobile', referrer_host: 'mail.example.net' });
    t.match(rows[5], { path: '/users/{email}/profile', status: 500 });
    t.match(rows[6], { is_bot: 1, bot_name: 'no user agent' });
    t.match(rows[7], { site: 'www.example.com', path: '/blog/' });
  });

  t.test('trend tables agree with the rows', async (t) => {
    const daily = 'SELECT site, toString(day) AS day, hits, pageviews, visitors, visits, status_4xx, status_5xx, bot_hits FROM traffic_daily ORDER BY day, site';
    t.same(await sqlRows(store, daily), [
      { site: 'default', day: '2015-05-17', hits: 5, pageviews: 3, visitors: 3, visits: 3, status_4xx: 1, status_5xx: 0, bot_hits: 1 },
      { site: 'default', day: '2015-05-18', hits: 2, pageviews: 0, visitors: 1, visits: 1, status_4xx: 0, status_5xx: 1, bot_hits: 1 },
      { site: 'www.example.com', day: '2015-05-18', hits: 1, pageviews: 1, visitors: 1, visits: 1, status_4xx: 0, status_5xx: 0, bot_hits: 0 },
    ]);
    t.same(await sqlRows(store, `SELECT path, sum(pageviews) AS pv FROM pages_daily WHERE pageviews > 0 GROUP BY path ORDER BY pv DESC, path`), [
      { path: '/account', pv: 1 }, { path: '/blog/', pv: 1 }, { path: '/docs/', pv: 1 }, { path: '/index.html', pv: 1 },
    ]);
    t.same(await sqlRows(store, `SELECT device_type, sum(hits) AS hits FROM clients_daily GROUP BY device_type ORDER BY device_type`), [
      { device_type: 'bot', hits: 2 }, { device_type: 'desktop', hits: 4 }, { device_type: 'mobile', hits: 2 },
    ]);
    t.same(await sqlRows(store, 'SELECT lines_read, parsed, rejected, rows_written FROM ingest_runs'), [
      { lines_read: 11, parsed: 8, rejected: 3, rows_written: 8 },
    ]);
  });

  t.test('no address, user name or e-mail in any table or output file', async (t) => {
    const tables = await sqlRows<{ name: string }>(store, "SELECT name FROM system.tables WHERE database = 'siftlog' AND engine NOT LIKE '%View'");
    t.ok(tables.length >= 6, 'every table is dumped');
    let dump = '';
    for (const { name } of tables) {
      const result = await siftlogInProcess(['sql', '--store', store, '--format', 'csv', `SELECT * FROM siftlog.${name}`]);
      t.equal(result.code, 0, result.stderr);
      dump += result.stdout;
    }
    const quarantineDir = join(store, 'quarantine');
    for (const file of readdirSync(quarantineDir)) dump += readFileSync(join(quarantineDir, file), 'utf8');
    dump += run.stdout;
    for (const secret of SECRETS) t.notOk(dump.includes(secret), `${secret} is nowhere`);
    t.ok(dump.includes('83.149.9.0/24'), 'the truncated network is there (the dump is not empty)');
  });

  t.test('quarantine keeps file, line and reason of each rejected line', async (t) => {
    const [file] = readdirSync(join(store, 'quarantine'));
    t.equal(statSync(join(store, 'quarantine', file)).mode & 0o777, 0o600);
    const entries = readFileSync(join(store, 'quarantine', file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    t.same(entries.map((e) => [e.input, e.line, e.reason]), [
      [SAMPLE, 6, 'not_access_log'], [SAMPLE, 7, 'bad_timestamp'], [SAMPLE, 10, 'bad_request_line'],
    ]);
    t.equal(summary.quarantineFile, join(store, 'quarantine', file));
  });

  t.test('salts stay outside ClickHouse with mode 0600, and old days are pruned', async (t) => {
    // The sample is from 2015: far outside the 2-day window, so its salts are gone after the run.
    t.same(readdirSync(join(store, 'state', 'salts')), []);
    t.equal(statSync(join(store, 'state', 'salts')).mode & 0o777, 0o700);
  });
});

t.test('a second process on the same store gets a message naming the store', async (t) => {
  const store = migratedStore(t);
  // The first process reads stdin, which stays open until the second one has tried: it holds the store.
  // The second is this test process (a process of its own, without loading the engine once more).
  const first = siftlogAsync(['ingest', '-', '--format', 'combined', '--store', store]);
  const lock = join(store, 'siftlog.lock');
  // Until the lock and the engine's folder are there: a read-only command looks for the folder first.
  for (let i = 0; i < 400 && !(existsSync(lock) && existsSync(join(store, 'clickhouse'))); i++) await new Promise((r) => setTimeout(r, 25));
  const second = await siftlogInProcess(['sql', '--store', store, 'SELECT 1']);
  first.child.stdin.end('203.0.113.7 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8.0"\n');
  const done = await first.result;
  t.equal(done.code, 0, done.stderr);
  t.equal(second.code, 1);
  t.match(second.stderr, `the store ${store} is in use by siftlog process`);
  t.match(second.stderr, '--store');
});

t.test('stdin, plain files and bad inputs', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const line = '203.0.113.7 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"\n';
  const fromStdin = siftlog(['ingest', '-', '--format', 'combined', '--store', store, '--json'], line.repeat(3));
  t.equal(fromStdin.code, 0, fromStdin.stderr);
  t.match(JSON.parse(fromStdin.stdout), { parsed: 3, inputs: [{ input: '<stdin>', format: 'combined' }] });

  const missing = await siftlogInProcess(['ingest', join(dir, 'nope.log'), dir, '--store', store, '--json']);
  t.equal(missing.code, 2, 'exit 2: some input failed');
  const summary = JSON.parse(missing.stdout);
  t.match(summary.inputs, [{ error: 'no such file' }, { error: /is a directory/ }]);
  t.notMatch(missing.stderr, /at .*\.js:\d+/, 'no stack trace');

  const noMatch = await siftlogInProcess(['ingest', join(dir, '*.nothing'), '--store', store]);
  t.equal(noMatch.code, 1);
  t.match(noMatch.stderr, 'the pattern matches no file');

  const badFormat = await siftlogInProcess(['ingest', SAMPLE, '--format', 'klingon', '--store', store]);
  t.equal(badFormat.code, 1);
  t.match(badFormat.stderr, '--format klingon: unknown format');
});

t.test('times and numbers the store cannot hold reject their lines, by reason; the good lines load', async (t) => {
  const dir = tempDir(t);
  const store = copyTemplateStore(join(dir, 'store'));
  const log = join(dir, 'access.log');
  const at = (time: string, bytes = '10') => `203.0.113.7 - - [${time} +0000] "GET /p HTTP/1.1" 200 ${bytes} "-" "curl/8.0"`;
  writeFileSync(log, `${[
    at('01/Jan/2024:00:00:00'),
    at('31/Dec/1969:23:59:59'), // before 1970
    at('01/Jan/2107:00:00:00'), // was stored as 2106-02-07
    at('01/Jan/2286:00:00:00'),
    at('01/Jan/2915:00:00:00'), // made ClickHouse refuse the whole batch
    at('07/Feb/2106:06:28:15'), // the last second DateTime holds
  ].join('\n')}\n`);
  // JSON sizes are numbers of any size: 1e20 is past UInt64, 2.5 no whole number of bytes.
  const json = join(dir, 'access.json');
  const record = (bytes: string) => `{"time_iso8601":"2024-01-02T00:00:00+00:00","remote_addr":"203.0.113.8","request":"GET /j HTTP/1.1","status":"200","body_bytes_sent":${bytes}}`;
  writeFileSync(json, `${[record('1e20'), record('2.5'), record('7')].join('\n')}\n`);
  const run = await siftlogInProcess(['ingest', log, json, '--store', store, '--json']);
  t.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  t.match(summary, { linesRead: 9, parsed: 3, rejected: 6, rowsWritten: 3, rejectedByReason: { time_out_of_range: 4, value_out_of_range: 2 } });
  t.same(await sqlRows(store, 'SELECT toString(ts) AS ts, bytes FROM requests ORDER BY ts'), [
    { ts: '2024-01-01 00:00:00', bytes: 10 }, { ts: '2024-01-02 00:00:00', bytes: 7 }, { ts: '2106-02-07 06:28:15', bytes: 10 },
  ]);
  const quarantined = readFileSync(summary.quarantineFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  t.same(quarantined.map((e) => [basename(e.input), e.line, e.reason]), [
    ['access.log', 2, 'time_out_of_range'], ['access.log', 3, 'time_out_of_range'], ['access.log', 4, 'time_out_of_range'],
    ['access.log', 5, 'time_out_of_range'], ['access.json', 1, 'value_out_of_range'], ['access.json', 2, 'value_out_of_range'],
  ]);
});

t.test('a progress line on a terminal (stderr), cleared before the summary; nothing off a terminal', async (t) => {
  const dir = tempDir(t);
  const onTerminal = await siftlogInProcess(['ingest', SAMPLE, '--store', copyTemplateStore(join(dir, 'a'))], { tty: true });
  t.equal(onTerminal.code, 0);
  t.match(onTerminal.stderr.replaceAll('\u001b[K', '<clear>'),
    /^\r<clear>opening the geo and network databases \(compiled once into the cache folder\)\r<clear>fixtures\/logs\/sample\.log\.gz {2}publishing(\r<clear>)+$/);
  const offTerminal = await siftlogInProcess(['ingest', SAMPLE, '--store', copyTemplateStore(join(dir, 'b'))]);
  t.same([offTerminal.code, offTerminal.stderr], [0, '']);
});
