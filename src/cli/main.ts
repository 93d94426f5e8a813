#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=10
// The flags bound the JS heap, whose live part is small (~45 MB over a 1M-line ingest, by a heap snapshot)
// but which V8 lets grow with garbage: hits that waited in the visit reordering die old. A 16 MB young
// generation and an old generation collected once it is 10% over its live size: 300k lines peak
// 885 → 734 MiB for ~6% more CPU (scripts/bench.mjs conditions, alternating runs; README Performance).
import { runCli } from './program.js';
import { runWithStdinMoved } from './stdin-guard.js';

// `siftlog formats | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const guardedExit = await runWithStdinMoved();
process.exitCode = guardedExit ?? await runCli(process.argv.slice(2));
