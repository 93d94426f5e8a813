import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadPipelineFile } from '../pipeline/config.js';
import { type DatabaseNames, databaseNames } from '../sink/clickhouse/database-names.js';
import { renderSchema, type SchemaObject, schemaObjects } from '../sink/clickhouse/ddl.js';
import { grantNotes, renderGrants } from '../sink/clickhouse/grants.js';
import { createPrivacyViews } from '../sink/clickhouse/privacy-views.js';
import { DATABASE, SCHEMA_VERSION } from '../sink/clickhouse/schema.js';
import { Store, StoreError } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import type { CliIo } from './io.js';

export interface SchemaOptions {
  print?: boolean;
  grants?: boolean;
  cluster?: string;
  database?: string;
  pipeline?: string;
}

/** The schema as siftlog creates it: migrations and privacy views run on a scratch embedded engine. */
export interface RenderedSchema {
  objects: SchemaObject[];
  requestsColumns: string[];
}

/**
 * Runs the migrations and creates the privacy views (with the small-group threshold `k`) in a scratch
 * embedded store that is removed afterwards, and reads back what they made. The embedded engine binds one
 * folder per process: no other embedded store may be open meanwhile.
 */
export async function renderedSchema(k: number): Promise<RenderedSchema> {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-schema-'));
  try {
    const store = await Store.open({ dir });
    try {
      await store.migrate();
      await createPrivacyViews(store.client, k);
      const objects = await schemaObjects(store.client);
      const columns = await (await store.client.query({
        query: 'SELECT name FROM system.columns WHERE database = {db:String} AND table = \'requests\' ORDER BY position',
        query_params: { db: DATABASE }, format: 'JSONEachRow',
      })).json<{ name: string }>();
      return { objects, requestsColumns: columns.map((c) => c.name) };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SQL `siftlog schema` prints, as statements (without their closing semicolons). */
export function schemaStatements(schema: RenderedSchema, options: SchemaOptions): string[] {
  const names = databaseNames(options.database);
  if (options.grants) return renderGrants(schema.objects, { cluster: options.cluster, names, requestsColumns: schema.requestsColumns });
  return renderSchema(schema.objects, { cluster: options.cluster, names });
}

/** `siftlog schema --print | --grants [--cluster NAME] [--database NAME]`: SQL for a server's administrator. */
export async function runSchema(options: SchemaOptions, io: CliIo): Promise<number> {
  try {
    if (options.print && options.grants) throw new ConfigError('give --print (the tables and views) or --grants (the roles), not both');
    const config = options.pipeline ? loadPipelineFile(options.pipeline) : defaultConfig();
    let names: DatabaseNames;
    try {
      names = databaseNames(options.database);
    } catch (err) {
      throw new StoreError((err as Error).message);
    }
    const k = config.privacy.small_group_k;
    const schema = await renderedSchema(k);
    const statements = schemaStatements(schema, options);
    const where = options.cluster === undefined ? 'one server' : `the cluster ${options.cluster}`;
    const head = options.grants
      ? [`-- siftlog roles for ${where}, schema version ${SCHEMA_VERSION}, database ${names.main}`, ...grantNotes(schema.objects, names)]
      : [`-- siftlog schema version ${SCHEMA_VERSION} for ${where}, database ${names.main}; privacy views with small_group_k = ${k}`,
        '-- siftlog ingest creates the same itself; run this where the writer may not create tables (docs/server.md).'];
    io.out(`${head.join('\n')}\n\n${statements.map((s) => `${s};\n`).join('\n')}`);
    return 0;
  } catch (err) {
    if (err instanceof Error && /^--cluster /.test(err.message)) return reportError(new ConfigError(err.message), io);
    return reportError(err, io);
  }
}
