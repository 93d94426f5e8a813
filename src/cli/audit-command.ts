import { ConfigError, defaultConfig, loadPipelineFile } from '../pipeline/config.js';
import { audit, type AuditReport } from '../privacy/audit.js';
import { SiteCalendar } from '../privacy/calendar.js';
import { LEAK_KINDS } from '../privacy/leak-detectors.js';
import { compileAllowList } from '../privacy/query.js';
import { DATABASE } from '../sink/clickhouse/schema.js';
import { Store } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import type { CliIo } from './io.js';

export interface AuditOptions {
  store?: string;
  pipeline?: string;
  json?: boolean;
  url?: string;
  user?: string;
  password?: string;
}

/** Exit codes: 0 nothing found, 1 the audit could not run or could not read everything, 3 something was found. */
export const AUDIT_FOUND = 3;

export function renderAudit(report: AuditReport, storeDir: string): string {
  const out = [`siftlog audit of ${storeDir}`,
    `  scanned ${report.tables} tables (${report.columns} columns), ${report.quarantineFiles} quarantine files, ${report.saltFiles} salt files`];
  for (const u of report.unreadable) out.push(`UNREAD ${u.place}: ${u.reason === 'EACCES' || u.reason === 'EPERM' ? 'permission denied' : u.reason}`);
  if (report.findings.length === 0 && report.unreadable.length > 0) {
    out.push(`incomplete: ${report.unreadable.length} place${report.unreadable.length === 1 ? '' : 's'} could not be read, so the store cannot be called clean; run the audit as the store's owner`);
  } else if (report.findings.length === 0) {
    out.push('clean: no address, e-mail, address-like integer, unlisted query key or stale salt found');
  } else {
    const place = (f: AuditReport['findings'][number]) => `${f.table}.${f.column}`;
    const width = Math.max(...report.findings.map((f) => place(f).length));
    for (const f of report.findings) {
      out.push(`FOUND  ${place(f).padEnd(width)}  ${f.kind.padEnd(16)}  ${f.count.toLocaleString('en-US')} ${f.table.startsWith('quarantine/') ? 'entries' : f.table.startsWith('state/') ? 'file' : 'rows'}  (${LEAK_KINDS[f.kind]})`);
    }
    out.push(`${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}: see docs/privacy.md for what each means and how to fix it`);
  }
  return `${out.join('\n')}\n`;
}

/** `siftlog audit`: shows that nothing identifying is stored; a non-zero exit when anything is found. */
export async function runAudit(options: AuditOptions, io: CliIo): Promise<number> {
  let store: Store | null = null;
  try {
    const config = options.pipeline ? loadPipelineFile(options.pipeline) : defaultConfig();
    const dir = options.store ?? config.store.dir;
    if (!dir) throw new ConfigError('no store: give --store DIR');
    store = await Store.open({
      dir, url: options.url ?? config.store.url, user: options.user ?? config.store.user, password: options.password ?? config.store.password,
      readOnly: true, warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    const p = config.privacy;
    const report = await audit({
      client: store.client, database: DATABASE, quarantineDir: store.quarantineDir, stateDir: store.stateDir,
      policy: { ipv4Prefix: p.ipv4_prefix, ipv6Prefix: p.ipv6_prefix, allowKey: compileAllowList(p.query_allow) },
      saltWindowDays: p.salt_window_days, calendar: new SiteCalendar(p.time_zone), now: Date.now,
    });
    io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderAudit(report, store.dir));
    return report.findings.length > 0 ? AUDIT_FOUND : report.unreadable.length > 0 ? 1 : 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}
