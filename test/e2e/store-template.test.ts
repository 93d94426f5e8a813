import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MIGRATIONS } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { tempDir } from '../helpers/cli.js';
import { copyTemplateStore, migratedStore, templateStore } from '../helpers/store-template.js';

/**
 * The tests' template store (test/helpers/store-template.ts) stands in for a freshly migrated store: a copy
 * must hold the same databases, tables, views and columns, the same migrations recorded, no rows, and be
 * a store of its own (writing to one copy changes neither the template nor the next copy).
 */
type Row = Record<string, unknown>;

async function describe(store: Store): Promise<Record<string, Row[]>> {
  const rows = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<Row>();
  const siftlog = "database LIKE 'siftlog%'";
  return {
    databases: await rows(`SELECT name, engine FROM system.databases WHERE name LIKE 'siftlog%' ORDER BY name`),
    tables: await rows(`SELECT database, name, engine, create_table_query, sorting_key, partition_key FROM system.tables
                        WHERE ${siftlog} ORDER BY database, name`),
    columns: await rows(`SELECT database, table, name, type, position, default_kind, default_expression, comment, compression_codec
                         FROM system.columns WHERE ${siftlog} ORDER BY database, table, position`),
    migrations: await rows('SELECT version, description FROM siftlog.schema_migrations ORDER BY version'),
    rows: await rows(`SELECT database, name, total_rows FROM system.tables
                      WHERE ${siftlog} AND name != 'schema_migrations' AND total_rows > 0 ORDER BY database, name`),
  };
}

async function described(dir: string, migrate: boolean): Promise<{ applied: number[]; schema: Record<string, Row[]> }> {
  const store = await Store.open({ dir });
  try {
    const applied = migrate ? await store.migrate() : [];
    return { applied, schema: await describe(store) };
  } finally {
    await store.close();
  }
}

t.test('a copy of the template is a freshly migrated store: same tables, columns and migrations, no rows', async (t) => {
  const fresh = await described(join(tempDir(t), 'fresh'), true);
  t.same(fresh.applied, MIGRATIONS.map((m) => m.version), 'the fresh store ran every migration');
  const names = fresh.schema.tables.map((r) => `${r.database}.${r.name}`);
  for (const name of ['siftlog.schema_migrations', 'siftlog.requests', 'siftlog.ingest_run_log', 'siftlog.ingest_runs', 'siftlog.traffic_hourly']) {
    t.ok(names.includes(name), `the fresh store has ${name}`);
  }
  t.ok(fresh.schema.columns.some((c) => c.table === 'requests' && c.name === 'input_fingerprint'), 'and the columns of later migrations');

  const copy = migratedStore(t);
  t.same(readdirSync(copy), ['clickhouse'], 'only the engine folder: no lock, salts or quarantine left behind');
  const copied = await described(copy, true);
  t.same(copied.applied, [], 'nothing left to migrate in a copy');
  t.same(copied.schema, fresh.schema, 'databases, tables, columns and recorded migrations as the fresh store');
  t.same(copied.schema.rows, [], 'no run, file or request rows');
});

t.test('each copy is a store of its own: what a test writes stays in its copy', async (t) => {
  const first = migratedStore(t);
  const store = await Store.open({ dir: first });
  try {
    await store.client.command({ query: "INSERT INTO siftlog.ingest_files (input, format) VALUES ('planted.log', 'clf')" });
    const count = await (await store.client.query({ query: 'SELECT count() AS n FROM siftlog.ingest_files', format: 'JSONEachRow' })).json<Row>();
    t.same(count, [{ n: '1' }], 'the row is in the first copy');
  } finally {
    await store.close();
  }
  const second = copyTemplateStore(join(tempDir(t), 'second'));
  const reopened = await described(second, false);
  t.same(reopened.schema.rows, [], 'a later copy has no row of it');
  t.ok(existsSync(join(templateStore(), 'clickhouse')), 'the template is still in place');
  t.same(readdirSync(templateStore()), ['clickhouse'], 'and was not opened as a store (no lock, no state)');
});

t.test('a copy never goes over a store', async (t) => {
  const dir = migratedStore(t);
  t.throws(() => copyTemplateStore(dir), /holds a store already/, 'refused: it would mix two stores');
});
