import { InterruptedError, STOP_EXIT } from '../pipeline/interrupt.js';
import { ConfigError } from '../pipeline/config.js';
import { LoadError } from '../pipeline/ingest.js';
import { StoreError } from '../sink/clickhouse/store.js';
import { ReportError } from '../report/build.js';
import { SourceError } from '../sources/file.js';
import type { CliIo } from './io.js';

/**
 * Prints an error the way a user can act on it, as one `siftlog:` line: our own errors as their message,
 * anything else (a ClickHouse error) as the first line of its message; a stack only with SIFTLOG_DEBUG=1.
 * Returns the exit code: 130/143 for a run stopped by Ctrl-C/SIGTERM, else 1.
 */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof InterruptedError) {
    io.err(`siftlog: ${err.message}: nothing of this run was published, the store is as it was before. Run the same command again to load its inputs.\n`);
    return STOP_EXIT[err.signal];
  }
  const known = err instanceof ConfigError || err instanceof StoreError || err instanceof SourceError || err instanceof LoadError
    || err instanceof ReportError;
  const message = err instanceof Error ? err.message : String(err);
  io.err(`siftlog: ${known ? message : firstLine(message)}\n`);
  if (!known && process.env.SIFTLOG_DEBUG === '1' && err instanceof Error) io.err(`${err.stack}\n`);
  return 1;
}

function firstLine(message: string): string {
  return message.split('\n').find((l) => l.trim().length > 0)?.trim() ?? message;
}
