import { readFileSync } from 'node:fs';

/** A query for `siftlog sql` that cannot run as given: the message says why, in the user's terms. */
export class SqlInputError extends Error {}

/** `{name:Type}`: a ClickHouse query parameter, as the server binds it. */
const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:[^{}]+\}/g;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Leading `-- …` and `/* … *\/` comments, which a query file usually starts with. */
const LEADING_COMMENTS = /^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/;

/**
 * The statement `siftlog sql` runs: the argument, or the text of `--file` (one statement; leading comments
 * and a trailing semicolon are allowed), with `--param name=value` pairs checked against the
 * `{name:Type}` placeholders it uses. Values stay text: ClickHouse parses each as its placeholder's type.
 */
export function sqlStatement(query: string | undefined, file: string | undefined, params: readonly string[]): { sql: string; params: Record<string, string> } {
  if (query !== undefined && file !== undefined) throw new SqlInputError('give either a query or --file, not both');
  let text: string;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new SqlInputError(`cannot read the query file ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
    }
  } else if (query !== undefined) {
    text = query;
  } else {
    throw new SqlInputError('give a query, e.g. siftlog sql "SELECT day, hits FROM traffic_daily", or --file queries/visits.sql');
  }
  const sql = text.replace(LEADING_COMMENTS, '').trim().replace(/;\s*$/, '').trim();
  if (sql.length === 0) throw new SqlInputError(file !== undefined ? `the query file ${file} holds no statement` : 'the query is empty');
  const bound = parseParams(params);
  const used = new Set([...sql.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const missing = [...used].filter((name) => !(name in bound));
  if (missing.length > 0) {
    throw new SqlInputError(`the query needs ${missing.map((n) => `--param ${n}=…`).join(', ')} (it uses ${missing.map((n) => `{${n}:…}`).join(', ')})`);
  }
  const unused = Object.keys(bound).filter((name) => !used.has(name));
  if (unused.length > 0) throw new SqlInputError(`the query has no {${unused[0]}:Type} placeholder for --param ${unused[0]}`);
  return { sql, params: bound };
}

function parseParams(pairs: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 || !PARAM_NAME.test(name)) throw new SqlInputError(`--param ${pair}: expected name=value, e.g. --param day=2026-11-30`);
    if (name in params) throw new SqlInputError(`--param ${name} is given twice`);
    params[name] = pair.slice(at + 1);
  }
  return params;
}
