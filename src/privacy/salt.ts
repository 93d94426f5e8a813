import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, SiteCalendar } from './calendar.js';

export const SALT_BYTES = 32;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.salt$/;

/** The folder of the salts inside a state folder. */
export function saltDir(stateDir: string): string {
  return join(stateDir, 'salts');
}

/** The days (`YYYY-MM-DD`) whose salt files exist in a salt folder, oldest first. */
export function saltDays(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const days: string[] = [];
  for (const name of names) {
    const match = DAY_FILE.exec(name);
    if (match) days.push(match[1]);
  }
  return days.sort();
}

/** A day's salt as its file holds it, or null when the day has none (yet, or any more). */
export function readSaltFile(dir: string, day: string): Buffer | null {
  try {
    const salt = readFileSync(join(dir, `${day}.salt`));
    return salt.length === SALT_BYTES ? salt : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Writes a day's salt file (0600, in a 0700 folder), replacing the file the day had: written aside and
 * renamed, so a reader sees the old salt or the new one, never a part. For salts agreed with other hosts
 * (sink/clickhouse/shared-salts.ts); a SaltStore already running keeps the salt it read.
 */
export function writeSaltFile(dir: string, day: string, salt: Buffer): void {
  if (salt.length !== SALT_BYTES) throw new Error(`a salt holds ${SALT_BYTES} bytes, not ${salt.length}`);
  if (!DAY_FILE.test(`${day}.salt`)) throw new Error(`not a day: ${day}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const aside = join(dir, `.${day}.salt.${process.pid}`);
  writeFileSync(aside, salt, { mode: 0o600 });
  renameSync(aside, join(dir, `${day}.salt`));
}

/** The oldest day whose salt is kept on `today`: today counts as the first day of the window. */
export function oldestKeptDay(today: string, windowDays: number): string {
  return addDays(today, -(windowDays - 1));
}

/**
 * Daily secret salts for visitor ids. Each calendar day (in the site's time zone) has 32 random bytes in its
 * own file under the state folder (folder 0700, file 0600), created the first time a hit of that day needs
 * it. Salts never go to ClickHouse or a log; once a day is older than the window its salt is deleted, after
 * which nobody, siftlog included, can recompute that day's ids. Re-running such a day draws a new salt:
 * the ids differ from the first run, the unique counts do not.
 */
export class SaltStore {
  readonly dir: string;
  private readonly cache = new Map<string, Buffer>();
  private readonly hexCache = new Map<string, string>();

  constructor(
    stateDir: string,
    private readonly windowDays: number,
    readonly calendar: SiteCalendar = new SiteCalendar('UTC'),
    private readonly now: () => number = Date.now,
  ) {
    this.dir = saltDir(stateDir);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  /** The day of an instant in the site's calendar. */
  dayOf(timeMs: number): string {
    return this.calendar.dayKey(timeMs);
  }

  saltFor(day: string): Buffer {
    let salt = this.cache.get(day);
    if (salt) return salt;
    const file = join(this.dir, `${day}.salt`);
    try {
      salt = readFileSync(file);
      // A salt readable by others is no secret: tighten it rather than trust it silently.
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
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

  /** Deletes the salts of days older than the window; returns the days removed. */
  prune(): string[] {
    const oldestKept = oldestKeptDay(this.calendar.dayKey(this.now()), this.windowDays);
    const removed: string[] = [];
    for (const day of saltDays(this.dir)) {
      if (day >= oldestKept) continue;
      unlinkSync(join(this.dir, `${day}.salt`));
      this.cache.delete(day);
      this.hexCache.delete(day);
      removed.push(day);
    }
    return removed;
  }
}
