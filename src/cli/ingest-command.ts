import { dirname, isAbsolute, resolve } from 'node:path';
import { FORMAT_NAMES } from '../formats/index.js';
import { ConfigError, defaultConfig, loadPipelineFile, resolveEnrichPaths, type PipelineConfig } from '../pipeline/config.js';
import { type FollowControl, ingest } from '../pipeline/ingest.js';
import { createPrivacyViews } from '../sink/clickhouse/privacy-views.js';
import { Store } from '../sink/clickhouse/store.js';
import { resolveInputs } from '../sources/inputs.js';
import { reportError } from './errors.js';
import type { CliIo, CliServices } from './io.js';
import { renderSummary } from './summary.js';

export interface IngestOptions {
  format?: string;
  logFormat?: string;
  pipeline?: string;
  store?: string;
  site?: string;
  json?: boolean;
  follow?: boolean;
  force?: boolean;
  url?: string;
  user?: string;
  password?: string;
}

/** Command-line flags win over the pipeline file, which wins over the defaults. */
function buildConfig(options: IngestOptions): PipelineConfig {
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
  return config;
}

/** `siftlog ingest`: exit 0 when every input loaded, 2 when some input failed, 1 when nothing could run. */
export async function runIngest(args: string[], options: IngestOptions, io: CliIo, services: CliServices): Promise<number> {
  let store: Store | null = null;
  try {
    const config = buildConfig(options);
    const names = args.length > 0 ? args : config.sources;
    if (names.length === 0) throw new ConfigError('no input: give log files, a glob, - for stdin, or a pipeline with sources');
    const inputs = await resolveInputs(names);
    // A long-running follow picks up a geo or company database replaced on disk without a restart.
    const lookups = await services.openLookups(config.enrich, { watch: options.follow === true });
    store = await Store.open({ dir: config.store.dir, url: config.store.url, user: config.store.user, password: config.store.password });
    await store.migrate();
    await createPrivacyViews(store.client, config.privacy.small_group_k);
    let follow: FollowControl | undefined;
    if (options.follow) {
      // Ctrl-C (or a service manager's SIGTERM) ends following cleanly: rows inserted, position saved.
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      follow = { signal: stop.signal, pollMs: 500 };
    }
    const summary = await ingest(inputs, config, store, lookups, { follow, force: options.force === true });
    io.out(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    return summary.errors.length > 0 ? 2 : 0;
  } catch (err) {
    return reportError(err, io);
  } finally {
    await store?.close();
  }
}
