#!/usr/bin/env -S node --max-semi-space-size=64
// The flag: per-line work allocates many short-lived strings; a larger young generation cuts GC time
// (300k lines: 16 s → 11 s measured with scripts/bench.mjs conditions).
import { runCli } from './program.js';
import { runWithStdinMoved } from './stdin-guard.js';

// `siftlog formats | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const guardedExit = await runWithStdinMoved();
process.exitCode = guardedExit ?? await runCli(process.argv.slice(2));
