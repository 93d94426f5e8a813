import { type Command, Option } from 'commander';
import type { PipelineConfig } from '../pipeline/config.js';
import type { StoreOptions } from '../sink/clickhouse/store.js';

/** The command-line options that reach a ClickHouse server instead of the embedded engine. */
export interface ConnectionOptions {
  url?: string;
  user?: string;
  password?: string;
  database?: string;
  caFile?: string;
}

/** Why a password belongs in the environment, not in the arguments. */
export const PASSWORD_FLAG_WARNING =
  '--password on the command line is kept in shell history and shown to every user by ps: set CLICKHOUSE_PASSWORD instead';

/** Adds the server options to a command; each one also reads its environment variable. */
export function serverOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'ClickHouse server URL (http://host:8123, https://host:8443) instead of the embedded engine').env('CLICKHOUSE_URL'))
    .addOption(new Option('--user <name>', 'ClickHouse user').env('CLICKHOUSE_USER'))
    .addOption(new Option('--password <secret>', 'ClickHouse password; prefer the environment variable (shell history)').env('CLICKHOUSE_PASSWORD'))
    .addOption(new Option('--database <name>', 'server only: the store\'s database (default siftlog; also <name>_staging, <name>_secrets)').env('CLICKHOUSE_DATABASE'))
    .addOption(new Option('--ca-file <file>', 'server only: PEM certificate authority that signed the https server\'s certificate').env('CLICKHOUSE_CA_FILE'));
}

/** Whether the password of `command` came from its arguments (not from CLICKHOUSE_PASSWORD). */
export function passwordOnCommandLine(command: Command): boolean {
  return command.getOptionValueSource('password') === 'cli';
}

/** The connection options of a command line, each falling back to the pipeline's `store:` settings. */
export function connectionOf(options: ConnectionOptions, store?: PipelineConfig['store']): Pick<StoreOptions, 'url' | 'user' | 'password' | 'database' | 'caFile'> {
  return {
    url: options.url ?? store?.url,
    user: options.user ?? store?.user,
    password: options.password ?? store?.password,
    database: options.database ?? store?.database,
    caFile: options.caFile ?? store?.ca_file,
  };
}
