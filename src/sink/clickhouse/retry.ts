import type { ClickHouseClient } from '@clickhouse/client';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries of a server's requests. A request that failed because the server could not be reached, or
 * because the connection broke or timed out, is sent again after a growing pause (backoff with jitter),
 * up to `attempts` times in all. Only what is safe to send twice is sent twice:
 *
 * - a request the server never received (the connection was refused, the name did not resolve, the
 *   server said it was too busy to start it) is always retried;
 * - a request that may have run before the connection broke or timed out is retried only when running it
 *   twice gives what running it once gives: reads, `CREATE … IF NOT EXISTS`, `CREATE OR REPLACE`,
 *   `DROP … IF EXISTS`, `REPLACE PARTITION` / `DROP PARTITION`, lightweight `DELETE`, `ADD COLUMN IF NOT EXISTS`.
 *   An `INSERT` or an `ATTACH PARTITION … FROM` that may have run is not: the run fails, and the load path
 *   (docs/load-path.md) leaves production as it was — its staging is dropped, or a publish already
 *   recorded is finished by the next run.
 *
 * When the attempts are used up the last error is thrown, wrapped in a ServerUnavailableError that says
 * what was tried.
 */
export interface RetryPolicy {
  /** Tries in all, the first included (1: no retry). */
  attempts: number;
  /** Pause before the first retry; doubled each time, with ±25% jitter. */
  initialDelayMs: number;
  /** Longest pause between tries. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 500, maxDelayMs: 8000 };

/** The server could not be reached, or kept failing, through every retry. */
export class ServerUnavailableError extends Error {
  constructor(message: string, readonly attempts: number, override readonly cause: unknown) {
    super(message);
  }
}

/** Errors of a connection that was never made: the request did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
/** Errors of a connection that broke: the server may have run the request. */
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/**
 * ClickHouse errors that say the statement did not start (202 TOO_MANY_SIMULTANEOUS_QUERIES, 203
 * NO_FREE_CONNECTION) or that the server is briefly unable to serve it (209 SOCKET_TIMEOUT, 210
 * NETWORK_ERROR, 242 TABLE_IS_READ_ONLY while a replica reconnects to Keeper, 999 KEEPER_EXCEPTION).
 */
const NOT_STARTED_SERVER_CODES = new Set(['202', '203']);
const TRANSIENT_SERVER_CODES = new Set(['209', '210', '242', '999']);

export type Failure = 'not-sent' | 'maybe-ran' | 'final';

/** How a failed request failed, as far as a retry is concerned. */
export function classifyFailure(err: unknown): Failure {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const code = e !== null && typeof e === 'object' ? String(e.code ?? '') : '';
  const message = e !== null && typeof e === 'object' ? String(e.message ?? '') : String(err);
  if (NOT_SENT_CODES.has(code) || NOT_STARTED_SERVER_CODES.has(code)) return 'not-sent';
  if (BROKEN_CODES.has(code) || TRANSIENT_SERVER_CODES.has(code)) return 'maybe-ran';
  if (/^Timeout error\.?$/.test(message) || /socket hang up/i.test(message)) return 'maybe-ran';
  if (e?.cause !== undefined && e.cause !== err) return classifyFailure(e.cause);
  return 'final';
}

/** Statements that give the same result when run twice (see the list above). */
const IDEMPOTENT = [
  /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXPLAIN|EXISTS)\b/,
  /^CREATE\s+(TEMPORARY\s+)?(TABLE|VIEW|DATABASE|MATERIALIZED\s+VIEW|DICTIONARY)\s+IF\s+NOT\s+EXISTS\b/,
  /^CREATE\s+OR\s+REPLACE\s+(VIEW|TABLE|DICTIONARY)\b/,
  /^DROP\s+(TEMPORARY\s+)?(TABLE|VIEW|DATABASE|DICTIONARY)\s+IF\s+EXISTS\b/,
  /^ALTER\s+TABLE\s+\S+(\s+ON\s+CLUSTER\s+\S+)?\s+(REPLACE|DROP)\s+PARTITION\b/,
  /^DELETE\s+FROM\b/,
  /^(SET|USE)\b/,
];

export function isIdempotent(statement: string): boolean {
  const text = statement.replace(/^(\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '').toUpperCase();
  return IDEMPOTENT.some((re) => re.test(text)) || onlyGuardedColumnChanges(text);
}

/** `ALTER TABLE … ADD COLUMN IF NOT EXISTS …, DROP COLUMN IF EXISTS …` and nothing else. */
function onlyGuardedColumnChanges(text: string): boolean {
  if (!/^ALTER\s+TABLE\b/.test(text)) return false;
  const code = text.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
  const changes = code.match(/\b(ADD|DROP|MODIFY|RENAME|CLEAR|COMMENT)\s+(COLUMN|INDEX|PROJECTION|CONSTRAINT)\b/g) ?? [];
  const guarded = code.match(/\b(ADD|DROP|MODIFY)\s+COLUMN\s+IF\s+(NOT\s+)?EXISTS\b/g) ?? [];
  const other = /\b(UPDATE|DELETE|ATTACH|DETACH|FREEZE|MOVE|FETCH|MATERIALIZE|REPLACE|ORDER\s+BY|TTL)\b/.test(code);
  return changes.length > 0 && changes.length === guarded.length && !other;
}

/** The pause before retry number `retry` (1 for the first retry). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface RetryReport {
  /** Called before each retry: what failed and how long the pause is. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `request` until it succeeds, fails for good, or the attempts are used up. `idempotent` says
 * whether a request that may have run can be sent again.
 */
export async function withRetries<T>(
  request: () => Promise<T>, idempotent: boolean, policy: RetryPolicy, report: RetryReport = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const failure = classifyFailure(err);
      const retryable = failure === 'not-sent' || (failure === 'maybe-ran' && idempotent);
      if (!retryable) {
        if (failure === 'maybe-ran' && attempt > 1) throw unavailable(err, attempt, 'and a statement that may have run is not sent again');
        throw err;
      }
      if (attempt >= policy.attempts) throw unavailable(err, attempt, '');
      const delayMs = backoffMs(policy, attempt);
      report.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs);
    }
  }
}

function unavailable(err: unknown, attempts: number, why: string): ServerUnavailableError {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
  const tries = `${attempts} ${attempts === 1 ? 'try' : 'tries'}`;
  return new ServerUnavailableError(`${message} (${tries}${why ? `, ${why}` : ''})`, attempts, err);
}

/**
 * Makes every request of `client` retry as described above. Inserts are retried only when they never
 * reached the server, and only when their values can be sent again (an array, a string or a Buffer; a
 * stream is consumed by the first try).
 */
export function retryOnTheWay(client: ClickHouseClient, policy: RetryPolicy, report: RetryReport = {}): void {
  if (policy.attempts <= 1) return;
  const query = client.query.bind(client);
  const command = client.command.bind(client);
  const exec = client.exec.bind(client);
  const insert = client.insert.bind(client);
  client.query = ((params) => withRetries(() => query(params), isIdempotent(params.query), policy, report)) as typeof client.query;
  client.command = (params) => withRetries(() => command(params), isIdempotent(params.query), policy, report);
  client.exec = ((params) => {
    const resendable = !('values' in params) || params.values === undefined;
    return resendable ? withRetries(() => exec(params), isIdempotent(params.query), policy, report) : exec(params);
  }) as typeof client.exec;
  client.insert = ((params) => {
    const values: unknown = params.values;
    const resendable = Array.isArray(values) || typeof values === 'string' || Buffer.isBuffer(values);
    return resendable ? withRetries(() => insert(params), false, policy, report) : insert(params);
  }) as typeof client.insert;
}
