import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * TEST-ONLY: starts chdb-http-server.ts (the embedded engine behind ClickHouse's HTTP interface) in a
 * process of its own, on a loopback port, with a data folder of its own that is removed when the test
 * ends. See that file for what the harness serves and the faults it can make.
 */
export interface Harness {
  url: string;
  /** Sets the faults of the next requests (chdb-http-server.ts), replacing those set before. */
  faults(rules: ReadonlyArray<{ action: 'drop-before' | 'drop-after' | 'delay'; match?: string; times: number; ms?: number }>): Promise<void>;
  /** Stops listening for `ms` (connections are refused), then listens again on the same port. */
  pause(ms: number): Promise<void>;
  /** The statements the harness ran, in order. */
  log(): Promise<string[]>;
  stop(): Promise<void>;
}

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'chdb-http-server.ts');

export async function startHarness(
  t: { teardown(fn: () => unknown): void }, users?: Record<string, { password: string; readonly?: number }>,
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-harness-'));
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv.filter((a) => !/processinfo|@tapjs\/mock/.test(a)), SERVER, join(dir, 'data'), JSON.stringify(users ?? { default: { password: '' } })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening (\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the test harness exited (${code}) before listening: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  t.teardown(stop);
  const control = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${url}/__harness/${path}`, init);
    return response.text();
  };
  return {
    url,
    faults: async (rules) => {
      await control('faults', { method: 'POST', body: JSON.stringify(rules) });
    },
    pause: async (ms) => {
      await control(`pause?ms=${ms}`, { method: 'POST' });
    },
    log: async () => (await control('log')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string),
    stop,
  };
}
