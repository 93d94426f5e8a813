import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT, siftlogInProcess, tempDir } from '../helpers/cli.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const SAMPLE = 'fixtures/logs/sample.log.gz';

// One store with the sample loaded, shared by the tests of this file: each leaves it as it found it (the
// last one makes it read-only for its own commands and gives write access back at its end).
const shared = tempDir(t);
const store = copyTemplateStore(join(shared, 'store'));
const loaded = await siftlogInProcess(['ingest', SAMPLE, '--store', store]);
t.equal(loaded.code, 0, `the sample loads ${loaded.stderr}`);

t.test('siftlog sql is read-only unless --write, and statements without rows print ok', async (t) => {

  const drop = await siftlogInProcess(['sql', '--store', store, 'DROP TABLE ingest_files']);
  t.same(drop, {
    code: 1, stdout: '',
    stderr: 'siftlog: this statement would change the store, and `siftlog sql` is read-only: add --write to run it (it then needs write access to the store)\n',
  });
  const insert = await siftlogInProcess(['sql', '--store', store, "INSERT INTO requests (path) VALUES ('/planted')"]);
  t.equal(insert.code, 1, 'an insert is refused too');
  t.same(await siftlogInProcess(['sql', '--store', store, '--format', 'csv', 'SELECT count() AS n FROM ingest_files']),
    { code: 0, stdout: '"n"\n1\n', stderr: '' }, 'the table is still there');

  t.same(await siftlogInProcess(['sql', '--store', store, '--write', 'CREATE TABLE scratch (n UInt8) ENGINE = Memory']),
    { code: 0, stdout: 'ok\n', stderr: '' }, 'no "Unexpected end of JSON input"');
  t.same(await siftlogInProcess(['sql', '--store', store, '--write', '--format', 'json', 'DROP TABLE scratch']), { code: 0, stdout: '', stderr: '' });
  const settings = await siftlogInProcess(['sql', '--store', store, '--format', 'csv', 'SELECT 1 AS one SETTINGS max_threads = 1']);
  t.same(settings, { code: 0, stdout: '"one"\n1\n', stderr: '' }, 'a query may still carry its own settings');
});

t.test('siftlog sql --file runs a query file, and --param binds its {name:Type} placeholders as ClickHouse does', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'day.sql');
  writeFileSync(file, '-- hits of one day\n/* a block comment */\nSELECT toString({day:Date}) AS day, {n:UInt8} + 1 AS next, {site:String} AS site;\n');
  t.same(await siftlogInProcess(['sql', '--store', store, '--format', 'csv', '--file', file, '--param', 'day=2026-11-30', '--param', 'n=41', '--param', "site=it's"]),
    { code: 0, stdout: '"day","next","site"\n"2026-11-30",42,"it\'s"\n', stderr: '' }, 'values are text, parsed as their placeholder types; quotes stay data');

  const query = 'SELECT count() AS n FROM ingest_files WHERE fingerprint != {none:String}';
  t.same(await siftlogInProcess(['sql', '--store', store, '--format', 'csv', query, '--param', 'none=']),
    { code: 0, stdout: '"n"\n1\n', stderr: '' }, 'an argument takes parameters too, and an empty value is a value');

  const refusals: [string[], string][] = [
    [['--file', file, '--param', 'day=2026-11-30', '--param', 'n=1'], 'siftlog: the query needs --param site=… (it uses {site:…})\n'],
    [[query, '--param', 'none=', '--param', 'other=1'], 'siftlog: the query has no {other:Type} placeholder for --param other\n'],
    [[query, '--param', 'none'], 'siftlog: --param none: expected name=value, e.g. --param day=2026-11-30\n'],
    [[query, '--param', 'none=a', '--param', 'none=b'], 'siftlog: --param none is given twice\n'],
    [['--file', join(dir, 'absent.sql')], `siftlog: cannot read the query file ${join(dir, 'absent.sql')}: no such file\n`],
    [[query, '--file', file], 'siftlog: give either a query or --file, not both\n'],
    [[], 'siftlog: give a query, e.g. siftlog sql "SELECT day, hits FROM traffic_daily", or --file queries/visits.sql\n'],
  ];
  for (const [args, stderr] of refusals) {
    t.same(await siftlogInProcess(['sql', '--store', store, ...args]), { code: 1, stdout: '', stderr }, args.join(' '));
  }
  const bad = await siftlogInProcess(['sql', '--store', store, '--file', file, '--param', 'day=30/11/2026', '--param', 'n=1', '--param', 'site=x']);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /^siftlog: [^\n]*30\/11\/2026[^\n]*\n$/, 'a value its type cannot read is one line naming it');
});

t.test('an unreachable server is one line naming it, with what to check', async (t) => {
  const run = await siftlogInProcess(['sql', '--url', 'http://user:secret@127.0.0.1:9', '--store', tempDir(t), 'SELECT 1']);
  t.equal(run.code, 1);
  t.match(run.stderr, /^siftlog: cannot reach ClickHouse at http:\/\/user:\*\*\*@127\.0\.0\.1:9: [^\n]*ECONNREFUSED[^\n]*Check --url \(or CLICKHOUSE_URL\)[^\n]*\n$/);
  t.notMatch(run.stderr, 'secret', 'the password is not printed');
});

t.test('read-only commands work on a store folder this user cannot write; ingest says why it cannot', async (t) => {
  const dir = shared;
  // Run as a user who may read the data but write nothing: `nobody` when the tests run as root, else
  // this user with the folders made read-only.
  const asRoot = process.getuid?.() === 0;
  for (const path of [dir, store, join(store, 'clickhouse')]) chmodSync(path, 0o755);
  const data = join(store, 'clickhouse');
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      const info = statSync(child);
      chmodSync(child, info.isDirectory() ? 0o555 : 0o444);
      if (info.isDirectory()) walk(child);
    }
  };
  walk(data);
  chmodSync(data, 0o555);
  chmodSync(store, 0o555);
  t.teardown(() => {
    chmodSync(store, 0o755);
    spawnSync('chmod', ['-R', 'u+w', store]);
  });
  const run = (args: string[]) => {
    // Without tap's NODE_OPTIONS: its process tracking would try to write under the repository as that user.
    const result = spawnSync('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$@"', 'sh', process.execPath, CLI, ...args], {
      cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const query = run(['sql', '--store', store, '--format', 'csv', 'SELECT site, toString(day) AS day, hits FROM traffic_daily ORDER BY day, site']);
  t.same(query, { code: 0, stdout: '"site","day","hits"\n"default","2015-05-17",5\n"default","2015-05-18",2\n"www.example.com","2015-05-18",1\n', stderr: '' });
  const views = run(['sql', '--store', store, '--format', 'csv', "SELECT count() AS n FROM companies_between(first = '2015-01-01', last = '2015-12-31')"]);
  t.equal(views.code, 0, views.stderr);
  const audit = run(['audit', '--store', store]);
  if (asRoot) {
    // The salts are the owner's alone (0700): another user's audit cannot vouch for them, and says so.
    t.equal(audit.code, 1, 'not clean');
    t.equal(audit.stderr, '');
    t.match(audit.stdout, /\nUNREAD quarantine: permission denied\nUNREAD state\/salts: permission denied\nincomplete: 2 places could not be read, so the store cannot be called clean; run the audit as the store's owner\n$/);
  } else {
    t.equal(audit.code, 0, audit.stderr);
    t.match(audit.stdout, /clean/);
  }
  const ingest = run(['ingest', SAMPLE, '--store', store]);
  t.equal(ingest.code, 1);
  t.equal(ingest.stderr, `siftlog: the store ${store} is not writable by this user: run siftlog as the store's owner, or give --store another folder\n`);
});
