/** The run was asked to stop (Ctrl-C, SIGTERM) before it published: nothing of it was kept. */
export class InterruptedError extends Error {
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal}`);
  }
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit status of a command stopped by a signal, as shells report it (128 + the signal's number). */
export const STOP_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface StopControl {
  /** Aborted at the first SIGINT or SIGTERM; its reason is the signal's name. */
  signal: AbortSignal;
  /** The signal received, or null. */
  received(): StopSignal | null;
  /** Removes the handlers. */
  dispose(): void;
}

/**
 * Handles SIGINT and SIGTERM while a command runs: the first one aborts `signal` (the run stops reading,
 * drops what it staged, or finishes a publish already under way), a second one ends the process at once
 * (the next run cleans up what it left).
 */
export function stopOnSignals(): StopControl {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handler = (name: StopSignal) => () => {
    if (received !== null) process.exit(STOP_EXIT[name]);
    received = name;
    controller.abort(name);
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** Throws InterruptedError when `signal` has been aborted by a stop signal. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}
