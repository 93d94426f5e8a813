import type { ClickHouseClient } from '@clickhouse/client';
import { type DatabaseNames, DEFAULT_NAMES, renameIdentifiers, renaming } from './database-names.js';
import { DATABASE, MIGRATIONS, STAGING_DATABASE } from './schema.js';
import { SALT_CHAIN_TABLE, SECRETS_STATEMENTS } from './shared-salts.js';

/**
 * The DDL of a store, rendered from the schema source: the migrations (schema.ts, columns.ts) and the
 * privacy views, run on a scratch embedded engine, give the tables and views as siftlog would create them;
 * this module reads them back (`schemaObjects`) and writes them out for one server or for a cluster
 * (`renderSchema`). A table or column another module adds through a migration comes out here without a
 * change in this file.
 *
 * On a cluster (`--cluster NAME`) every MergeTree table `T` becomes a replicated local table `T_local` on
 * each shard (`Replicated…MergeTree('/clickhouse/tables/{shard}/<db>/T_local', '{replica}')`) and a
 * Distributed table `T` over them, all `ON CLUSTER`; views stay views, reading the Distributed tables by
 * their usual names. Rows are sharded by the table's partition key, so each partition lives whole on one
 * shard and a publish's partition swap (`ALTER TABLE T_local ON CLUSTER … REPLACE PARTITION`) is atomic
 * on a cluster as on one server; tables without a partition key are sharded by the first column of their
 * ordering key (a run's rows stay together). docs/server.md says what this gives and what it does not.
 */
export interface SchemaObject {
  name: string;
  /** `MergeTree`, `AggregatingMergeTree`, `View`, … */
  engine: string;
  /** The engine clause as the engine prints it: `AggregatingMergeTree PARTITION BY … ORDER BY … SETTINGS …`. */
  engineFull: string;
  partitionKey: string;
  sortingKey: string;
  /** `CREATE TABLE siftlog.T (…) ENGINE = …` or `CREATE VIEW siftlog.V … AS SELECT …`, as the engine prints it. */
  create: string;
}

/** The tables and views of the main database of a migrated store, tables first, each view after what it reads. */
export async function schemaObjects(client: ClickHouseClient): Promise<SchemaObject[]> {
  const rows = await (await client.query({
    query: `SELECT name, engine, engine_full, partition_key, sorting_key, create_table_query FROM system.tables
            WHERE database = {db:String} AND NOT is_temporary ORDER BY name`,
    query_params: { db: DATABASE }, format: 'JSONEachRow',
  })).json<{ name: string; engine: string; engine_full: string; partition_key: string; sorting_key: string; create_table_query: string }>();
  const objects = rows.map((r) => ({
    name: r.name, engine: r.engine, engineFull: r.engine_full, partitionKey: r.partition_key, sortingKey: r.sorting_key,
    create: withoutDefiner(r.create_table_query),
  }));
  return dependencyOrder(objects);
}

/** The migrations a rendered schema records as applied, so that siftlog does not run them again. */
export function appliedMigrations(): Array<{ version: number; description: string }> {
  return MIGRATIONS.map((m) => ({ version: m.version, description: m.description }));
}

export interface RenderOptions {
  /** Render for this cluster (`ON CLUSTER`, replicated local tables, Distributed tables). */
  cluster?: string;
  /** The store's databases (`--database`); the defaults when absent. */
  names?: DatabaseNames;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Statements that create the store's databases, tables and views, and record the migrations as applied. */
export function renderSchema(objects: readonly SchemaObject[], options: RenderOptions = {}): string[] {
  const cluster = options.cluster;
  if (cluster !== undefined && !NAME.test(cluster)) throw new Error(`--cluster ${cluster}: a cluster name is a letter or _ then letters, digits or _`);
  const on = cluster === undefined ? '' : ` ON CLUSTER ${cluster}`;
  const out: string[] = [
    `CREATE DATABASE IF NOT EXISTS ${DATABASE}${on}`,
    `CREATE DATABASE IF NOT EXISTS ${STAGING_DATABASE}${on}`,
    // The shared salts (shared-salts.ts): on a cluster one small table replicated to every node.
    ...SECRETS_STATEMENTS.map((s) => {
      const created = s.replace(/^CREATE (DATABASE|TABLE) IF NOT EXISTS (\S+)/, `CREATE $1 IF NOT EXISTS $2${on}`);
      return cluster === undefined ? created : created.replace(/ENGINE = ReplacingMergeTree/, `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${SALT_CHAIN_TABLE.replace('.', '/')}', '{replica}')`);
    }),
  ];
  for (const object of objects) {
    if (object.engine === 'View') {
      out.push(object.create.replace(/^CREATE VIEW (\S+)/, `CREATE OR REPLACE VIEW $1${on}`));
    } else if (cluster !== undefined && /MergeTree$/.test(object.engine)) {
      out.push(...clusterTable(object, cluster));
    } else {
      out.push(object.create.replace(/^CREATE TABLE (\S+)/, `CREATE TABLE IF NOT EXISTS $1${on}`));
    }
  }
  const applied = appliedMigrations().map((m) => `(${m.version}, ${quote(m.description)}, now())`).join(', ');
  out.push(`INSERT INTO ${DATABASE}.schema_migrations (version, description, applied) SELECT * FROM values('version UInt32, description String, applied DateTime', ${applied})
    WHERE version NOT IN (SELECT version FROM ${DATABASE}.schema_migrations)`);
  return rename(out, options.names);
}

/** The replicated local table and the Distributed table over it. */
function clusterTable(object: SchemaObject, cluster: string): string[] {
  const engineAt = object.create.lastIndexOf(` ENGINE = ${object.engineFull}`);
  if (engineAt === -1) throw new Error(`cannot find the engine clause of ${object.name}`);
  const columns = object.create.slice(`CREATE TABLE ${DATABASE}.${object.name}`.length, engineAt);
  const engine = /^(\w*)MergeTree(?:\(([^)]*)\))?([\s\S]*)$/.exec(object.engineFull);
  if (engine === null) throw new Error(`${object.name}: not a MergeTree engine: ${object.engineFull}`);
  const [, kind, args, rest] = engine;
  const local = `${object.name}_local`;
  const replicated = `Replicated${kind}MergeTree('/clickhouse/tables/{shard}/${DATABASE}/${local}', '{replica}'${args ? `, ${args}` : ''})`;
  const key = object.partitionKey !== '' ? object.partitionKey : object.sortingKey.split(',')[0].trim();
  return [
    `CREATE TABLE IF NOT EXISTS ${DATABASE}.${local} ON CLUSTER ${cluster}${columns} ENGINE = ${replicated}${rest}`,
    `CREATE TABLE IF NOT EXISTS ${DATABASE}.${object.name} ON CLUSTER ${cluster} AS ${DATABASE}.${local}
    ENGINE = Distributed(${cluster}, ${DATABASE}, ${local}, cityHash64(${key}))`,
  ];
}

/** Statements renamed to the store's databases (database-names.ts). */
export function rename(statements: string[], names: DatabaseNames = DEFAULT_NAMES): string[] {
  const map = renaming(names);
  return statements.map((s) => renameIdentifiers(s, map));
}

/** `DEFINER = <user>` names the scratch engine's user: on a server the view's creator is the definer. */
function withoutDefiner(create: string): string {
  return create.replace(/ DEFINER = (`[^`]*`|\S+)(?= SQL SECURITY)/, '');
}

/** Tables first, then views, each view after the views it reads. */
function dependencyOrder(objects: SchemaObject[]): SchemaObject[] {
  const tables = objects.filter((o) => o.engine !== 'View');
  const views = objects.filter((o) => o.engine === 'View');
  const ordered: SchemaObject[] = [...tables];
  const placed = new Set(tables.map((t) => t.name));
  while (views.length > 0) {
    const next = views.findIndex((v) => views.every((other) => other === v || placed.has(other.name) || !reads(v, other.name)));
    const [view] = views.splice(next === -1 ? 0 : next, 1);
    ordered.push(view);
    placed.add(view.name);
  }
  return ordered;
}

/** Whether a view's query names `siftlog.<table>`. */
export function reads(view: SchemaObject, table: string): boolean {
  return new RegExp(`\\b${DATABASE}\\.\`?${table}\\b(?!_)`).test(view.create.slice(view.create.indexOf(' AS ')));
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
