import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { addDays, type SiteCalendar } from '../../privacy/calendar.js';
import { oldestKeptDay, readSaltFile, SALT_BYTES, saltDir, writeSaltFile } from '../../privacy/salt.js';
import { SECRETS_DATABASE } from './database-names.js';

/**
 * Daily salts shared by several ingest hosts writing one server store (`store.share_salts: true`, or
 * `--share-salts`): one visitor gets the same id on every host the same day, so visitors are not counted
 * once per host.
 *
 * The server keeps one secret: the key of the oldest day of the salt window, in `siftlog_secrets.salt_chain`
 * (a database the read-only role is never granted, grants.ts). Each day's key is the hash of the day
 * before's (`key(d+1) = SHA-256("siftlog salt chain" ‖ key(d))`), and the day's salt is
 * `HMAC-SHA-256(key(d), "siftlog salt " ‖ d)`. Every host derives the same salts from the stored key and
 * writes them as its usual salt files (salt.ts), so the rest of the pipeline is unchanged.
 *
 * Each run moves the stored key forward to the oldest day of its window and deletes the older key: from
 * what is left, nobody — siftlog included — can compute the salt of a day past the window (the hash cannot
 * be run backwards), which is what deleting a day's salt file gives on one host. Moving forward is the same
 * computation on every host, so hosts running at once write the same row. The trade-off (docs/server.md):
 * the key lets whoever reads it compute the salts of the window and of every day after it until it is
 * replaced, where a host's random daily salts give away only the window's days; the writer role and the
 * server's administrators can read it, and it travels over the connection (use https).
 *
 * The first key is drawn by the first host that finds none. Two hosts doing that in the same moment could
 * each keep their own for that first window (ClickHouse has no compare-and-set here): all hosts read back
 * the smallest key of the latest day, and docs/server.md says to run the first shared ingest on one host.
 */
export const SALT_CHAIN_TABLE = `${SECRETS_DATABASE}.salt_chain`;

export const SECRETS_STATEMENTS: readonly string[] = [
  `CREATE DATABASE IF NOT EXISTS ${SECRETS_DATABASE}`,
  `CREATE TABLE IF NOT EXISTS ${SALT_CHAIN_TABLE} (
    day Date COMMENT 'the day whose key this is: the oldest day of the salt window when it was written',
    key String COMMENT '32 random bytes (hex) hashed forward one day at a time; older keys are deleted',
    written DateTime('UTC') DEFAULT now()
  ) ENGINE = ReplacingMergeTree ORDER BY (day, key)`,
];

const KEY_BYTES = 32;

/** The key of the day after the one whose key is `key`. */
export function nextKey(key: Buffer): Buffer {
  return createHash('sha256').update('siftlog salt chain').update(key).digest();
}

/** The salt of `day` from that day's key. */
export function saltFromKey(key: Buffer, day: string): Buffer {
  return createHmac('sha256', key).update(`siftlog salt ${day}`).digest().subarray(0, SALT_BYTES);
}

/** The key of `day` from the key of `from` (an earlier or the same day). */
export function keyOf(key: Buffer, from: string, day: string): Buffer {
  if (day < from) throw new Error(`the key of ${day} cannot be derived from the later day ${from}`);
  let k = key;
  for (let d = from; d < day; d = addDays(d, 1)) k = nextKey(k);
  return k;
}

export interface ShareOptions {
  windowDays: number;
  calendar: SiteCalendar;
  now: () => number;
}

export interface ShareResult {
  /** Days whose salt files now hold the shared salts: the window and tomorrow. */
  days: string[];
  /** Days whose local salt file held another salt, replaced by the shared one. */
  replaced: string[];
}

/**
 * Agrees on the window's salts with the other hosts through the server and writes them to the salt folder
 * of `stateDir`: from the oldest day of the window to tomorrow (a run going past midnight).
 */
export async function shareSalts(client: ClickHouseClient, stateDir: string, options: ShareOptions): Promise<ShareResult> {
  for (const statement of SECRETS_STATEMENTS) await client.command({ query: statement });
  const today = options.calendar.dayKey(options.now());
  const oldest = oldestKeptDay(today, options.windowDays);
  let stored = await storedKey(client);
  if (stored === null) {
    await insertKey(client, oldest, randomBytes(KEY_BYTES));
    stored = await storedKey(client);
    if (stored === null) throw new Error(`${SALT_CHAIN_TABLE}: the key just written cannot be read back`);
  }
  // The later of the two days (YYYY-MM-DD sorts as text).
  const from = [stored.day, oldest].sort()[1];
  const key = keyOf(stored.key, stored.day, from);
  if (stored.day < oldest) {
    // Forward to the window's first day, then forget the older key: the days before can no longer be derived.
    await insertKey(client, oldest, key);
    await client.command({
      query: `ALTER TABLE ${SALT_CHAIN_TABLE} DELETE WHERE day < {oldest:Date}`,
      query_params: { oldest }, clickhouse_settings: { mutations_sync: '2' },
    });
  }
  const dir = saltDir(stateDir);
  const days: string[] = [];
  const replaced: string[] = [];
  let k = key;
  for (let day = from; day <= addDays(today, 1); day = addDays(day, 1)) {
    const salt = saltFromKey(k, day);
    const local = readSaltFile(dir, day);
    if (local === null || !local.equals(salt)) {
      if (local !== null) replaced.push(day);
      writeSaltFile(dir, day, salt);
    }
    days.push(day);
    k = nextKey(k);
  }
  return { days, replaced };
}

/** The key with the latest day (the smallest key of that day, should two hosts have drawn one at once). */
async function storedKey(client: ClickHouseClient): Promise<{ day: string; key: Buffer } | null> {
  const rows = await (await client.query({
    query: `SELECT toString(day) AS day, key FROM ${SALT_CHAIN_TABLE} FINAL ORDER BY day DESC, key LIMIT 1`, format: 'JSONEachRow',
  })).json<{ day: string; key: string }>();
  if (rows.length === 0) return null;
  const key = Buffer.from(rows[0].key, 'hex');
  if (key.length !== KEY_BYTES) throw new Error(`${SALT_CHAIN_TABLE}: the key of ${rows[0].day} is not ${KEY_BYTES} bytes`);
  return { day: rows[0].day, key };
}

async function insertKey(client: ClickHouseClient, day: string, key: Buffer): Promise<void> {
  await client.insert({ table: SALT_CHAIN_TABLE, values: [{ day, key: key.toString('hex') }], format: 'JSONEachRow' });
}
