import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { type DatabaseNames, DEFAULT_NAMES, renamingClient } from './database-names.js';
import { DEFAULT_RETRY, retryOnTheWay, type RetryPolicy, ServerUnavailableError, withRetries } from './retry.js';
import { StoreError } from './store-error.js';

/**
 * The oldest ClickHouse server siftlog serves: 24.3 (an LTS release). The privacy views must run with
 * their creator's rights (`SQL SECURITY DEFINER`, 24.2) so that the read-only role reads them without
 * reading the tables below them; the load path needs lightweight DELETE (23.3), query parameters and
 * `REPLACE PARTITION`.
 */
export const MIN_SERVER_VERSION = [24, 3] as const;
const MIN_TEXT = MIN_SERVER_VERSION.join('.');
const WHY_MIN = 'views that keep the small-group rule for a read-only role (SQL SECURITY DEFINER), lightweight DELETE, query parameters';

/** How to reach a ClickHouse server. */
export interface ServerOptions {
  url: string;
  user?: string;
  password?: string;
  /** The databases of the store (database-names.ts). */
  names: DatabaseNames;
  /** A PEM file with the certificate authority that signed the server's certificate (https only). */
  caFile?: string;
  /** Open for reading only: ClickHouse's `readonly` setting refuses every write. */
  readOnly: boolean;
  /** How long a request may go without an answer before it counts as failed (default 300 s). */
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  warn: (message: string) => void;
}

/** A client for the server, checked: reachable, the user accepted, the version new enough. */
export interface ServerConnection {
  client: ClickHouseClient;
  version: string;
  retry: RetryPolicy;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

/**
 * Connects to a server and checks it before anything else is sent: a server too old for the schema is
 * refused with a message naming the minimum, and nothing is created or changed on it.
 */
export async function connectServer(options: ServerOptions): Promise<ServerConnection> {
  const where = redactUrl(options.url);
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new StoreError(`--url ${where}: not a URL; write it as http://host:8123 or https://host:8443`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new StoreError(`--url ${where}: siftlog speaks ClickHouse's HTTP interface: the URL starts with http:// or https://, not ${parsed.protocol}//`);
  }
  let ca: Buffer | undefined;
  if (options.caFile !== undefined) {
    if (parsed.protocol !== 'https:') {
      throw new StoreError(`--ca-file ${options.caFile}: a certificate authority is for an https:// server, and ${where} is http://`);
    }
    try {
      ca = readFileSync(options.caFile);
    } catch (err) {
      throw new StoreError(`--ca-file ${options.caFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? oneLine(err)})`);
    }
    if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
      throw new StoreError(`--ca-file ${options.caFile}: not a PEM certificate (it should hold -----BEGIN CERTIFICATE-----)`);
    }
  }
  if (parsed.protocol === 'http:' && (options.password ?? parsed.password) && !isLoopback(parsed.hostname)) {
    options.warn(`the password for ${where} travels unencrypted over http://: use https:// (and --ca-file for a private CA)`);
  }
  const retry = options.retry ?? DEFAULT_RETRY;
  const settings = {
    url: options.url, username: options.user, password: options.password,
    request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    tls: ca === undefined ? undefined : { ca_cert: ca },
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: options.readOnly ? { readonly: '2' as const } : {},
  };
  // Once, without retries and without a database (it may not exist yet): a server that is not there at
  // the start (a mistyped --url) is said at once, and one too old is left as it was.
  const bare = createClient(settings);
  let version: string;
  try {
    version = await serverVersion(bare, where, options.user ?? userOf(parsed));
    const [major, minor] = version.split('.').map(Number);
    if (!(major > MIN_SERVER_VERSION[0] || (major === MIN_SERVER_VERSION[0] && minor >= MIN_SERVER_VERSION[1]))) {
      throw new StoreError(`ClickHouse ${version} at ${where} is too old: siftlog needs ClickHouse ${MIN_TEXT} or newer (${WHY_MIN}). Nothing was changed on that server.`);
    }
    await ensureDatabase(bare, options, where);
  } finally {
    await bare.close();
  }
  // Unqualified names in a user's SQL (siftlog sql) are the store's tables, as `USE siftlog` makes them embedded.
  const direct = createClient({ ...settings, database: options.names.main });
  retryOnTheWay(direct, retry, {
    onRetry: ({ attempt, delayMs, error }) => {
      options.warn(`ClickHouse at ${where}: ${oneLine(error)}; trying again in ${(delayMs / 1000).toFixed(1)} s (retry ${attempt} of ${retry.attempts - 1})`);
    },
  });
  return { client: renamingClient(direct, options.names), version, retry };
}

/** Creates the store's database for writing; for reading, says so when it is not there. */
async function ensureDatabase(client: ClickHouseClient, options: ServerOptions, where: string): Promise<void> {
  const name = options.names.main;
  if (!options.readOnly) {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${name}\`` });
    return;
  }
  const rows = await (await client.query({
    query: 'SELECT count() AS n FROM system.databases WHERE name = {name:String}', query_params: { name }, format: 'JSONEachRow',
  })).json<{ n: string | number }>();
  if (Number(rows[0]?.n ?? 0) === 0) {
    throw new StoreError(`ClickHouse at ${where} holds no siftlog store in database ${name} yet: load logs into it first (siftlog ingest <logs> --url …${name === DEFAULT_NAMES.main ? '' : ` --database ${name}`})`);
  }
}

async function serverVersion(client: ClickHouseClient, where: string, user: string): Promise<string> {
  try {
    const rows = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
    return String(rows[0].v);
  } catch (err) {
    throw connectError(err, where, user);
  }
}

/** A failure to reach or use the server, as a message the user can act on. */
export function connectError(err: unknown, where: string, user: string): StoreError {
  const cause = err instanceof ServerUnavailableError ? err.cause : err;
  const code = String((cause as { code?: unknown } | null)?.code ?? '');
  const message = oneLine(err);
  if (['516', '192', '193', '194', '195'].includes(code)) {
    return new StoreError(`ClickHouse at ${where} refused the user ${user}: ${message}. Check --user (CLICKHOUSE_USER) and the password (CLICKHOUSE_PASSWORD).`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)_|ERR_TLS/.test(code)) {
    return new StoreError(`the certificate of ClickHouse at ${where} is not trusted (${code}): give the certificate authority that signed it with --ca-file FILE (CLICKHOUSE_CA_FILE)`);
  }
  if (code === 'EPROTO' || /wrong version number/i.test(message)) {
    return new StoreError(`ClickHouse at ${where} does not speak ${where.startsWith('https') ? 'https' : 'http'} on that port: check the URL's scheme and port (http 8123, https 8443)`);
  }
  return new StoreError(`cannot reach ClickHouse at ${where}: ${message}. Check --url (or CLICKHOUSE_URL), the user and password, and that the server is running.`);
}

/**
 * Sends an encoded batch to the server. A batch the server never received is sent again (it is a Buffer);
 * one that may have arrived is not: the run fails and its staging is dropped (docs/load-path.md).
 */
export async function insertBody(
  client: ClickHouseClient, retry: RetryPolicy, batch: { table: string; columns: readonly string[]; format: string; body: Buffer; settings: Record<string, string> },
): Promise<void> {
  await withRetries(() => client.insert({
    table: batch.table, values: Readable.from([batch.body], { objectMode: false }), format: batch.format as 'TabSeparated',
    columns: [...batch.columns] as [string, ...string[]], clickhouse_settings: batch.settings,
  }), false, retry);
}

/** A server URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^/:@]*):[^/@]*@/, '//$1:***@');
  }
}

function userOf(url: URL): string {
  return url.username === '' ? 'default' : decodeURIComponent(url.username);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim();
}
