import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { latestRuns } from './runs.js';
import { STAGING_DATABASE } from './schema.js';
import { StoreError } from './store-error.js';

/**
 * One publish at a time on a server store written by several hosts. A publish rebuilds the partitions it
 * touches from what is published and swaps them in (publish.ts): two overlapping publishes of one day or
 * month would each swap in a copy without the other's rows. On one host the store folder's lock keeps runs
 * apart (lock.ts); across hosts this lock does, for the publish only (staging runs side by side).
 *
 * ClickHouse has no compare-and-set, but `CREATE TABLE` without `IF NOT EXISTS` succeeds for exactly one of
 * several hosts: the lock is the table `siftlog_staging.publish_lock`, its comment naming the holder (run,
 * host, pid, since). A holder whose run the run log shows ended (published, failed, interrupted), whose
 * process is gone on this host, or that has held the lock past `staleMs`, is taken over.
 */
export const PUBLISH_LOCK_TABLE = `${STAGING_DATABASE}.publish_lock`;

export interface Holder {
  runId: string;
  host: string;
  pid: number;
  /** Unix milliseconds. */
  since: number;
}

export interface PublishLockOptions {
  runId: string;
  /** How long to wait for another host's publish (default 30 min). */
  waitMs?: number;
  /** A lock held longer than this is taken over (default 1 h). */
  staleMs?: number;
  pollMs?: number;
  warn?: (message: string) => void;
  now?: () => number;
}

/** Takes the lock, waiting for another publish to end; returns the function that releases it. */
export async function takePublishLock(client: ClickHouseClient, options: PublishLockOptions): Promise<() => Promise<void>> {
  const now = options.now ?? Date.now;
  const me: Holder = { runId: options.runId, host: hostname(), pid: process.pid, since: now() };
  const deadline = now() + (options.waitMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    me.since = now();
    if (await tryCreate(client, me)) {
      return async () => {
        const holder = await currentHolder(client);
        if (holder?.runId === me.runId) await client.command({ query: `DROP TABLE IF EXISTS ${PUBLISH_LOCK_TABLE}` });
      };
    }
    const holder = await currentHolder(client);
    if (holder === null) continue;
    if (await isStale(client, holder, now(), options.staleMs ?? 60 * 60_000)) {
      options.warn?.(`run ${holder.runId} (host ${holder.host}, pid ${holder.pid}) held the publish lock of this store and has ended: taking it over`);
      await client.command({ query: `DROP TABLE IF EXISTS ${PUBLISH_LOCK_TABLE}` });
      continue;
    }
    if (!told) {
      options.warn?.(`waiting for run ${holder.runId} on host ${holder.host} (pid ${holder.pid}) to finish publishing into this store`);
      told = true;
    }
    if (now() >= deadline) {
      throw new StoreError(`run ${holder.runId} on host ${holder.host} (pid ${holder.pid}) has been publishing into this store since ${new Date(holder.since).toISOString()}: `
        + 'nothing of this run was published; run it again once that publish has ended');
    }
    await sleep(options.pollMs ?? 1000);
  }
}

/** Creates the lock table; false when another holds it. */
async function tryCreate(client: ClickHouseClient, me: Holder): Promise<boolean> {
  try {
    await client.command({
      query: `CREATE TABLE ${PUBLISH_LOCK_TABLE} (held UInt8) ENGINE = Memory COMMENT ${literal(JSON.stringify(me))}`,
    });
    return true;
  } catch (err) {
    // 57 TABLE_ALREADY_EXISTS: held. A create that failed on the way may still have run: ours if it names us.
    const holder = await currentHolder(client);
    if (holder?.runId === me.runId) return true;
    if (String((err as { code?: unknown }).code) === '57' || holder !== null) return false;
    throw err;
  }
}

export async function currentHolder(client: ClickHouseClient): Promise<Holder | null> {
  const rows = await (await client.query({
    query: 'SELECT comment FROM system.tables WHERE database = {db:String} AND name = \'publish_lock\'',
    query_params: { db: STAGING_DATABASE }, format: 'JSONEachRow',
  })).json<{ comment: string }>();
  if (rows.length === 0) return null;
  try {
    return JSON.parse(rows[0].comment) as Holder;
  } catch {
    return { runId: 'unknown', host: 'unknown', pid: 0, since: 0 };
  }
}

async function isStale(client: ClickHouseClient, holder: Holder, now: number, staleMs: number): Promise<boolean> {
  if (now - holder.since > staleMs) return true;
  if (holder.host === hostname() && holder.pid !== process.pid) {
    try {
      process.kill(holder.pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
  }
  const runs = await latestRuns(client, { statuses: ['published', 'failed', 'interrupted'] });
  return runs.some((r) => r.state.runId === holder.runId);
}

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Runs `publish` holding the lock when the store may have other writers (`shared`: a server store), else
 * runs it as it is. A lock the server did not let go of is taken over once this run is recorded as ended.
 */
export async function publishingAlone<T>(client: ClickHouseClient, shared: boolean, options: PublishLockOptions, publish: () => Promise<T>): Promise<T> {
  if (!shared) return publish();
  const release = await takePublishLock(client, options);
  try {
    return await publish();
  } finally {
    await release().catch(() => undefined);
  }
}
