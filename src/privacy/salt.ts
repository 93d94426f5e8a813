import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DAY_MS = 86_400_000;
const SALT_BYTES = 32;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.salt$/;

let lastDayNumber = NaN;
let lastDayKey = '';

/** `YYYY-MM-DD` of an instant, in UTC (the last answer is remembered: hits come in time order). */
export function dayKey(timeMs: number): string {
  const dayNumber = Math.floor(timeMs / DAY_MS);
  if (dayNumber !== lastDayNumber) {
    lastDayNumber = dayNumber;
    lastDayKey = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
  }
  return lastDayKey;
}

/**
 * Daily secret salts for visitor ids. Each day's salt is 32 random bytes in its own file under the state
 * folder (folder 0700, file 0600). They never go to ClickHouse or a log; once a day is older than the
 * retention window its salt is deleted, after which nobody, siftlog included, can recompute that day's ids.
 */
export class SaltStore {
  private readonly dir: string;
  private readonly cache = new Map<string, Buffer>();
  private readonly hexCache = new Map<string, string>();

  constructor(stateDir: string, private readonly windowDays: number, private readonly now: () => number = Date.now) {
    this.dir = join(stateDir, 'salts');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  saltFor(day: string): Buffer {
    let salt = this.cache.get(day);
    if (salt) return salt;
    const file = join(this.dir, `${day}.salt`);
    try {
      salt = readFileSync(file);
    } catch {
      salt = randomBytes(SALT_BYTES);
      writeFileSync(file, salt, { mode: 0o600, flag: 'wx' });
    }
    if (salt.length !== SALT_BYTES) throw new Error(`${file}: a salt file must hold ${SALT_BYTES} bytes; delete it to start a new salt for that day`);
    this.cache.set(day, salt);
    return salt;
  }

  /** The day's salt as hex text, for hashing it as a key prefix. */
  saltHexFor(day: string): string {
    let hex = this.hexCache.get(day);
    if (hex === undefined) {
      hex = this.saltFor(day).toString('hex');
      this.hexCache.set(day, hex);
    }
    return hex;
  }

  /** Deletes the salts of days older than the window (today counts as the first day of it). */
  prune(): string[] {
    const oldestKept = dayKey(this.now() - (this.windowDays - 1) * DAY_MS);
    const removed: string[] = [];
    for (const name of readdirSync(this.dir)) {
      const match = DAY_FILE.exec(name);
      if (match && match[1] < oldestKept) {
        unlinkSync(join(this.dir, name));
        this.cache.delete(match[1]);
        this.hexCache.delete(match[1]);
        removed.push(match[1]);
      }
    }
    return removed;
  }
}
