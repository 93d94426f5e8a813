import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';
import { type DatabaseNames, databaseNames, DEFAULT_NAMES } from './database-names.js';
import { LockHeldError, releaseLock, takeLock } from './lock.js';
import { NativeFileInserter } from './native-insert.js';
import { openOverlay } from './overlay.js';
import type { RetryPolicy } from './retry.js';
import { DATABASE, MIGRATIONS } from './schema.js';
import { connectServer, insertBody } from './server.js';
import { StoreError } from './store-error.js';
import type { BatchSink } from './writer.js';

export { StoreError } from './store-error.js';
export { redactUrl } from './server.js';

/** Where siftlog keeps its data: an embedded ClickHouse folder, or a server reached over HTTP(S). */
export interface StoreOptions {
  /** Local folder: the embedded engine's data (unless `url` is set), daily salts, quarantine files. */
  dir: string;
  /** ClickHouse server URL; when absent the embedded engine (chdb) is used. */
  url?: string;
  user?: string;
  password?: string;
  /** Server only: the database of the store (default `siftlog`; staging and salts go to `<name>_staging`, `<name>_secrets`). */
  database?: string;
  /** Server only: PEM file of the certificate authority that signed an https server's certificate. */
  caFile?: string;
  /** Server only: how long a request may go unanswered (default 300 s). */
  requestTimeoutMs?: number;
  /** Server only: retries of requests that failed on the way (retry.ts). */
  retry?: RetryPolicy;
  /**
   * Open for reading only (`sql`, `audit`, `report`): nothing is migrated or written, ClickHouse's
   * `readonly` setting refuses writes, and an embedded store folder this user cannot write is read
   * through a read-only overlay (overlay.ts) instead of failing.
   */
  readOnly?: boolean;
  /** Where notices go (a stale lock taken over). */
  warn?: (message: string) => void;
}

type EmbeddedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Settings of every insert into staging: a backfill may stage many days in one batch. */
const INSERT_SETTINGS = { max_partitions_per_insert_block: '0' } as const;

export class Store implements BatchSink {
  /** The store's databases: the defaults, or those of --database on a server. */
  names: DatabaseNames = DEFAULT_NAMES;
  /** A server's retry policy; null for the embedded engine. */
  private serverRetry: RetryPolicy | null = null;
  /** Inserts Native batches into the embedded engine (made at the first one). */
  private nativeInserter: NativeFileInserter | null = null;

  private constructor(
    readonly client: ClickHouseClient,
    readonly mode: 'embedded' | 'server',
    readonly dir: string,
    private readonly lockFile: string | null,
    /** The embedded engine's connection, for its zero-copy insert; null for a server. */
    private readonly embedded: ChdbConnection | null,
    /** Removes a read-only overlay's temporary engine folder. */
    private readonly cleanup: (() => void) | null,
    /** This process holds the store alone (an embedded store's lock): no other run can be alive. */
    readonly exclusive: boolean,
    readonly readOnly: boolean,
  ) {}

  /**
   * Inserts an encoded batch. The embedded engine takes the bytes as they are (chdb's rawInsert); the
   * client's insert would first turn a batch into one JS string and back (~0.7 s of the main thread per
   * 300k rows, measured with --cpu-prof).
   */
  async insertEncoded(table: string, columns: readonly string[], format: string, body: Buffer): Promise<void> {
    if (this.embedded !== null) {
      if (format === 'Native') {
        this.nativeInserter ??= new NativeFileInserter(this.client, join(this.dir, 'tmp'));
        await this.nativeInserter.insert(table, columns, body, INSERT_SETTINGS);
        return;
      }
      await this.embedded.chdb.rawInsert({ table, columns, format: format as 'TabSeparated', values: body, settings: INSERT_SETTINGS });
      return;
    }
    await insertBody(this.client, this.serverRetry!, { table, columns, format, body, settings: INSERT_SETTINGS });
  }

  get stateDir(): string {
    return join(this.dir, 'state');
  }

  get quarantineDir(): string {
    return join(this.dir, 'quarantine');
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dir = resolve(options.dir);
    const warn = options.warn ?? (() => undefined);
    const readOnly = options.readOnly === true;
    if (options.url) return Store.openServer(options.url, options, dir, readOnly);
    if (options.database !== undefined || options.caFile !== undefined) {
      throw new StoreError(`${options.database !== undefined ? '--database' : '--ca-file'} is for a ClickHouse server (--url): an embedded store is its folder (--store)`);
    }
    const dataDir = join(dir, 'clickhouse');
    if (readOnly) {
      if (!existsSync(dataDir)) {
        throw new StoreError(`${dir} holds no siftlog store yet: load logs into it first (siftlog ingest <logs> --store ${options.dir})`);
      }
      if (!writable(dir) || !writable(dataDir)) return Store.openOverlay(dir, dataDir);
    } else {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw new StoreError(`cannot create the store folder ${dir} (${(err as NodeJS.ErrnoException).code}): choose another with --store DIR`);
      }
      if (!writable(dir) || (existsSync(dataDir) && !writable(dataDir))) {
        throw new StoreError(`the store ${dir} is not writable by this user: run siftlog as the store's owner, or give --store another folder`);
      }
    }
    const lockFile = join(dir, 'siftlog.lock');
    try {
      if (!takeLock(lockFile, warn)) throw new StoreError(`cannot write the lock file ${lockFile}: the store folder is not writable by this user`);
    } catch (err) {
      if (err instanceof LockHeldError) throw new StoreError(lockedMessage(dir, err.message));
      throw err;
    }
    try {
      const { createChdbConnection } = await import('chdb/connection');
      const connection = createChdbConnection({ path: dataDir });
      // chdb's Connection is typed against @clickhouse/client-common, which the client bundles its own copy
      // of; the shapes are the same (chdb runs the client's parity tests).
      const client = createClient({ connection: connection as unknown as EmbeddedConnection, log: { level: ClickHouseLogLevel.OFF } });
      if (readOnly) {
        // Session-wide: every statement after this one may read and change settings, never write.
        await client.command({ query: 'SET readonly = 2' });
      } else {
        await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });
      }
      await client.command({ query: `USE ${DATABASE}` });
      return new Store(client, 'embedded', dir, lockFile, connection, null, true, readOnly);
    } catch (err) {
      releaseLock(lockFile);
      if (/Cannot lock file/i.test(String(err)) || /Cannot lock file/i.test(String((err as Error).cause))) {
        throw new StoreError(lockedMessage(dir, 'another process'));
      }
      throw err;
    }
  }

  private static async openOverlay(dir: string, dataDir: string): Promise<Store> {
    const overlay = await openOverlay(dataDir);
    try {
      const { createChdbConnection } = await import('chdb/connection');
      const connection = createChdbConnection({ path: overlay.path });
      const client = createClient({ connection: connection as unknown as EmbeddedConnection, log: { level: ClickHouseLogLevel.OFF } });
      await client.command({ query: 'SET readonly = 2' });
      await client.command({ query: `USE ${DATABASE}` });
      return new Store(client, 'embedded', dir, null, connection, overlay.close, false, true);
    } catch (err) {
      overlay.close();
      throw err;
    }
  }

  private static async openServer(url: string, options: StoreOptions, dir: string, readOnly: boolean): Promise<Store> {
    let names: DatabaseNames;
    try {
      names = databaseNames(options.database);
    } catch (err) {
      throw new StoreError((err as Error).message);
    }
    if (!readOnly) mkdirSync(dir, { recursive: true });
    const server = await connectServer({
      url, user: options.user, password: options.password, names, caFile: options.caFile, readOnly,
      requestTimeoutMs: options.requestTimeoutMs, retry: options.retry, warn: options.warn ?? (() => undefined),
    });
    const store = new Store(server.client, 'server', dir, null, null, null, false, readOnly);
    store.names = names;
    store.serverRetry = server.retry;
    return store;
  }

  /** Applies the migrations this store has not seen yet; returns the versions applied. */
  async migrate(): Promise<number[]> {
    if (this.readOnly) throw new StoreError('the store is open for reading only: it cannot be migrated');
    return migrateSchema(this.client);
  }

  async close(): Promise<void> {
    try {
      await this.client.close();
      if (this.embedded !== null) {
        // The engine binds one data folder per process: once this returns, another store may be opened.
        const { drainPending } = await import('chdb');
        await drainPending();
      }
    } finally {
      if (this.lockFile) releaseLock(this.lockFile);
      this.cleanup?.();
    }
  }
}

function lockedMessage(dir: string, who: string): string {
  return `the store ${dir} is in use by ${who}. Wait for it to finish, or give this command another folder with --store DIR.`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies to the schema the migrations it has not seen yet; returns the versions applied. A function of
 * its own so that `siftlog schema` can run the same migrations on a scratch database to render the DDL.
 */
export async function migrateSchema(client: ClickHouseClient): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${DATABASE}.schema_migrations (version UInt32, description String, applied DateTime('UTC'))
            ENGINE = MergeTree ORDER BY version`,
  });
  // Versions applied, not just the highest: branches may number migrations out of order (2 after 3).
  const rows = await (await client.query({
    query: `SELECT DISTINCT version AS v FROM ${DATABASE}.schema_migrations`, format: 'JSONEachRow',
  })).json<{ v: number }>();
  const done = new Set(rows.map((r) => Number(r.v)));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements) await client.command({ query: statement });
    await migration.apply?.(client);
    await client.insert({
      table: `${DATABASE}.schema_migrations`,
      values: [{ version: migration.version, description: migration.description, applied: Math.floor(Date.now() / 1000) }],
      format: 'JSONEachRow',
    });
    applied.push(migration.version);
  }
  return applied;
}
