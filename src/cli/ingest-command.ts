import { dirname, isAbsolute, resolve } from 'node:path';
import { FORMAT_NAMES } from '../formats/index.js';
import { ConfigError, defaultConfig, loadPipelineFile, resolveEnrichPaths, type PipelineConfig } from '../pipeline/config.js';
import { type FollowControl, ingest, type IngestSummary } from '../pipeline/ingest.js';
import { STOP_EXIT, stopOnSignals } from '../pipeline/interrupt.js';
import { NO_PROGRESS, TerminalProgress } from '../pipeline/progress.js';
import { SiteCalendar } from '../privacy/calendar.js';
import { createPrivacyViews } from '../sink/clickhouse/privacy-views.js';
import { applyRetention } from '../sink/clickhouse/retention.js';
import { shareSalts } from '../sink/clickhouse/shared-salts.js';
import { Store } from '../sink/clickhouse/store.js';
import { resolveInputs } from '../sources/inputs.js';
import { reportError } from './errors.js';
import { type ConnectionOptions, connectionOf } from './connection.js';
import type { CliIo, CliServices } from './io.js';
import { renderSummary } from './summary.js';

export interface IngestOptions extends ConnectionOptions {
  /** Share the daily salts through the server with the other ingest hosts (shared-salts.ts). */
  shareSalts?: boolean;
  format?: string;
  logFormat?: string;
  pipeline?: string;
  store?: string;
  site?: string;
  json?: boolean;
  follow?: boolean;
  force?: boolean;
}

/** Command-line flags win over the pipeline file, which wins over the defaults. */
export function buildConfig(options: Omit<IngestOptions, 'json' | 'follow' | 'force'>): PipelineConfig {
  const config = options.pipeline ? loadPipelineFile(options.pipeline) : defaultConfig();
  if (options.pipeline) {
    const base = dirname(resolve(options.pipeline));
    config.sources = config.sources.map((s) => (isAbsolute(s) ? s : resolve(base, s)));
    resolveEnrichPaths(config.enrich, base);
  }
  if (options.format !== undefined) {
    if (!(FORMAT_NAMES as readonly string[]).includes(options.format)) {
      throw new ConfigError(`--format ${options.format}: unknown format; choose one of ${FORMAT_NAMES.join(', ')} (see "siftlog formats")`);
    }
    config.format = options.format as PipelineConfig['format'];
  }
  if (options.logFormat !== undefined) {
    config.log_format = options.logFormat;
    if (options.format === undefined) config.format = 'custom';
  }
  if (options.site !== undefined) config.site = options.site;
  if (options.store !== undefined) config.store.dir = options.store;
  if (options.url !== undefined) config.store.url = options.url;
  if (options.user !== undefined) config.store.user = options.user;
  if (options.password !== undefined) config.store.password = options.password;
  if (options.database !== undefined) config.store.database = options.database;
  if (options.caFile !== undefined) config.store.ca_file = options.caFile;
  if (options.shareSalts === true) config.store.share_salts = true;
  return config;
}

/** Opens the store a pipeline names for writing: migrated, privacy views in place. */
export async function openForWriting(config: PipelineConfig, io: CliIo): Promise<Store> {
  const store = await Store.open({
    dir: config.store.dir, ...connectionOf({}, config.store),
    warn: (message) => io.err(`siftlog: ${message}\n`),
  });
  try {
    await store.migrate();
    await createPrivacyViews(store.client, config.privacy.small_group_k);
    await shareSaltsIfAsked(store, config);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** Per-input errors and notices go to stderr as well as into the summary. */
export function reportInputs(summary: IngestSummary, io: CliIo): void {
  for (const error of summary.errors) io.err(`siftlog: ${error}\n`);
  for (const warning of summary.warnings) io.err(`siftlog: warning: ${warning}\n`);
}

/**
 * `siftlog ingest`: exit 0 when every input loaded, 2 when some input failed (the others are published),
 * 1 when nothing could be published (bad configuration, store unavailable, a batch the store refused),
 * 130/143 when stopped by Ctrl-C/SIGTERM. `--follow` ends normally (0) at Ctrl-C, after publishing what
 * it had read.
 */
export async function runIngest(args: string[], options: IngestOptions, io: CliIo, services: CliServices): Promise<number> {
  const stop = stopOnSignals();
  let store: Store | null = null;
  try {
    const config = buildConfig(options);
    const names = args.length > 0 ? args : config.sources;
    if (names.length === 0) throw new ConfigError('no input: give log files, a glob, - for stdin, or a pipeline with sources');
    const inputs = await resolveInputs(names);
    const progress = io.errIsTTY ? new TerminalProgress((text) => io.err(text)) : NO_PROGRESS;
    // The first run after installing or updating a database compiles it into the cache folder (~10 s a file).
    progress.phase('opening the geo and network databases (compiled once into the cache folder)');
    // A long-running follow picks up a geo or company database replaced on disk without a restart.
    const lookups = await services.openLookups(config.enrich, { watch: options.follow === true });
    store = await openForWriting(config, io);
    // Ctrl-C (or a service manager's SIGTERM) ends following cleanly: what was read is published.
    const follow: FollowControl | undefined = options.follow ? { signal: stop.signal, pollMs: 500 } : undefined;
    const summary = await ingest(inputs, config, store, lookups, {
      follow, force: options.force === true, signal: follow ? undefined : stop.signal,
      progress,
      warn: (message) => io.err(`siftlog: ${message}\n`),
    });
    await applyRetention(store.client, { requestsDays: config.retention.requests_days, trendsDays: config.retention.trends_days });
    io.out(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    reportInputs(summary, io);
    const received = stop.received();
    if (received !== null && !options.follow) {
      io.err(`siftlog: ${received} arrived during the publish, which was finished: run ${summary.runId.slice(0, 8)} is published\n`);
      return STOP_EXIT[received];
    }
    return summary.errors.length > 0 ? 2 : 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    stop.dispose();
    await store?.close();
  }
}

/** `store.share_salts` / `--share-salts`: this run's salt files become the ones every host derives (shared-salts.ts). */
async function shareSaltsIfAsked(store: Store, config: PipelineConfig): Promise<void> {
  if (!config.store.share_salts) return;
  if (store.mode !== 'server') {
    throw new ConfigError('share_salts (--share-salts) is for several hosts writing one ClickHouse server (--url): an embedded store has one host');
  }
  await shareSalts(store.client, store.stateDir, {
    windowDays: config.privacy.salt_window_days, calendar: new SiteCalendar(config.privacy.time_zone), now: Date.now,
  });
}
