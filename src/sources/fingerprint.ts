import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How many first lines name an input's content (the first data lines, past any header a format repeats). */
export const FINGERPRINT_LINES = 16;

const KEY_BYTES = 32;

/**
 * Fingerprints of an input's first 1, 2 … FINGERPRINT_LINES lines (as many as it has): the last one names
 * this input; the shorter ones find an earlier load of the same file when it was still shorter (a log that
 * has grown since). The content, not the name, is what counts: logrotate renames and compresses files,
 * and `access.log.1` tonight is `access.log.2.gz` tomorrow.
 *
 * The lines hold client addresses, so the hash is keyed with the store's secret input key (inputKey):
 * without the state folder nobody can test a guessed line against a fingerprint in ClickHouse.
 */
export function prefixFingerprints(firstLines: readonly string[], key: Buffer): string[] {
  const hash = createHash('sha256').update(key);
  const prints: string[] = [];
  const count = Math.min(firstLines.length, FINGERPRINT_LINES);
  for (let i = 0; i < count; i++) {
    hash.update(firstLines[i]);
    hash.update('\n');
    prints.push(hash.copy().digest('base64url'));
  }
  return prints;
}

/** The store's input key (`<state>/input-key`, mode 0600), made on first use and kept: it is no daily salt. */
export function inputKey(stateDir: string): Buffer {
  const file = join(stateDir, 'input-key');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES) throw new Error(`${file}: the input key must hold ${KEY_BYTES} bytes; delete it (inputs loaded before will then load again)`);
  return key;
}
