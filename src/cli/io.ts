import type { openLookups } from '../enrich/lookups.js';

/**
 * Where a command writes: the process's stdout and stderr when run as `siftlog`, buffers when a test runs
 * the program in-process (test/helpers/cli.ts). Commands never write to `process.stdout` themselves.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: a progress line may be drawn and redrawn there. */
  readonly errIsTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  get errIsTTY() {
    return process.stderr.isTTY === true;
  },
};

/**
 * What commands take from outside besides their arguments. A test running several commands in one
 * process passes an `openLookups` that keeps the public geo and ASN data it loaded (~1–4 s each time).
 */
export interface CliServices {
  openLookups: typeof openLookups;
}

/** Loaded at the first call: `--help` and `formats` never read the lookups' code. */
export const defaultServices: CliServices = {
  openLookups: async (...args) => (await import('../enrich/lookups.js')).openLookups(...args),
};
