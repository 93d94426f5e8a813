import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `siftlog` command as a user would (npm test builds dist/ first). */
export function siftlog(args: readonly string[], input?: string | Buffer): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking the test process; its stdin stays open until the test ends it. */
export function siftlogAsync(args: readonly string[]): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const result = new Promise<CliResult>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  return { child, result };
}

/** Rows of a query as objects, through `siftlog sql --format json`. */
export function sqlRows<T = Record<string, unknown>>(store: string, query: string): T[] {
  const result = siftlog(['sql', '--store', store, '--format', 'json', query]);
  if (result.code !== 0) throw new Error(`query failed: ${query}\n${result.stderr}`);
  return result.stdout.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as T);
}

export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'siftlog-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
