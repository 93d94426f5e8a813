import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { STDIN_FD_ENV } from '../sources/stdin.js';

const MOVED_STDIN_FD = 3;

/**
 * The embedded engine reads the host process's fd 0 as external data for INSERTs (chdb-core issue 239):
 * with a pipe or file on stdin every insert fails, and with async inserts off it would even insert the
 * piped bytes. So when stdin is a pipe or file, siftlog runs itself again with stdin on /dev/null and the
 * user's stdin moved to fd 3, where `ingest -` reads it. Returns the child's exit code, or null when no
 * guard is needed (stdin is a terminal, /dev/null, closed, or this is the child already).
 */
export async function runWithStdinMoved(): Promise<number | null> {
  if (process.env[STDIN_FD_ENV] !== undefined) return null;
  let stdinIsData = false;
  try {
    const info = fstatSync(0);
    stdinIsData = info.isFIFO() || info.isFile() || info.isSocket();
  } catch {
    return null;
  }
  if (!stdinIsData) return null;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['ignore', 'inherit', 'inherit', 0],
    env: { ...process.env, [STDIN_FD_ENV]: String(MOVED_STDIN_FD) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((done) => {
    child.on('close', (code, signal) => done(code ?? (signal ? 128 + 15 : 1)));
  });
}
