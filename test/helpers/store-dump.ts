import { Store, type StoreOptions } from '../../src/sink/clickhouse/store.js';

/**
 * Everything a reader of a store sees, as sorted text lines per table, for comparing two stores row for
 * row: `requests` without run ids, each trend table grouped by its keys with sums and merged visitor
 * states (an AggregatingMergeTree may hold one key in several rows until it merges), `ingest_files`
 * without run ids and times. Run ids differ between runs by design; everything else must not.
 */
export async function dumpStore(dir: string, server: Omit<StoreOptions, 'dir'> = {}): Promise<Record<string, string[]>> {
  const store = await Store.open({ ...server, dir, readOnly: true });
  try {
    const rows = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
    const dump: Record<string, string[]> = {};
    const lines = (result: Array<Record<string, unknown>>) => result.map((r) => JSON.stringify(r)).sort();
    dump.requests = lines(await rows('SELECT * EXCEPT (run_id, visitor_id), toString(visitor_id) AS visitor_id FROM siftlog.requests'));
    dump.ingest_files = lines(await rows('SELECT * EXCEPT (run_id, recorded) FROM siftlog.ingest_files'));
    // Database names as parameters: a server store opened with --database renames them (database-names.ts).
    const tables = (await store.client.query({
      query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine = 'AggregatingMergeTree' ORDER BY name`,
      query_params: { db: 'siftlog' }, format: 'JSONEachRow',
    })).json<{ name: string }>();
    for (const { name } of await tables) {
      const columns = await (await store.client.query({
        query: 'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String} ORDER BY position',
        query_params: { db: 'siftlog', table: name }, format: 'JSONEachRow',
      })).json<Record<string, unknown>>();
      const keys: string[] = [];
      const measures: string[] = [];
      for (const c of columns) {
        const type = String(c.type);
        if (type.startsWith('SimpleAggregateFunction(sum')) measures.push(`sum(${c.name}) AS ${c.name}`);
        else if (type.startsWith('AggregateFunction(uniqCombined')) measures.push(`uniqCombinedMerge(${c.name}) AS ${c.name}`);
        else keys.push(String(c.name));
      }
      dump[String(name)] = lines(await rows(`SELECT ${[...keys, ...measures].join(', ')} FROM siftlog.${name} GROUP BY ${keys.join(', ')}`));
    }
    return dump;
  } finally {
    await store.close();
  }
}

/**
 * How two dumps differ: per table, the row counts and the first few rows only one of them holds; empty
 * when they are equal. (A tap diff of two 200,000-row tables is no help.)
 */
export function dumpDifference(actual: Record<string, string[]>, expected: Record<string, string[]>, shown = 3): string[] {
  const out: string[] = [];
  for (const table of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    const a = actual[table] ?? [];
    const e = expected[table] ?? [];
    const inA = new Map<string, number>();
    for (const row of a) inA.set(row, (inA.get(row) ?? 0) + 1);
    const missing: string[] = [];
    for (const row of e) {
      const n = inA.get(row) ?? 0;
      if (n > 0) inA.set(row, n - 1);
      else missing.push(row);
    }
    const extra = [...inA].flatMap(([row, n]) => Array<string>(n).fill(row));
    if (missing.length === 0 && extra.length === 0) continue;
    out.push(`${table}: ${a.length} rows, expected ${e.length}; ${missing.length} missing, ${extra.length} extra`);
    for (const row of missing.slice(0, shown)) out.push(`  - ${row}`);
    for (const row of extra.slice(0, shown)) out.push(`  + ${row}`);
  }
  return out;
}
