import { Store } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import type { CliIo } from './io.js';
import { SqlInputError, sqlStatement } from './sql-text.js';
import { renderTable, type Column } from './table.js';

export interface SqlOptions {
  store: string;
  format: 'table' | 'csv' | 'json';
  /** Allow statements that change the store (off by default: ClickHouse's readonly setting refuses them). */
  write?: boolean;
  url?: string;
  user?: string;
  password?: string;
  /** A file holding the statement, instead of the argument. */
  file?: string;
  /** `name=value` pairs bound to the statement's `{name:Type}` placeholders. */
  param?: string[];
}

/** Statements that return rows; anything else runs as a command and prints no table. */
const RETURNS_ROWS = /^\s*(\(\s*)*(SELECT|WITH|SHOW|DESCRIBE|DESC|EXPLAIN|EXISTS|VALUES)\b/i;
/** ClickHouse's code for a statement refused by the readonly setting. */
const READONLY_REFUSED = /\bREADONLY\b|Code: 164\b|readonly mode/i;

/**
 * `siftlog sql`: runs one statement against the store and prints rows as a table, CSV or JSON lines.
 * Read-only unless --write: the store is opened for reading (no lock needed on a store folder this user
 * cannot write, nothing migrated), with ClickHouse's `readonly` setting refusing any change.
 */
export async function runSql(query: string | undefined, options: SqlOptions, io: CliIo): Promise<number> {
  let statement: ReturnType<typeof sqlStatement>;
  try {
    statement = sqlStatement(query, options.file, options.param ?? []);
  } catch (err) {
    if (!(err instanceof SqlInputError)) throw err;
    io.err(`siftlog: ${err.message}\n`);
    return 1;
  }
  const { sql, params } = statement;
  let store: Store | null = null;
  try {
    store = await Store.open({
      dir: options.store, url: options.url, user: options.user, password: options.password, readOnly: options.write !== true,
      warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    if (!RETURNS_ROWS.test(sql)) {
      await store.client.command({ query: sql, query_params: params });
      if (options.format === 'table') io.out('ok\n');
      return 0;
    }
    if (options.format === 'table') {
      const result = await store.client.query({ query: sql, query_params: params, format: 'JSONCompact' });
      const text = await result.text();
      if (text.trim().length === 0) {
        io.out('ok\n');
        return 0;
      }
      const { meta, data } = JSON.parse(text) as { meta: Column[]; data: unknown[][] };
      io.out(renderTable(meta, data));
    } else {
      const result = await store.client.query({ query: sql, query_params: params, format: options.format === 'csv' ? 'CSVWithNames' : 'JSONEachRow' });
      io.out(await result.text());
    }
    return 0;
  } catch (err) {
    if (options.write !== true && READONLY_REFUSED.test(String((err as Error)?.message ?? err))) {
      io.err('siftlog: this statement would change the store, and `siftlog sql` is read-only: add --write to run it (it then needs write access to the store)\n');
      return 1;
    }
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}
