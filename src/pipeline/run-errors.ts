import type { IngestSummary } from './run-types.js';

/** The run was complete but not published, for a reason its caller set (IngestOptions.approve). */
export class PublishRefused extends Error {
  /** What the run had read when it was refused. */
  summary: IngestSummary | null = null;

  constructor(readonly kind: 'no-input' | 'too-many-rejects', message: string) {
    super(message);
  }
}

/** The run could not stage or publish its rows; nothing of it was published. */
export class LoadError extends Error {}

/** Any failure of a run as the one line a user sees: what happened, and what to do. */
export function asLoadError(err: unknown): Error {
  if (err instanceof LoadError) return err;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new LoadError(`nothing of this run was published: ${message.replace(/[.\s]+$/, '')}. ${whatToDo(message)}`);
}

/** What the user can do about a store that failed under a run. */
function whatToDo(message: string): string {
  const again = 'then run the same command again: it loads these inputs from the start';
  if (/NOT_ENOUGH_SPACE|No space left|ENOSPC|not enough space/i.test(message)) return `The store's disk is full: free space, ${again}.`;
  if (/Read-only file system|EROFS|Permission denied|EACCES/i.test(message)) return `The store cannot be written: make it writable, ${again}.`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|ENOTFOUND/i.test(message)) return `The server cannot be reached: once it is back, ${again.slice(5)}.`;
  return `Fix the cause, ${again}.`;
}
