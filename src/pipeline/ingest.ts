import type { NetworkLookups } from '../privacy/boundary.js';
import { recover } from '../sink/clickhouse/recovery.js';
import type { Store } from '../sink/clickhouse/store.js';
import type { InputSpec } from '../sources/file.js';
import { ConfigError, type PipelineConfig } from './config.js';
import { inTimeOrder } from './first-lines.js';
import { followInput } from './follow-run.js';
import { IngestRun } from './ingest-run.js';
import { InterruptedError, throwIfStopped } from './interrupt.js';
import { asLoadError, PublishRefused } from './run-errors.js';
import type { IngestOptions, IngestSummary } from './run-types.js';

export type { FollowControl } from './follow-run.js';
export { IngestRun, SIFTLOG_VERSION } from './ingest-run.js';
export type { IngestOptions, IngestSummary, InputSummary } from './run-types.js';
export { LoadError, PublishRefused } from './run-errors.js';
export { resolveFormat } from './format-choice.js';

/**
 * Runs inputs (oldest first: first-lines.ts inTimeOrder) through the stages in order: sources → formats → privacy → enrich → sessions → sink, into the
 * run's staging, then publishes the run: all of it or, when anything fails before the publish (a refused
 * batch, a full disk, Ctrl-C), nothing. One input's failure (missing, a directory, truncated gzip, no
 * known format) is reported in the summary and the other inputs still load. Earlier runs that died are
 * cleaned up or finished first (recovery.ts).
 */
export async function ingest(
  inputs: readonly InputSpec[], config: PipelineConfig, store: Store, lookups: NetworkLookups, options: IngestOptions = {},
): Promise<IngestSummary> {
  const warn = options.warn ?? (() => undefined);
  await recover(store.client, store.exclusive, warn);
  const run = new IngestRun(config, store, lookups, options, options.follow === undefined ? inputs.length : 1);
  try {
    if (options.follow !== undefined) {
      if (inputs.length !== 1 || inputs[0].path === null) throw new ConfigError('--follow takes exactly one log file (not stdin, not several files)');
      await followInput(run, inputs[0], options.follow);
    } else {
      const ordered = inputs.length > 1 ? await inTimeOrder(inputs, config) : inputs.map((input) => ({ input, firstTime: null }));
      run.visits.streamStarts(ordered.map((o) => o.firstTime));
      await run.stage();
      for (const [stream, { input }] of ordered.entries()) {
        throwIfStopped(options.signal);
        await run.load(input, stream);
      }
      // The summary lists the inputs as they were given (one entry per load, in reading order).
      const given = new Map(inputs.map((input, i) => [input, i]));
      run.summary.inputs = ordered.map((o, k) => ({ at: given.get(o.input)!, file: run.summary.inputs[k] }))
        .sort((a, b) => a.at - b.at).map((e) => e.file);
      await run.endVisits(true);
      const refusal = options.approve?.(run.summary) ?? null;
      if (refusal !== null) {
        refusal.summary = run.finish();
        throw refusal;
      }
      await run.publish();
    }
    return run.finish();
  } catch (err) {
    await run.abandon(err);
    throw err instanceof InterruptedError || err instanceof ConfigError || err instanceof PublishRefused ? err : asLoadError(err);
  } finally {
    run.close();
  }
}

