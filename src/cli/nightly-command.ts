import { join } from 'node:path';
import { ConfigError, type PipelineConfig } from '../pipeline/config.js';
import { LoadError, PublishRefused, type IngestSummary } from '../pipeline/ingest.js';
import { InterruptedError, STOP_EXIT, stopOnSignals } from '../pipeline/interrupt.js';
import { countDays } from '../pipeline/nightly-files.js';
import { NIGHTLY_EXIT, type NightlyPlan, planNightly, runNightly } from '../pipeline/nightly.js';
import { NO_PROGRESS, TerminalProgress } from '../pipeline/progress.js';
import { SiteCalendar } from '../privacy/calendar.js';
import { SaltStore } from '../privacy/salt.js';
import { applyRetention } from '../sink/clickhouse/retention.js';
import { type Store, StoreError } from '../sink/clickhouse/store.js';
import { reportError } from './errors.js';
import { buildConfig, openForWriting, reportInputs } from './ingest-command.js';
import type { CliIo, CliServices } from './io.js';
import type { ConnectionOptions } from './connection.js';
import { renderSummary } from './summary.js';

export interface NightlyOptions extends ConnectionOptions {
  shareSalts?: boolean;
  pipeline?: string;
  date?: string;
  from?: string;
  to?: string;
  dryRun?: boolean;
  store?: string;
  json?: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

/**
 * `siftlog nightly --pipeline FILE [--date D | --from A --to B] [--dry-run]`: loads whole days (yesterday
 * in the pipeline's time zone by default) from every file of the pipeline's sources that can hold their
 * lines, replacing what earlier runs loaded of those days from the same files, and applies the retention.
 * Exit codes: NIGHTLY_EXIT. Expired salts are deleted at the end of every run, failed ones included.
 */
export async function runNightlyCommand(options: NightlyOptions, io: CliIo, services: CliServices, now: () => number = Date.now): Promise<number> {
  const stop = stopOnSignals();
  let store: Store | null = null;
  let config: PipelineConfig | null = null;
  try {
    if (!options.pipeline) throw new ConfigError('nightly needs a pipeline file: siftlog nightly --pipeline pipelines/<site>.yaml');
    config = buildConfig({ pipeline: options.pipeline, store: options.store, url: options.url, user: options.user, password: options.password, database: options.database, caFile: options.caFile, shareSalts: options.shareSalts });
    if (config.sources.length === 0) throw new ConfigError(`${options.pipeline}: sources: nightly reads the pipeline's sources; list the log files or globs`);
    const plan = await planNightly(config, options, now());
    if (options.dryRun) {
      await printPlan(plan, config, io, options.json === true);
      return plan.files.some((f) => f.read) ? NIGHTLY_EXIT.ok : NIGHTLY_EXIT.noInput;
    }
    const lookups = await services.openLookups(config.enrich);
    store = await openForWriting(config, io);
    const summary = await runNightly(plan, config, store, lookups, {
      now, signal: stop.signal, progress: io.errIsTTY ? new TerminalProgress((text) => io.err(text)) : NO_PROGRESS,
      warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    await applyRetention(store.client, { requestsDays: config.retention.requests_days, trendsDays: config.retention.trends_days }, now());
    io.out(options.json ? `${JSON.stringify({ ...summary, window: plan.window }, null, 2)}\n` : `${header(plan)}${renderSummary(summary)}`);
    reportInputs(summary, io);
    const received = stop.received();
    if (received !== null) {
      io.err(`siftlog: ${received} arrived during the publish, which was finished: ${plan.window.first}…${plan.window.last} is published\n`);
      return STOP_EXIT[received];
    }
    return summary.errors.length > 0 ? NIGHTLY_EXIT.inputFailed : NIGHTLY_EXIT.ok;
  } catch (err) {
    if (err instanceof PublishRefused) {
      if (err.summary) io.out(options.json ? `${JSON.stringify(err.summary, null, 2)}\n` : renderRefused(err.summary));
      io.err(`siftlog: ${err.message}\n`);
      return err.kind === 'no-input' ? NIGHTLY_EXIT.noInput : NIGHTLY_EXIT.rejects;
    }
    const code = reportError(err, io);
    if (err instanceof InterruptedError) return code;
    return err instanceof StoreError || err instanceof LoadError ? NIGHTLY_EXIT.store : NIGHTLY_EXIT.config;
  } finally {
    stop.dispose();
    await store?.close();
    // Salts past their window go whatever happened to the run.
    if (config !== null) {
      try {
        new SaltStore(join(config.store.dir, 'state'), config.privacy.salt_window_days, new SiteCalendar(config.privacy.time_zone), now).prune();
      } catch {
        // no state folder to prune (the store was never created)
      }
    }
  }
}

function header(plan: NightlyPlan): string {
  const days = plan.window.first === plan.window.last ? plan.window.first : `${plan.window.first} to ${plan.window.last}`;
  const skipped = plan.files.filter((f) => !f.read).length;
  return `nightly ${days} (${plan.timeZone}): ${plan.files.length - skipped} file${plan.files.length - skipped === 1 ? '' : 's'} read`
    + `${skipped > 0 ? `, ${skipped} left out (they hold no line of it)` : ''}\n`;
}

function renderRefused(summary: IngestSummary): string {
  return renderSummary(summary).replace(/^rows written .*\n/m, 'rows written  0 (not published)\n');
}

async function printPlan(plan: NightlyPlan, config: PipelineConfig, io: CliIo, json: boolean): Promise<void> {
  const calendar = new SiteCalendar(plan.timeZone);
  const report = [];
  for (const file of plan.files) {
    const counts = file.read ? await countDays(file.input, config, calendar) : null;
    report.push({
      file: file.input.name, read: file.read, reason: file.reason, bytes: file.sizeBytes,
      lines: counts?.lines ?? null, unparsed: counts?.unparsed ?? null, error: counts?.error ?? null,
      days: counts ? Object.fromEntries([...counts.days].sort()) : {},
    });
  }
  if (json) {
    io.out(`${JSON.stringify({ window: plan.window, timeZone: plan.timeZone, files: report }, null, 2)}\n`);
    return;
  }
  const { first, last } = plan.window;
  const out = [`nightly ${first === last ? first : `${first} to ${last}`} (${plan.timeZone}), dry run: nothing is loaded`];
  for (const r of report) {
    if (!r.read) {
      out.push(`  skip  ${r.file}: ${r.reason}`);
      continue;
    }
    const days = Object.entries(r.days).map(([day, count]) => `${day} ${n(count)}${day >= first && day <= last ? ' *' : ''}`).join(', ');
    out.push(`  read  ${r.file}: ${n(r.lines ?? 0)} lines${r.unparsed ? ` (${n(r.unparsed)} without a time)` : ''}; days: ${days || 'none'}`
      + `${r.error ? `; error: ${r.error}` : ''}`);
  }
  if (report.length === 0) out.push('  no file matches the pipeline\'s sources');
  out.push('(* the days this run would load)');
  io.out(`${out.join('\n')}\n`);
}
