import { Store } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import type { CliIo } from './io.js';
import { renderTable, type Column } from './table.js';

export interface SqlOptions {
  store: string;
  format: 'table' | 'csv' | 'json';
  url?: string;
  user?: string;
  password?: string;
}

/** `siftlog sql`: runs one query against the store and prints it as a table, CSV or JSON lines. */
export async function runSql(query: string, options: SqlOptions, io: CliIo): Promise<number> {
  let store: Store | null = null;
  try {
    store = await Store.open({ dir: options.store, url: options.url, user: options.user, password: options.password });
    await store.migrate();
    const sql = query.trim().replace(/;\s*$/, '');
    if (options.format === 'table') {
      const result = await store.client.query({ query: sql, format: 'JSONCompact' });
      const { meta, data } = (await result.json()) as unknown as { meta: Column[]; data: unknown[][] };
      io.out(renderTable(meta, data));
    } else {
      const result = await store.client.query({ query: sql, format: options.format === 'csv' ? 'CSVWithNames' : 'JSONEachRow' });
      io.out(await result.text());
    }
    return 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}
