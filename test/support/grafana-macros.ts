/**
 * What Grafana does to a ClickHouse panel's SQL before the server sees it, for tests (no Grafana here):
 *
 * 1. the frontend replaces dashboard variables (`${site:singlequote}`), as Grafana's template service does;
 * 2. the plugin's backend expands its macros. Two expanders exist across plugin versions, both reproduced:
 *    - `sqlutil` (grafana-plugin-sdk-go data/sqlutil/macros.go, clickhouse-datasource 4.x): names longest first,
 *      each `\$__name\b` with an argument list only when `(` follows at once, split on commas at the list's own
 *      depth (quotes are not special), comments not special either;
 *    - `macropro` (grafana/macropro, later versions): comments stripped first, names longest first, arguments only
 *      when `(` follows at once, split on commas outside parentheses and quotes; an unclosed list is no list.
 *
 * The macros are the plugin's own (clickhouse-datasource pkg/macros/macros.go), plus sqlutil's defaults that the
 * plugin does not override. Times are formatted in UTC (the plugin formats dates in its process's zone, UTC in
 * Grafana's images).
 */

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface MacroContext extends TimeRange {
  /** The query's interval (Grafana's `intervalMs`): the panel's min interval or the auto one. */
  intervalMs: number;
}

export class MacroError extends Error {
  override name = 'MacroError';
}

type MacroFn = (ctx: MacroContext, args: readonly string[]) => string;

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const toDate = (d: Date) => `toDate('${d.toISOString().slice(0, 10)}')`;
const toDateTime = (d: Date) => `toDateTime(${seconds(d)})`;
const toDateTime64 = (d: Date) => `fromUnixTimestamp64Milli(${d.getTime()})`;
const intervalSeconds = (ctx: MacroContext) => Math.trunc(Math.max(ctx.intervalMs / 1000, 1));

function arity(name: string, args: readonly string[], n: number): void {
  if (args.length !== n) {
    throw new MacroError(`$__${name}: unexpected number of arguments: expected ${n} argument${n === 1 ? '' : 's'}, received ${args.length}`);
  }
}

/** clickhouse-datasource's macros (pkg/macros/macros.go). */
export const PLUGIN_MACROS: Readonly<Record<string, MacroFn>> = {
  fromTime: (ctx) => toDateTime(ctx.from),
  toTime: (ctx) => toDateTime(ctx.to),
  fromTime_ms: (ctx) => toDateTime64(ctx.from),
  toTime_ms: (ctx) => toDateTime64(ctx.to),
  timeFilter: (ctx, args) => {
    arity('timeFilter', args, 1);
    return `${args[0]} >= ${toDateTime(ctx.from)} AND ${args[0]} <= ${toDateTime(ctx.to)}`;
  },
  timeFilter_ms: (ctx, args) => {
    arity('timeFilter_ms', args, 1);
    return `${args[0]} >= ${toDateTime64(ctx.from)} AND ${args[0]} <= ${toDateTime64(ctx.to)}`;
  },
  dateFilter: (ctx, args) => {
    arity('dateFilter', args, 1);
    return `${args[0]} >= ${toDate(ctx.from)} AND ${args[0]} <= ${toDate(ctx.to)}`;
  },
  dateTimeFilter: (ctx, args) => dateTimeFilter('dateTimeFilter', ctx, args),
  dt: (ctx, args) => dateTimeFilter('dt', ctx, args),
  timeInterval: (ctx, args) => {
    arity('timeInterval', args, 1);
    return `toStartOfInterval(toDateTime(${args[0]}), INTERVAL ${intervalSeconds(ctx)} second)`;
  },
  timeInterval_ms: (ctx, args) => {
    arity('timeInterval_ms', args, 1);
    return `toStartOfInterval(toDateTime64(${args[0]}, 3), INTERVAL ${Math.trunc(Math.max(ctx.intervalMs, 1))} millisecond)`;
  },
  interval_s: (ctx) => String(intervalSeconds(ctx)),
};

function dateTimeFilter(name: string, ctx: MacroContext, args: readonly string[]): string {
  arity(name, args, 2);
  const [date, time] = args;
  return `(${date} >= ${toDate(ctx.from)} AND ${date} <= ${toDate(ctx.to)}) AND (${time} >= ${toDateTime(ctx.from)} AND ${time} <= ${toDateTime(ctx.to)})`;
}

/** sqlutil's DefaultMacros the plugin does not override (generic SQL, not ClickHouse: dashboards must not use them). */
const SQLUTIL_DEFAULTS: Readonly<Record<string, MacroFn>> = {
  interval: (ctx) => formatInterval(ctx.intervalMs),
  interval_ms: (ctx) => String(Math.trunc(ctx.intervalMs)),
  timeFrom: (ctx, args) => {
    arity('timeFrom', args, 1);
    return `${args[0]} >= '${rfc3339(ctx.from)}'`;
  },
  timeTo: (ctx, args) => {
    arity('timeTo', args, 1);
    return `${args[0]} <= '${rfc3339(ctx.to)}'`;
  },
  timeGroup: () => {
    throw new MacroError('$__timeGroup is sqlutil\'s generic macro (datepart), not ClickHouse SQL');
  },
  table: () => '',
  column: () => '',
};

const rfc3339 = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** gtime.FormatInterval: the largest whole unit (y, d, h, m, s, ms). */
function formatInterval(ms: number): string {
  const units: [string, number][] = [['y', 365 * 86_400_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

/** Every `$__name` either expander knows; anything else in a query is a typo the server would reject later. */
export const KNOWN_MACROS = new Set([...Object.keys(PLUGIN_MACROS), ...Object.keys(SQLUTIL_DEFAULTS)]);

function unknownMacros(sql: string, known: ReadonlySet<string>): void {
  for (const m of sql.matchAll(/\$__(\w+)/g)) {
    if (!known.has(m[1])) throw new MacroError(`$__${m[1]} is not a macro of the ClickHouse plugin`);
  }
}

/**
 * sqlutil.parseArgs: an argument list only when `(` follows the name at once, split on commas at its own depth
 * (quotes are not special). Returns the arguments and the length of the list, or -1 when it never closes.
 */
function sqlutilArgs(text: string): { args: string[]; length: number } {
  if (!text.startsWith('(')) return { args: [], length: 0 };
  const args: string[] = [];
  let depth = 0;
  let arg = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' && ++depth === 1) continue;
    if (c === ')' && --depth === 0) {
      args.push(arg.trim());
      return { args, length: i + 1 };
    }
    if (c === ',' && depth === 1) {
      args.push(arg.trim());
      arg = '';
      continue;
    }
    arg += c;
  }
  return { args: [], length: -1 };
}

/**
 * sqlutil.Interpolate (grafana-plugin-sdk-go data/sqlutil/macros.go) with the plugin's macros over sqlutil's
 * defaults, longest names first; each match's text is replaced wherever it occurs.
 */
export function expandSqlutil(sql: string, ctx: MacroContext): string {
  const macros: Record<string, MacroFn> = { ...SQLUTIL_DEFAULTS, ...PLUGIN_MACROS };
  unknownMacros(sql, new Set(Object.keys(macros)));
  const names = Object.keys(macros).sort((a, b) => b.length - a.length);
  let out = sql;
  for (const name of names) {
    // Matches are found in the text as it is before this name's first replacement, like getMacroMatches.
    const matches = [...out.matchAll(new RegExp(`\\$__${name}\\b`, 'g'))].map((m) => {
      const { args, length } = sqlutilArgs(out.slice(m.index + m[0].length));
      if (length < 0) throw new MacroError(`$__${name}: failed to parse macro arguments (missing close bracket?)`);
      return { text: out.slice(m.index, m.index + m[0].length + length), args };
    });
    for (const match of matches) out = out.split(match.text).join(macros[name](ctx, match.args));
  }
  return out;
}

/** Skips a quoted literal starting at `pos` ('' or "" doubled to escape); returns the index after it. */
function skipQuoted(s: string, pos: number): number {
  const quote = s[pos];
  let j = pos + 1;
  while (j < s.length) {
    if (s[j] === quote) {
      if (s[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return j;
}

/** macropro.StripComments: -- and /* *\/ comments outside literals become spaces of the same length. */
export function stripComments(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length;) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      let end = i;
      while (end < sql.length && sql[end] !== '\n' && sql[end] !== '\r') end++;
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? sql.length : close + 2;
      out += sql.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length;) {
    const c = s[i];
    if (c === "'" || c === '"') {
      i = skipQuoted(s, i);
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

function macroproArgs(raw: string): string[] {
  const text = raw.trim();
  if (text === '') return [];
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  args.push(text.slice(start).trim());
  return args;
}

/** macropro.Interpolate with the plugin's macros (later clickhouse-datasource versions). */
export function expandMacropro(sql: string, ctx: MacroContext): string {
  unknownMacros(sql, new Set(Object.keys(PLUGIN_MACROS)));
  const names = Object.keys(PLUGIN_MACROS).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  let out = stripComments(sql);
  for (const name of names) {
    const token = `$__${name}`;
    let rest = out;
    let built = '';
    for (let idx = rest.indexOf(token); idx !== -1; idx = rest.indexOf(token)) {
      const after = idx + token.length;
      if (after < rest.length && /\w/.test(rest[after])) {
        built += rest.slice(0, after);
        rest = rest.slice(after);
        continue;
      }
      built += rest.slice(0, idx);
      rest = rest.slice(after);
      let raw = '';
      if (rest[0] === '(') {
        const end = closingParen(rest, 0);
        if (end !== -1) {
          raw = rest.slice(1, end);
          rest = rest.slice(end + 1);
        }
      }
      built += PLUGIN_MACROS[name](ctx, macroproArgs(raw));
    }
    out = built + rest;
  }
  return out;
}

/** Values of dashboard variables: a string, or the list a multi-value variable holds. */
export type VariableValues = Readonly<Record<string, string | readonly string[]>>;

/** Grafana's singlequote format: each value in single quotes, a quote inside escaped with a backslash, joined by commas. */
function singleQuote(value: string | readonly string[]): string {
  const quote = (v: string) => `'${v.replace(/'/g, "\\'")}'`;
  return typeof value === 'string' ? quote(value) : value.map(quote).join(',');
}

/** The plugin's default format (CHDatasource.format): lists as 'a','b', single values as they are. */
function pluginFormat(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : `'${value.join("','")}'`;
}

/**
 * Grafana's template service on a query (its variable regex: `$name`, `[[name:format]]`, `${name:format}`).
 * `$__…` names are Grafana's or the plugin's and stay for the backend; an unknown variable is an error here.
 */
export function interpolateVariables(sql: string, values: VariableValues): string {
  const pattern = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;
  return sql.replace(pattern, (match, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, _path?: string, bracedFormat?: string) => {
    const name = plain ?? bracket ?? braced ?? '';
    if (name.startsWith('__')) return match;
    const value = values[name];
    if (value === undefined) throw new MacroError(`the query uses the variable $${name}, which the dashboard does not define`);
    const format = bracketFormat ?? bracedFormat;
    if (format === undefined) return pluginFormat(value);
    if (format === 'singlequote') return singleQuote(value);
    if (format === 'raw') return typeof value === 'string' ? value : value.join(',');
    throw new MacroError(`the variable format :${format} is not reproduced here`);
  });
}
