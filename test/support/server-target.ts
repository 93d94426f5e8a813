import { randomBytes } from 'node:crypto';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { type Harness, startHarness } from './chdb-http.js';

/**
 * The ClickHouse server a server suite runs against: a real one when CLICKHOUSE_URL is set (with
 * CLICKHOUSE_USER / CLICKHOUSE_PASSWORD / CLICKHOUSE_CA_FILE as siftlog reads them), else the test-only
 * harness (chdb-http.ts) started for the test file. Each test takes databases of its own
 * (`siftlog_test_<random>` and its _staging/_secrets), dropped when it ends, so a real server's other
 * databases are never touched. Tests that make faults need the harness: `harness` is null on a real server.
 */
export interface ServerTarget {
  url: string;
  user?: string;
  password?: string;
  caFile?: string;
  harness: Harness | null;
  /** A fresh database name for one test, whose databases are dropped at its end. */
  database(t: { teardown(fn: () => unknown): void }): string;
  /** Connection arguments for the command line, --database included. */
  args(database: string): string[];
}

export async function serverTarget(t: { teardown(fn: () => unknown): void }): Promise<ServerTarget> {
  const real = process.env.CLICKHOUSE_URL;
  const harness = real ? null : await startHarness(t);
  const url = real ?? harness!.url;
  const user = real ? process.env.CLICKHOUSE_USER : undefined;
  const password = real ? process.env.CLICKHOUSE_PASSWORD : undefined;
  const caFile = real ? process.env.CLICKHOUSE_CA_FILE : undefined;
  return {
    url, user, password, caFile, harness,
    database(test) {
      const name = `siftlog_test_${randomBytes(4).toString('hex')}`;
      test.teardown(async () => {
        const client = createClient({ url, username: user, password, log: { level: ClickHouseLogLevel.OFF } });
        try {
          for (const db of [name, `${name}_staging`, `${name}_secrets`]) await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
        } finally {
          await client.close();
        }
      });
      return name;
    },
    args(database) {
      // The URL, user and password travel in the environment in real use; --url keeps the test explicit.
      return ['--url', url, '--database', database, ...(user ? ['--user', user] : []), ...(caFile ? ['--ca-file', caFile] : [])];
    },
  };
}
