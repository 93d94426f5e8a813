import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a store: written into `siftlog.lock` as JSON. */
export interface LockOwner {
  pid: number;
  /** When the process started, as the system tells it (so a reused pid is told apart); '' when unknown. */
  started: string;
  host: string;
  /** The boot the process belongs to (Linux); '' when unknown. */
  boot: string;
}

/** The store is held by another live process. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';

  constructor(readonly owner: LockOwner | null, message: string) {
    super(message);
  }
}

/**
 * One process at a time may write an embedded store (the engine also locks its data folder). The lock
 * file names the owner's pid, start time, boot and host, so a second process can say who holds the store,
 * and a lock left by a process that died (or whose pid now belongs to another program, after a reboot
 * say) is taken over with a warning instead of blocking the store for ever.
 *
 * Returns false when the folder cannot be written (a read-only command may then read it without a lock);
 * throws LockHeldError when a live process holds it.
 */
export function takeLock(file: string, warn: (message: string) => void): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(currentOwner())}\n`);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return false;
      if (code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    const stale = staleReason(owner);
    if (stale === null) throw new LockHeldError(owner, heldMessage(owner));
    warn(`taking over ${file}: ${stale}`);
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new LockHeldError(null, 'another siftlog process keeps taking the lock');
}

export function releaseLock(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function heldMessage(owner: LockOwner | null): string {
  if (owner === null) return 'another siftlog process';
  const where = owner.host === hostname() ? '' : ` on host ${owner.host}`;
  return `siftlog process ${owner.pid}${where}`;
}

/** The owner recorded in a lock file; a lock of siftlog 0.1.0 holds the pid alone. */
export function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), started: '', host: hostname(), boot: '' };
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, started: String(parsed.started ?? ''), host: String(parsed.host ?? ''), boot: String(parsed.boot ?? '') };
  } catch {
    return null;
  }
}

/** Why the recorded owner no longer holds the lock, or null when it still may. */
export function staleReason(owner: LockOwner | null): string | null {
  if (owner === null) return 'the lock file is empty or unreadable (left by a process that died while writing it)';
  // Another host's process cannot be checked from here: its lock stands.
  if (owner.host !== hostname()) return null;
  if (owner.pid === process.pid) return null;
  if (!isAlive(owner.pid)) return `process ${owner.pid} that held it is gone`;
  const boot = bootId();
  if (owner.boot !== '' && boot !== '' && owner.boot !== boot) return `it was written before the last reboot (pid ${owner.pid} is now another program)`;
  if (owner.started !== '') {
    const started = processStart(owner.pid);
    if (started !== '' && started !== owner.started) return `pid ${owner.pid} now belongs to another program`;
    return null;
  }
  // A lock of an older siftlog (pid only): a live pid counts only if it still runs node or siftlog.
  return looksLikeSiftlog(owner.pid) ? null : `pid ${owner.pid} now belongs to another program`;
}

function currentOwner(): LockOwner {
  return { pid: process.pid, started: processStart(process.pid), host: hostname(), boot: bootId() };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's start time: clock ticks since boot on Linux (/proc), `ps`'s start time elsewhere; '' when unknown. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `ticks:${fields[19]}`;
  } catch {
    // not Linux, or the process is gone
  }
  try {
    return `ps:${execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    return '';
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function looksLikeSiftlog(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /siftlog|node/.test(command);
  } catch {
    return true; // cannot tell: keep the lock
  }
}
