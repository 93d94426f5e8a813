import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { IngestSummary } from '../../src/pipeline/ingest.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { siftlogInProcess, tempDir } from '../helpers/cli.js';
import { syntheticLines } from '../helpers/logs.js';
import { dumpDifference, dumpStore } from '../helpers/store-dump.js';
import { serverTarget } from '../support/server-target.js';

/**
 * The server code path (--url): HTTP, auth, settings, errors, retries and publishing, against the real
 * engine behind ClickHouse's HTTP interface (the test-only harness, test/support/chdb-http-server.ts), or
 * against a real server when CLICKHOUSE_URL is set (docs/server.md, "Testing against a server"). Each test
 * uses databases of its own on the one server of this file.
 */
const target = await serverTarget(t);
const needsHarness = target.harness === null ? 'makes faults: needs the test harness, not a real server' : false;

function writeLog(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function ingest(args: string[]): Promise<IngestSummary> {
  const run = await siftlogInProcess(['ingest', '--json', ...args]);
  if (run.code !== 0) throw new Error(`ingest failed (${run.code}): ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as IngestSummary;
}

/** A store on the target server, opened in this process. */
function openServer(dir: string, database: string, extra: Partial<Parameters<typeof Store.open>[0]> = {}): Promise<Store> {
  return Store.open({ dir, url: target.url, user: target.user, password: target.password, caFile: target.caFile, database, ...extra });
}

t.test('a run published through a server gives the tables the embedded engine gives, row for row', async (t) => {
  const dir = tempDir(t);
  const log = writeLog(dir, 'access.log', syntheticLines({ lines: 600, days: 1, clients: 80, seed: 7, start: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) }));
  const embedded = join(dir, 'embedded');
  const first = await ingest([log, '--store', embedded]);
  t.equal(first.rowsWritten > 0, true);
  // Visitor ids come from the day's salt and input fingerprints from a key, both kept in the store
  // folder's state: the server run uses the same. (Recent days: salts older than the window are deleted.)
  const served = join(dir, 'served');
  cpSync(join(embedded, 'state'), join(served, 'state'), { recursive: true });
  const database = target.database(t);
  const second = await ingest([log, '--store', served, ...target.args(database)]);
  t.match(second, { parsed: first.parsed, rowsWritten: first.rowsWritten, days: first.days });

  const expected = await dumpStore(embedded);
  const actual = await dumpStore(served, { url: target.url, user: target.user, password: target.password, caFile: target.caFile, database });
  t.same(Object.keys(actual).sort(), Object.keys(expected).sort(), 'the same tables');
  t.same(dumpDifference(actual, expected), [], 'the same rows in every table');
  t.equal(expected.requests.length, first.rowsWritten);

  const runs = await siftlogInProcess(['runs', '--json', '--store', served, ...target.args(database)]);
  t.equal(runs.code, 0, runs.stderr);
  t.match(JSON.parse(runs.stdout), [{ status: 'published', rowsWritten: first.rowsWritten }]);
  const again = await ingest([log, '--store', served, ...target.args(database)]);
  t.match(again, { rowsWritten: 0, alreadyLoaded: 600 }, 'what was loaded is known to the server');
});

t.test('--database keeps a store in databases of its own; the default siftlog database is not created', async (t) => {
  const dir = tempDir(t);
  const database = target.database(t);
  await ingest([writeLog(dir, 'a.log', syntheticLines({ lines: 20, days: 1 })), '--store', dir, ...target.args(database)]);
  const store = await openServer(dir, database, { readOnly: true });
  t.teardown(() => store.close());
  const rows = await (await store.client.query({
    query: 'SELECT name FROM system.databases WHERE startsWith(name, {prefix:String}) ORDER BY name',
    query_params: { prefix: database }, format: 'JSONEachRow',
  })).json<{ name: string }>();
  t.same(rows.map((r) => r.name), [database, `${database}_staging`]);
  const count = await (await store.client.query({ query: 'SELECT count() AS n FROM siftlog.requests', format: 'JSONEachRow' })).json<{ n: string }>();
  t.same(count, [{ n: '20' }], 'siftlog.requests in SQL is the store\'s own database');
  const bad = await siftlogInProcess(['sql', '--store', dir, '--url', target.url, '--database', 'x-y', 'SELECT 1']);
  t.same(bad, { code: 1, stdout: '', stderr: 'siftlog: --database x-y: a database name is a letter or _ then letters, digits or _ (at most 63), not ending in _staging or _secrets\n' });
  const embedded = await siftlogInProcess(['sql', '--store', dir, '--database', 'other', 'SELECT 1']);
  t.same(embedded, { code: 1, stdout: '', stderr: 'siftlog: --database is for a ClickHouse server (--url): an embedded store is its folder (--store)\n' });
});

t.test('a read-only command sends the readonly setting, and the server refuses its writes', async (t) => {
  const dir = tempDir(t);
  const database = target.database(t);
  await ingest([writeLog(dir, 'a.log', syntheticLines({ lines: 5, days: 1 })), '--store', dir, ...target.args(database)]);
  const refused = await siftlogInProcess(['sql', '--store', dir, ...target.args(database), 'TRUNCATE TABLE requests']);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /^siftlog: this statement would change the store, and `siftlog sql` is read-only/);
  const count = await siftlogInProcess(['sql', '--store', dir, ...target.args(database), '--format', 'csv', 'SELECT count() AS n FROM siftlog.requests']);
  t.same(count, { code: 0, stdout: '"n"\n5\n', stderr: '' }, 'nothing was removed');
  const settings = await siftlogInProcess(['sql', '--store', dir, ...target.args(database), '--format', 'csv', "SELECT getSetting('readonly') AS r, {x:String} AS x SETTINGS max_threads = 1".replace('{x:String}', "'a''b'")]);
  t.same(settings, { code: 0, stdout: '"r","x"\n2,"a\'b"\n', stderr: '' });
});

t.test('a SQL error from the server is one siftlog line with ClickHouse\'s reason', async (t) => {
  const dir = tempDir(t);
  const database = target.database(t);
  await (await openServer(dir, database)).close();
  const run = await siftlogInProcess(['sql', '--store', dir, ...target.args(database), 'SELECT * FROM siftlog.no_such_table']);
  t.equal(run.code, 1);
  t.match(run.stderr, /^siftlog: [^\n]*no_such_table[^\n]*\n$/);
  t.notMatch(run.stderr, /\n {4}at /, 'no stack trace');
  const missing = await siftlogInProcess(['sql', '--store', dir, ...target.args(`${database}x`), 'SELECT 1']);
  t.same(missing, {
    code: 1, stdout: '',
    stderr: `siftlog: ClickHouse at ${target.url} holds no siftlog store in database ${database}x yet: load logs into it first (siftlog ingest <logs> --url … --database ${database}x)\n`,
  }, 'a read-only command on a database that is not there says so, and creates nothing');
});

t.test('the user and password are checked; a refused user is named, the password never printed', { skip: target.harness === null ? 'the harness\'s own users' : false }, async (t) => {
  const { startHarness } = await import('../support/chdb-http.js');
  const harness = await startHarness(t, { writer: { password: 'right horse' }, dashboard: { password: 'staple', readonly: 1 } });
  const dir = tempDir(t);
  const wrong = await siftlogInProcess(['sql', '--store', dir, '--url', harness.url, '--user', 'writer', 'SELECT 1']);
  t.equal(wrong.code, 1);
  t.match(wrong.stderr, /^siftlog: ClickHouse at http:\/\/127\.0\.0\.1:\d+ refused the user writer: [^\n]*Authentication failed[^\n]*Check --user \(CLICKHOUSE_USER\) and the password \(CLICKHOUSE_PASSWORD\)\.\n$/);

  const saved = process.env.CLICKHOUSE_PASSWORD;
  process.env.CLICKHOUSE_PASSWORD = 'right horse';
  t.teardown(() => {
    if (saved === undefined) delete process.env.CLICKHOUSE_PASSWORD;
    else process.env.CLICKHOUSE_PASSWORD = saved;
  });
  const right = await siftlogInProcess(['sql', '--store', dir, '--url', harness.url, '--user', 'writer', '--write', '--format', 'csv', 'SELECT 1 AS ok']);
  t.same(right, { code: 0, stdout: '"ok"\n1\n', stderr: '' }, 'the password from CLICKHOUSE_PASSWORD');

  const flag = await siftlogInProcess(['sql', '--store', dir, '--url', harness.url, '--user', 'writer', '--password', 'right horse', '--write', '--format', 'csv', 'SELECT 1 AS one']);
  t.same(flag, {
    code: 0, stdout: '"one"\n1\n',
    stderr: 'siftlog: warning: --password on the command line is kept in shell history and shown to every user by ps: set CLICKHOUSE_PASSWORD instead\n',
  });
  t.notMatch(flag.stderr, 'right horse');

  process.env.CLICKHOUSE_PASSWORD = 'staple';
  const log = writeLog(dir, 'a.log', syntheticLines({ lines: 5, days: 1 }));
  const readOnlyUser = await siftlogInProcess(['ingest', log, '--store', join(dir, 's'), '--url', harness.url, '--user', 'dashboard']);
  t.equal(readOnlyUser.code, 1);
  t.match(readOnlyUser.stderr, /^siftlog: [^\n]*readonly[^\n]*\n$/i, 'a read-only user cannot load: the server says so');
  t.notMatch(readOnlyUser.stderr, 'staple');
});

t.test('a dropped read, and a server away for a moment: the request is sent again after a pause, with a notice each time', { skip: needsHarness }, async (t) => {
  const harness = target.harness!;
  const dir = tempDir(t);
  const database = target.database(t);
  const notices: string[] = [];
  const store = await openServer(dir, database, { retry: { attempts: 5, initialDelayMs: 200, maxDelayMs: 400 }, warn: (m) => notices.push(m) });
  t.teardown(() => store.close());
  await harness.faults([{ action: 'drop-before', match: 'SELECT 41', times: 2 }]);
  const rows = await (await store.client.query({ query: 'SELECT 41 + 1 AS n', format: 'JSONEachRow' })).json<{ n: number }>();
  t.same(rows, [{ n: 42 }]);
  t.equal(notices.length, 2);
  t.match(notices[0], /^ClickHouse at http:\/\/127\.0\.0\.1:\d+: [^\n]*; trying again in 0\.\d s \(retry 1 of 4\)$/);
  t.equal((await harness.log()).filter((s) => s.startsWith('SELECT 41')).length, 1, 'run once: the dropped tries never ran');

  await harness.pause(700);
  const after = await (await store.client.query({ query: 'SELECT 43 AS n', format: 'JSONEachRow' })).json<{ n: number }>();
  t.same(after, [{ n: 43 }], 'a server that went away for a moment is reached when it is back');
  t.match(notices.at(-1), /ECONNREFUSED/);
});

t.test('a request that timed out is sent again when running it twice is harmless', { skip: needsHarness }, async (t) => {
  const harness = target.harness!;
  const dir = tempDir(t);
  const database = target.database(t);
  const notices: string[] = [];
  const store = await openServer(dir, database, { requestTimeoutMs: 400, retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 }, warn: (m) => notices.push(m) });
  t.teardown(() => store.close());
  await harness.faults([{ action: 'delay', match: 'SELECT 7', times: 1, ms: 1500 }]);
  const rows = await (await store.client.query({ query: 'SELECT 7 AS n', format: 'JSONEachRow' })).json<{ n: number }>();
  t.same(rows, [{ n: 7 }]);
  t.match(notices, [/: Timeout error\.?; trying again in 0\.\d s \(retry 1 of 2\)$/]);
});

t.test('when the server stays away, the failure says how often it was tried', { skip: needsHarness }, async (t) => {
  const harness = target.harness!;
  const dir = tempDir(t);
  const database = target.database(t);
  const store = await openServer(dir, database, { retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 } });
  t.teardown(() => store.close());
  await harness.pause(2000);
  await t.rejects(store.client.query({ query: 'SELECT 1', format: 'JSONEachRow' }), { message: /ECONNREFUSED[^\n]*\(3 tries\)$/ });
  await new Promise((resolve) => setTimeout(resolve, 2100));
});

t.test('a batch that may have reached the server is not sent twice: the run fails, production is as it was', { skip: needsHarness }, async (t) => {
  const harness = target.harness!;
  const dir = tempDir(t);
  const database = target.database(t);
  const args = ['--store', join(dir, 'store'), ...target.args(database)];
  await ingest([writeLog(dir, 'a.log', syntheticLines({ lines: 50, days: 2, seed: 1 })), ...args]);
  const server = { url: target.url, database };
  const before = await dumpStore(join(dir, 'store'), server);

  const seen = (await harness.log()).length;
  await harness.faults([{ action: 'drop-after', match: `^INSERT INTO ${database}_staging\\.`, times: 1 }]);
  const failed = await siftlogInProcess(['ingest', writeLog(dir, 'b.log', syntheticLines({ lines: 50, days: 2, seed: 2 })), ...args]);
  t.equal(failed.code, 1);
  t.match(failed.stderr, /^siftlog: [^\n]*(socket hang up|ECONNRESET)/);
  t.same(dumpDifference(await dumpStore(join(dir, 'store'), server), before), [], 'production untouched');
  const inserts = (await harness.log()).slice(seen).filter((s) => s.startsWith(`INSERT INTO ${database}_staging.`));
  t.equal(inserts.length, 1, 'the batch was sent once');
  const staging = await siftlogInProcess(['sql', ...args, '--format', 'csv', 'SELECT count() AS n FROM system.tables WHERE database = {db:String}'.replace('{db:String}', `'${database}_staging'`)]);
  t.same(staging, { code: 0, stdout: '"n"\n0\n', stderr: '' }, 'the run\'s staging was dropped');
  const runs = await siftlogInProcess(['runs', '--json', ...args]);
  t.match(JSON.parse(runs.stdout), [{ status: 'failed', message: /socket hang up|ECONNRESET/ }, { status: 'published' }], 'the run is recorded as failed');
});
