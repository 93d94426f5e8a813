import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig, loadPipelineFile } from '../pipeline/config.js';
import { buildReport, ReportError } from '../report/build.js';
import { renderHtml } from '../report/html/page.js';
import { renderText } from '../report/text.js';
import { Store } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import { type ConnectionOptions, connectionOf } from './connection.js';
import { type CliIo, processIo } from './io.js';

export interface ReportCommandOptions extends ConnectionOptions {
  site?: string;
  period?: string;
  last?: string;
  /** Write the HTML page here ('-' for standard output) instead of printing the text summary. */
  html?: string;
  json?: boolean;
  store?: string;
  pipeline?: string;
}

const DEFAULT_STORE = 'siftlog-data';

/**
 * `siftlog report`: the text summary on standard output, or one self-contained HTML page with --html.
 * Reads the trend tables and privacy views only, and never migrates the schema: a read-only role can run it.
 */
export async function runReport(options: ReportCommandOptions, io: CliIo = processIo): Promise<number> {
  let store: Store | null = null;
  try {
    const config = options.pipeline ? loadPipelineFile(options.pipeline) : defaultConfig();
    const dir = options.store ?? config.store.dir ?? DEFAULT_STORE;
    const url = options.url ?? config.store.url;
    // Opening an embedded store creates it: a mistyped --store should say so, not report on nothing.
    if (!url && !existsSync(join(dir, 'clickhouse'))) {
      throw new ReportError(`no store in ${dir}: load logs first with siftlog ingest --store ${dir}, or give the store with --store DIR or --url`);
    }
    store = await Store.open({
      dir, ...connectionOf(options, config.store), readOnly: true,
      warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    const report = await buildReport(store.client, { site: options.site, period: options.period, last: options.last });
    if (options.html !== undefined) {
      const page = renderHtml(report);
      if (options.html === '-') io.out(page);
      else {
        writeAtomically(options.html, page);
        io.err(`siftlog: wrote the report to ${options.html} (${Math.round(Buffer.byteLength(page) / 1024)} KiB, self-contained)\n`);
      }
    } else if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else io.out(renderText(report));
    return 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}

/** A half-written page never replaces yesterday's report. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (err) {
    try {
      unlinkSync(temporary);
    } catch {
      // never written
    }
    throw new ReportError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
