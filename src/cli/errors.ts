import { ConfigError } from '../pipeline/config.js';
import { StoreError } from '../sink/clickhouse/store.js';
import { SourceError } from '../sources/file.js';
import type { CliIo } from './io.js';

/**
 * Prints an error the way a user can act on it: our own errors as their message alone, ClickHouse errors
 * with the server's message; a stack only with SIFTLOG_DEBUG=1. Returns the exit code.
 */
export function reportError(err: unknown, io: CliIo): number {
  const known = err instanceof ConfigError || err instanceof StoreError || err instanceof SourceError;
  const message = err instanceof Error ? err.message : String(err);
  io.err(`siftlog: ${message}\n`);
  if (!known && process.env.SIFTLOG_DEBUG === '1' && err instanceof Error) io.err(`${err.stack}\n`);
  return 1;
}
