import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { drainPending } from 'chdb';
import { createChdbConnection, type ChdbConnection } from 'chdb/connection';
import { Readable } from 'node:stream';
import { ensureRequestsInput } from './input-table.js';
import { DATABASE, MIGRATIONS } from './schema.js';

/** Where siftlog keeps its data: an embedded ClickHouse folder, or a server reached over HTTP(S). */
export interface StoreOptions {
  /** Local folder: the embedded engine's data (unless `url` is set), daily salts, quarantine files. */
  dir: string;
  /** ClickHouse server URL; when absent the embedded engine (chdb) is used. */
  url?: string;
  user?: string;
  password?: string;
}

export class StoreError extends Error {}

type EmbeddedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Oldest server this schema and its SQL (query parameters, SimpleAggregateFunction, IF NOT EXISTS views) serve. */
const MIN_SERVER_MAJOR = 22;

/** Where the writer sends a batch of TabSeparated rows (Store implements it for either mode). */
export interface TabSeparatedSink {
  insertTabSeparated(table: string, columns: readonly string[], body: Buffer): Promise<void>;
}

export class Store implements TabSeparatedSink {
  private constructor(
    readonly client: ClickHouseClient,
    readonly mode: 'embedded' | 'server',
    readonly dir: string,
    private readonly lockFile: string | null,
    /** The embedded engine's connection, for its zero-copy insert; null for a server. */
    private readonly embedded: ChdbConnection | null = null,
  ) {}

  /**
   * Inserts rows already encoded as TabSeparated. The embedded engine takes the bytes as they are
   * (chdb's rawInsert); the client's insert would first turn a batch into one JS string and back
   * (~0.7 s of the main thread per 300k rows, measured with --cpu-prof).
   */
  async insertTabSeparated(table: string, columns: readonly string[], body: Buffer): Promise<void> {
    if (this.embedded !== null) {
      await this.embedded.chdb.rawInsert({ table, columns, format: 'TabSeparated', values: body });
      return;
    }
    await this.client.insert({
      table, values: Readable.from([body], { objectMode: false }), format: 'TabSeparated', columns: [...columns] as [string, ...string[]],
    });
  }

  get stateDir(): string {
    return join(this.dir, 'state');
  }

  get quarantineDir(): string {
    return join(this.dir, 'quarantine');
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dir = resolve(options.dir);
    mkdirSync(dir, { recursive: true });
    if (options.url) {
      const client = createClient({ url: options.url, username: options.user, password: options.password });
      const store = new Store(client, 'server', dir, null);
      await store.checkServerVersion(options.url);
      return store;
    }
    const lockFile = join(dir, 'siftlog.lock');
    takeLock(lockFile, dir);
    try {
      const connection = createChdbConnection({ path: join(dir, 'clickhouse') });
      // chdb's Connection is typed against @clickhouse/client-common, which the client bundles its own copy
      // of; the shapes are the same (chdb runs the client's parity tests).
      const client = createClient({ connection: connection as unknown as EmbeddedConnection });
      await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });
      await client.command({ query: `USE ${DATABASE}` });
      return new Store(client, 'embedded', dir, lockFile, connection);
    } catch (err) {
      releaseLock(lockFile);
      if (/Cannot lock file/i.test(String(err)) || /Cannot lock file/i.test(String((err as Error).cause))) {
        throw new StoreError(lockedMessage(dir, null));
      }
      throw err;
    }
  }

  private async checkServerVersion(url: string): Promise<void> {
    let version: string;
    try {
      const rows = await (await this.client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
      version = rows[0].v;
    } catch (err) {
      throw new StoreError(`cannot reach ClickHouse at ${url}: ${(err as Error).message}`);
    }
    const major = Number(version.split('.')[0]);
    if (!(major >= MIN_SERVER_MAJOR)) {
      throw new StoreError(`ClickHouse ${version} at ${url} is too old: siftlog needs ${MIN_SERVER_MAJOR}.x or newer (query parameters, SimpleAggregateFunction)`);
    }
    await this.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` });
  }

  /** Applies the migrations this store has not seen yet; returns the versions applied. */
  async migrate(): Promise<number[]> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${DATABASE}.schema_migrations (version UInt32, description String, applied DateTime('UTC'))
              ENGINE = MergeTree ORDER BY version`,
    });
    // Versions applied, not just the highest: branches may number migrations out of order (2 after 3).
    const rows = await (await this.client.query({
      query: `SELECT DISTINCT version AS v FROM ${DATABASE}.schema_migrations`, format: 'JSONEachRow',
    })).json<{ v: number }>();
    const done = new Set(rows.map((r) => Number(r.v)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await this.client.command({ query: statement });
      await this.client.insert({
        table: `${DATABASE}.schema_migrations`,
        values: [{ version: migration.version, description: migration.description, applied: Math.floor(Date.now() / 1000) }],
        format: 'JSONEachRow',
      });
      applied.push(migration.version);
    }
    await ensureRequestsInput(this.client);
    return applied;
  }

  async close(): Promise<void> {
    try {
      await this.client.close();
      // The engine binds one data folder per process: once this returns, another store may be opened.
      if (this.embedded !== null) await drainPending();
    } finally {
      if (this.lockFile) releaseLock(this.lockFile);
    }
  }
}

function lockedMessage(dir: string, pid: number | null): string {
  const who = pid === null ? 'another siftlog process' : `siftlog process ${pid}`;
  return `the store ${dir} is in use by ${who}. Wait for it to finish, or give this command another folder with --store DIR.`;
}

/**
 * One process at a time may open an embedded store (ClickHouse locks its data folder). Our own lock file
 * with the owner's pid lets a second process say who holds it, before the engine prints its own error.
 */
function takeLock(lockFile: string, dir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) throw new StoreError(lockedMessage(dir, pid));
      unlinkSync(lockFile); // left behind by a process that died: take it over
    }
  }
  throw new StoreError(lockedMessage(dir, null));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(lockFile: string): void {
  try {
    unlinkSync(lockFile);
  } catch {
    // already gone
  }
}
