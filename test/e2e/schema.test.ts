import { readFileSync } from 'node:fs';
import t from 'tap';
import { renderedSchema, schemaStatements } from '../../src/cli/schema-command.js';
import { schemaObjects } from '../../src/sink/clickhouse/ddl.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { TREND_TABLES } from '../../src/sink/clickhouse/trends.js';
import { siftlogInProcess, tempDir } from '../helpers/cli.js';

/**
 * `siftlog schema --print / --grants`: rendered from the schema source (the migrations and privacy views run
 * on a scratch engine), every statement parsed by the engine's own parser, the single-server DDL giving
 * exactly what the migrations give, and the reader role kept from what the privacy rules keep from it.
 */
const schema = await renderedSchema(3);
const variants = {
  print: schemaStatements(schema, {}),
  printCluster: schemaStatements(schema, { cluster: 'web' }),
  printDatabase: schemaStatements(schema, { database: 'shop', cluster: 'web' }),
  grants: schemaStatements(schema, { grants: true }),
  grantsCluster: schemaStatements(schema, { grants: true, cluster: 'web', database: 'shop' }),
};
// First: the command opens a scratch engine of its own, and the engine binds one folder per process.
await t.test('siftlog schema prints the SQL with what it is for; a bad cluster name is one line', async (t) => {
  const run = await siftlogInProcess(['schema', '--grants', '--database', 'shop']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^-- siftlog roles for one server, schema version \d+, database shop\n/);
  t.match(run.stdout, '\nGRANT SELECT ON shop.traffic_hourly TO siftlog_reader;\n');
  t.match(run.stdout, '--   shop_secrets.* (the shared daily salts)');
  const bad = await siftlogInProcess(['schema', '--cluster', 'a b']);
  t.same(bad, { code: 1, stdout: '', stderr: 'siftlog: --cluster a b: a cluster name is a letter or _ then letters, digits or _\n' });
});

const store = await Store.open({ dir: tempDir(t) });
t.teardown(() => store.close());

t.test('every rendered statement parses with the engine\'s own parser', async (t) => {
  for (const [variant, statements] of Object.entries(variants)) {
    t.ok(statements.length > 10, `${variant}: ${statements.length} statements`);
    for (const statement of statements) {
      const parsed = await store.client.query({ query: 'SELECT formatQuery({q:String}) AS f', query_params: { q: statement }, format: 'JSONEachRow' })
        .then(async (r) => (await r.json<{ f: string }>())[0].f, (err: Error) => `FAILED: ${err.message.split('\n')[0]}`);
      if (parsed.startsWith('FAILED')) t.fail(`${variant}: ${statement.slice(0, 200)}… ${parsed}`);
    }
  }
});

t.test('on one server, the printed DDL makes what the migrations make, and records them as applied', async (t) => {
  for (const statement of variants.print) await store.client.command({ query: statement });
  const made = await schemaObjects(store.client);
  t.same(made.map((o) => [o.name, o.engine, o.create]), schema.objects.map((o) => [o.name, o.engine, o.create]));
  t.same(await store.migrate(), [], 'siftlog ingest has nothing left to migrate');
  t.notMatch(variants.print.join('\n'), /DEFINER = /, 'no definer named: the view\'s creator is');
  t.match(variants.print.join('\n'), /CREATE OR REPLACE VIEW siftlog\.companies_daily [^;]*SQL SECURITY DEFINER/);
});

t.test('on a cluster, every MergeTree table is a replicated local table on each shard under a Distributed table', async (t) => {
  const text = variants.printCluster;
  const tables = schema.objects.filter((o) => o.engine.endsWith('MergeTree'));
  t.ok(tables.some((o) => o.name === 'requests') && TREND_TABLES.every((trend) => tables.some((o) => o.name === trend.name)));
  for (const table of tables) {
    const local = text.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS siftlog.${table.name}_local ON CLUSTER web (`));
    t.match(local, new RegExp(`ENGINE = Replicated${table.engine}\\('/clickhouse/tables/\\{shard\\}/siftlog/${table.name}_local', '\\{replica\\}'\\)`), table.name);
    const distributed = text.find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS siftlog.${table.name} ON CLUSTER web AS siftlog.${table.name}_local`));
    const key = table.partitionKey || table.sortingKey.split(',')[0].trim();
    t.match(distributed, `ENGINE = Distributed(web, siftlog, ${table.name}_local, cityHash64(${key}))`, `${table.name}: a partition lives whole on one shard`);
  }
  t.ok(text.filter((s) => /^CREATE (OR REPLACE VIEW|TABLE|DATABASE)/.test(s)).every((s) => / ON CLUSTER web\b/.test(s)), 'all DDL ON CLUSTER');
  t.ok(variants.printDatabase.every((s) => !/\bsiftlog(_staging)?\./.test(s)), '--database renames every table');
  t.match(variants.printDatabase.join('\n'), "Distributed(web, shop, requests_local, cityHash64(toYYYYMMDD(ts)))");
});

t.test('the reader reads trend tables and privacy views, never networks, visitor ids, salts or companies below the rule', async (t) => {
  const reader = variants.grants.filter((s) => / TO siftlog_reader$/.test(s));
  const selected = reader.map((s) => /^GRANT SELECT ON siftlog\.(\w+) TO/.exec(s)?.[1]).filter((n) => n !== undefined);
  for (const trend of TREND_TABLES.filter((x) => x.name !== 'companies_daily_state')) t.ok(selected.includes(trend.name), trend.name);
  for (const view of ['companies_daily', 'companies_monthly', 'companies_between', 'networks_daily', 'networks_monthly', 'traffic_daily']) t.ok(selected.includes(view), view);
  for (const never of ['companies_daily_state', 'requests', 'ingest_run_log', 'ingest_files', 'schema_migrations']) t.notOk(selected.includes(never), never);
  const requests = reader.find((s) => s.includes(' ON siftlog.requests '));
  t.match(requests, /^GRANT SELECT\(ts, site, [^)]*\) ON siftlog\.requests TO siftlog_reader$/);
  t.notMatch(requests, /\b(client_net|visitor_id)\b/);
  t.notMatch(reader.join('\n'), /siftlog_secrets|siftlog_staging|\*\.\*/, 'no grant on the salts, the staging or everything');
  t.match(variants.grants, ['CREATE ROLE IF NOT EXISTS siftlog_writer', 'CREATE ROLE IF NOT EXISTS siftlog_reader']);
  t.ok(variants.grants.includes('CREATE SETTINGS PROFILE IF NOT EXISTS siftlog_reader SETTINGS readonly = 2 TO siftlog_reader'));
  t.ok(variants.grants.some((s) => s.startsWith('GRANT CREATE DATABASE, SELECT, INSERT, ALTER') && s.endsWith('ON siftlog_secrets.* TO siftlog_writer')));

  // The tables docs/grafana.md tells an administrator to grant the dashboards are all granted here.
  const docs = [...readFileSync('docs/grafana.md', 'utf8').matchAll(/GRANT SELECT ON siftlog\.(\w+) TO siftlog_dashboard/g)].map((m) => m[1]);
  t.ok(docs.length >= 7);
  for (const name of docs) t.ok(selected.includes(name), `the dashboards' ${name}`);

  const cluster = variants.grantsCluster;
  t.ok(cluster.includes('GRANT ON CLUSTER web CLUSTER ON *.* TO siftlog_writer'));
  t.ok(cluster.includes('GRANT ON CLUSTER web SELECT ON shop.traffic_hourly_local TO siftlog_reader'), 'a Distributed table reads its local tables as the reader');
  t.notOk(cluster.some((s) => s.includes('companies_daily_state')));
});

