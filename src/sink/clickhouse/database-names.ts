import type { ClickHouseClient } from '@clickhouse/client';
import { DATABASE, STAGING_DATABASE } from './schema.js';

/**
 * The databases a store uses. siftlog's SQL names them by their default names (`siftlog`, `siftlog_staging`,
 * `siftlog_secrets`) in every module; a store opened with another database name (`--database`) renames them
 * in each statement as it leaves the store's client, so one ClickHouse server can hold several siftlog
 * stores (a test database beside production, one per team) without every module carrying the name.
 *
 * The convention that makes it work: database names appear in SQL text as bare or backquoted identifiers,
 * and in query parameters only under the names `db` or `database`; table names given to `insert` are
 * qualified (`siftlog.requests`).
 */
export const SECRETS_DATABASE = 'siftlog_secrets';

export interface DatabaseNames {
  /** Readers' tables and views (default `siftlog`). */
  main: string;
  /** Runs' staging tables (default `siftlog_staging`). */
  staging: string;
  /** The shared daily salts (default `siftlog_secrets`): only the writer role may read it. */
  secrets: string;
}

export const DEFAULT_NAMES: DatabaseNames = { main: DATABASE, staging: STAGING_DATABASE, secrets: SECRETS_DATABASE };

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The databases of a store whose main database is `name`: `name`, `name_staging`, `name_secrets`. */
export function databaseNames(name: string = DATABASE): DatabaseNames {
  if (!NAME.test(name) || name.endsWith('_staging') || name.endsWith('_secrets')) {
    throw new Error(`--database ${name}: a database name is a letter or _ then letters, digits or _ (at most 63), not ending in _staging or _secrets`);
  }
  return { main: name, staging: `${name}_staging`, secrets: `${name}_secrets` };
}

export function isDefault(names: DatabaseNames): boolean {
  return names.main === DEFAULT_NAMES.main;
}

/** The renaming from the default names to `names`: empty when they are the defaults. */
export function renaming(names: DatabaseNames, from: DatabaseNames = DEFAULT_NAMES): Map<string, string> {
  if (names.main === from.main) return new Map();
  return new Map([[from.main, names.main], [from.staging, names.staging], [from.secrets, names.secrets]]);
}

/** `sql` with the default database names replaced by `names` (see renameIdentifiers). */
export function renameDatabases(sql: string, names: DatabaseNames): string {
  return renameIdentifiers(sql, renaming(names));
}

/**
 * `sql` with the identifiers of `map` renamed: bare and backquoted identifiers only, never inside a string
 * literal or a comment, and never after a dot (`t.siftlog` is a column, not a database).
 */
export function renameIdentifiers(sql: string, map: ReadonlyMap<string, string>): string {
  if (map.size === 0) return sql;
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = quotedEnd(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '`') {
      const end = quotedEnd(sql, i, '`');
      const inner = sql.slice(i + 1, end - 1);
      out += map.has(inner) && previousSignificant(sql, i) !== '.' ? `\`${map.get(inner)}\`` : sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (isWordChar(c)) {
      let end = i + 1;
      while (end < n && isWordChar(sql[end])) end++;
      const word = sql.slice(i, end);
      const renamed = map.get(word);
      out += renamed !== undefined && previousSignificant(sql, i) !== '.' ? renamed : word;
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** A qualified table name (`siftlog.requests`) renamed by `map`. */
export function renameTable(table: string, map: ReadonlyMap<string, string>): string {
  const dot = table.indexOf('.');
  if (dot === -1 || map.size === 0) return table;
  const renamed = map.get(table.slice(0, dot));
  return renamed === undefined ? table : `${renamed}${table.slice(dot)}`;
}

/** Query parameters with a database name (`db`, `database`) renamed by `map`. */
export function renameParams(params: Record<string, unknown> | undefined, map: ReadonlyMap<string, string>): Record<string, unknown> | undefined {
  if (params === undefined || map.size === 0) return params;
  const out = { ...params };
  for (const key of ['db', 'database']) {
    const value = out[key];
    if (typeof value === 'string' && map.has(value)) out[key] = map.get(value);
  }
  return out;
}

/**
 * A client that speaks to the databases `names` while its callers write the default names: `client`
 * itself when they are the defaults, else an object whose requests go through `client` renamed.
 */
export function renamingClient(client: ClickHouseClient, names: DatabaseNames, from: DatabaseNames = DEFAULT_NAMES): ClickHouseClient {
  const map = renaming(names, from);
  if (map.size === 0) return client;
  const renamed = Object.create(client) as ClickHouseClient;
  renamed.query = ((params) => client.query({
    ...params, query: renameIdentifiers(params.query, map), query_params: renameParams(params.query_params, map),
  })) as typeof client.query;
  renamed.command = (params) => client.command({
    ...params, query: renameIdentifiers(params.query, map), query_params: renameParams(params.query_params, map),
  });
  renamed.exec = ((params) => client.exec({
    ...params, query: renameIdentifiers(params.query, map), query_params: renameParams(params.query_params, map),
  })) as typeof client.exec;
  renamed.insert = ((params) => client.insert({
    ...params, table: renameTable(params.table, map), query_params: renameParams(params.query_params, map),
  })) as typeof client.insert;
  renamed.close = () => client.close();
  return renamed;
}

function isWordChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

/** The index just past a quoted token starting at `start` (backslash escapes and doubled quotes). */
function quotedEnd(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** The character before `index`, skipping white space ('' at the start). */
function previousSignificant(sql: string, index: number): string {
  let i = index - 1;
  while (i >= 0 && /\s/.test(sql[i])) i--;
  return i >= 0 ? sql[i] : '';
}
