import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { SiteCalendar } from './calendar.js';
import { textLeaks, type LeakKind, type LeakPolicy } from './leak-detectors.js';
import { oldestKeptDay, saltDays, saltDir } from './salt.js';

export interface Finding {
  /** `requests`, `quarantine/2024-05-01-ab12cd34.ndjson` or `state/salts`. */
  table: string;
  /** Column, quarantine field, or salt file. */
  column: string;
  kind: LeakKind;
  /** Rows (or quarantine entries) with the leak. */
  count: number;
}

export interface AuditReport {
  tables: number;
  columns: number;
  quarantineFiles: number;
  saltFiles: number;
  findings: Finding[];
  /** Places the audit could not read (`state/salts`, `quarantine`, a quarantine file): it is then not clean. */
  unreadable: Unreadable[];
}

export interface Unreadable {
  place: string;
  /** The system's code, e.g. `EACCES`. */
  reason: string;
}

export interface AuditTarget {
  client: ClickHouseClient;
  database: string;
  quarantineDir: string;
  stateDir: string;
  policy: LeakPolicy;
  saltWindowDays: number;
  calendar: SiteCalendar;
  now: () => number;
}

/**
 * Integer columns of siftlog's own schema whose values mean something other than an address (counts,
 * sizes, HTTP status, registry AS numbers, 64-bit keyed hashes). Any other integer column wide enough to
 * hold an IPv4 address is checked for values in the address range.
 */
const DECLARED_INTEGERS = new Set([
  'status', 'bytes', 'asn', 'visitor_id', 'hits', 'pageviews', 'visits', 'entries', 'errors', 'bot_hits',
  'status_4xx', 'status_5xx', 'lines_read', 'parsed', 'rejected', 'rows_written', 'inputs', 'version', 'already_loaded',
  // Migration 6 (issue 12): keyed hashes, counts, sums and times that are not addresses.
  'email_recipient', 'duration', 'late_hits', 'late_visits', 'released_up_to', 'page_visits', 'bounces', 'visit_seconds_sum', 'exits',
  'conversions', 'timed', 'opens', 'clicks',
]);

/**
 * Software versions (`10.0.0.1`) are dotted numbers by nature; they are checked for everything but IPv4
 * literals, which they cannot be told apart from.
 */
const VERSION_COLUMNS = new Set(['browser_version', 'os_version', 'siftlog_version']);

const SKIPPED_TYPES = /^(Nullable\()?(LowCardinality\()?(Date|DateTime|UUID|AggregateFunction|SimpleAggregateFunction\((sum|max|min|any)|Bool|Float|Decimal|Enum|U?Int(8|16)\b)/;
const WIDE_INTEGER = /^(Nullable\()?U?Int(32|64|128|256)\b/;
const ADDRESS_TYPE = /^(Nullable\()?(IPv4|IPv6)\b/;

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Scans every table and column of the store, the quarantine files and the salt folder. */
export async function audit(target: AuditTarget): Promise<AuditReport> {
  const report: AuditReport = { tables: 0, columns: 0, quarantineFiles: 0, saltFiles: 0, findings: [], unreadable: [] };
  await auditTables(target, report);
  auditQuarantine(target, report);
  auditSalts(target, report);
  report.findings.sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column) || a.kind.localeCompare(b.kind));
  return report;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

async function auditTables(target: AuditTarget, report: AuditReport): Promise<void> {
  const { client, database } = target;
  const tables = await rows<{ name: string }>(client,
    `SELECT name FROM system.tables WHERE database = {db:String} AND engine NOT IN ('View', 'MaterializedView', 'LiveView', 'WindowView') ORDER BY name`,
    { db: database });
  for (const { name: table } of tables) {
    report.tables++;
    const columns = await rows<{ name: string; type: string }>(client,
      'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String} ORDER BY position',
      { db: database, table });
    const from = `${quote(database)}.${quote(table)}`;
    for (const { name: column, type } of columns) {
      report.columns++;
      const col = quote(column);
      const add = (kind: LeakKind, count: number) => {
        if (count > 0) report.findings.push({ table, column, kind, count });
      };
      if (ADDRESS_TYPE.test(type)) {
        const [r] = await rows<{ n: string }>(client, `SELECT count() AS n FROM ${from} WHERE ${col} IS NOT NULL AND toString(${col}) NOT IN ('0.0.0.0', '::')`);
        add('address_column', Number(r.n));
      } else if (WIDE_INTEGER.test(type)) {
        if (DECLARED_INTEGERS.has(column)) continue;
        const [r] = await rows<{ n: string }>(client, `SELECT countIf(${col} >= 16777216 AND ${col} < 4294967296) AS n FROM ${from}`);
        add('ipv4_integer', Number(r.n));
      } else if (!SKIPPED_TYPES.test(type)) {
        await scanText(target, column, from, col, add);
      }
    }
  }
}

/** Distinct values with their row counts, streamed: a column is read once, whatever its size. */
async function scanText(target: AuditTarget, column: string, from: string, col: string,
  add: (kind: LeakKind, count: number) => void): Promise<void> {
  const counts = new Map<LeakKind, number>();
  const result = await target.client.query({ query: `SELECT toString(${col}) AS v, count() AS n FROM ${from} GROUP BY v`, format: 'JSONEachRow' });
  const isQuery = column === 'query' || column.endsWith('_query');
  const isVersion = VERSION_COLUMNS.has(column);
  for await (const batch of result.stream<{ v: string; n: string }>()) {
    for (const row of batch) {
      const { v, n } = row.json();
      for (const kind of textLeaks(v, target.policy, isQuery)) {
        if (isVersion && kind === 'ipv4_literal') continue;
        counts.set(kind, (counts.get(kind) ?? 0) + Number(n));
      }
    }
  }
  for (const [kind, count] of counts) add(kind, count);
}

function auditQuarantine(target: AuditTarget, report: AuditReport): void {
  const files = listFolder(target.quarantineDir, 'quarantine', report)?.filter((f) => f.endsWith('.ndjson')).sort() ?? [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(target.quarantineDir, file), 'utf8');
    } catch (err) {
      report.unreadable.push({ place: `quarantine/${file}`, reason: errorCode(err) });
      continue;
    }
    report.quarantineFiles++;
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { line };
      }
      for (const [field, value] of Object.entries(entry)) {
        if (typeof value !== 'string') continue;
        for (const kind of textLeaks(value, target.policy, false)) {
          const key = `${field}\n${kind}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    for (const [key, count] of counts) {
      const [column, kind] = key.split('\n');
      report.findings.push({ table: `quarantine/${file}`, column, kind: kind as LeakKind, count });
    }
  }
}

function auditSalts(target: AuditTarget, report: AuditReport): void {
  const key = join(target.stateDir, 'input-key');
  if (existsSync(key) && (statSync(key).mode & 0o077) !== 0) {
    report.findings.push({ table: 'state/input-key', column: '(file)', kind: 'salt_permissions', count: 1 });
  }
  const dir = saltDir(target.stateDir);
  if (listFolder(dir, 'state/salts', report) === null) return;
  const days = saltDays(dir);
  report.saltFiles = days.length;
  if (days.length > 0 && (statSync(dir).mode & 0o077) !== 0) {
    report.findings.push({ table: 'state/salts', column: '(folder)', kind: 'salt_permissions', count: 1 });
  }
  const oldestKept = oldestKeptDay(target.calendar.dayKey(target.now()), target.saltWindowDays);
  for (const day of days) {
    const file = `${day}.salt`;
    if (day < oldestKept) report.findings.push({ table: 'state/salts', column: file, kind: 'expired_salt', count: 1 });
    if ((statSync(join(dir, file)).mode & 0o077) !== 0) {
      report.findings.push({ table: 'state/salts', column: file, kind: 'salt_permissions', count: 1 });
    }
  }
}

/** A folder's names; null when there is none (nothing to audit) or it cannot be read (recorded in the report). */
function listFolder(dir: string, place: string, report: AuditReport): string[] | null {
  try {
    return readdirSync(dir);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') report.unreadable.push({ place, reason: errorCode(err) });
    return null;
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? String(err);
}
