import { Command, CommanderError, Option } from 'commander';
import { PRESETS } from '../formats/index.js';
import { SIFTLOG_VERSION } from '../pipeline/ingest.js';
import { runAudit } from './audit-command.js';
import { runIngest } from './ingest-command.js';
import { runNightlyCommand } from './nightly-command.js';
import { runReport } from './report-command.js';
import { runRuns } from './runs-command.js';
import { type CliIo, type CliServices, defaultServices, processIo } from './io.js';
import { runSql } from './sql-command.js';

const STORE_HELP = 'local folder for the embedded ClickHouse data, daily salts and quarantine files';
const DEFAULT_STORE = 'siftlog-data';

function serverOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'ClickHouse server URL instead of the embedded engine').env('CLICKHOUSE_URL'))
    .addOption(new Option('--user <name>', 'ClickHouse user').env('CLICKHOUSE_USER'))
    .addOption(new Option('--password <secret>', 'ClickHouse password').env('CLICKHOUSE_PASSWORD'));
}

/**
 * The `siftlog` command line. A new program per call: commander keeps parsed options on the command
 * objects, and a test may run several commands in one process. Each action reports its exit code
 * through `exit`.
 */
export function buildProgram(io: CliIo, exit: (code: number) => void, services: CliServices = defaultServices): Command {
  const program = new Command()
    .name('siftlog')
    .description('Privacy-first web access-log analytics: access logs in, anonymous ClickHouse trend tables out.')
    .version(SIFTLOG_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });

  serverOptions(program.command('ingest')
    .description('read access logs (plain, gzip, bzip2 or zstd files, globs, or - for stdin) into the store, all or nothing; inputs it has loaded before are skipped')
    .argument('[inputs...]', 'log files, globs, or - for standard input (default: the pipeline\'s sources)')
    .option('-f, --format <name>', `log format: auto, ${PRESETS.map((p) => p.name).join(', ')}`)
    .option('--log-format <string>', 'the server\'s own format string (nginx log_format or Apache LogFormat syntax)')
    .option('-p, --pipeline <file>', 'pipeline definition (pipelines/*.yaml)')
    .option('-s, --store <dir>', `${STORE_HELP} (default: ./${DEFAULT_STORE})`)
    .option('--site <name>', 'site name for logs without a virtual-host field (default: "default")')
    .option('--follow', 'keep reading one growing file (survives rotation) until Ctrl-C; resumes from a checkpoint')
    .option('--force', 'load inputs this store has loaded before again: their earlier rows are replaced, not added to')
    .option('--json', 'print the summary as JSON'))
    .action(async (inputs: string[], options) => {
      exit(await runIngest(inputs, options, io, services));
    });

  serverOptions(program.command('nightly')
    .description('load whole days (yesterday in the pipeline\'s time zone by default) from every file of the pipeline\'s sources that holds their lines, replacing what earlier runs loaded of them; exit 0 ok, 1 configuration, 2 some file unreadable, 3 no line of the day, 4 too many rejected lines, 5 store unavailable')
    .requiredOption('-p, --pipeline <file>', 'pipeline definition (pipelines/*.yaml): its sources, time zone, store and retention')
    .option('--date <YYYY-MM-DD>', 'the day to load (default: yesterday in the pipeline\'s time zone)')
    .option('--from <YYYY-MM-DD>', 'first day of a range (with --to)')
    .option('--to <YYYY-MM-DD>', 'last day of a range (with --from)')
    .option('--dry-run', 'list the files, their line counts and the days they touch; load nothing')
    .option('-s, --store <dir>', `${STORE_HELP} (default: the pipeline's)`)
    .option('--json', 'print the summary as JSON'))
    .action(async (options) => {
      exit(await runNightlyCommand(options, io, services));
    });

  serverOptions(program.command('runs')
    .description('list the latest runs with their status (staging, publishing, published, failed, interrupted) and counts')
    .option('-s, --store <dir>', `${STORE_HELP} (default: the pipeline's, else ./${DEFAULT_STORE})`)
    .option('-p, --pipeline <file>', 'pipeline definition whose store to read')
    .option('-n, --limit <count>', 'how many runs', '20')
    .option('--json', 'print the runs as JSON'))
    .action(async (options) => {
      exit(await runRuns(options, io));
    });

  serverOptions(program.command('sql')
    .description('run a query on the store (database siftlog is the default) and print the result; read-only unless --write')
    .argument('[query]', 'SQL, e.g. "SELECT day, hits, visitors FROM traffic_daily ORDER BY day"')
    .option('-f, --file <file>', 'read the statement from a file, e.g. queries/visits.sql')
    .option('--param <name=value>', 'bind a {name:Type} placeholder of the query (repeatable), e.g. --param day=2026-11-30',
      (pair: string, pairs: string[] = []) => [...pairs, pair])
    .option('-s, --store <dir>', `${STORE_HELP} (default: ./${DEFAULT_STORE})`, DEFAULT_STORE)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--write', 'allow statements that change the store (read-only by default)'))
    .action(async (query: string | undefined, options) => {
      exit(await runSql(query, options, io));
    });

  serverOptions(program.command('audit')
    .description('scan every table, quarantine file and salt of the store for addresses, e-mails and unlisted query keys; exit 3 when anything is found')
    .option('-s, --store <dir>', `${STORE_HELP} (default: the pipeline's, else ./${DEFAULT_STORE})`)
    .option('-p, --pipeline <file>', 'pipeline definition whose privacy settings (prefixes, allow-list, salt window) the audit checks against')
    .option('--json', 'print the report as JSON'))
    .action(async (options) => {
      exit(await runAudit(options, io));
    });

  serverOptions(program.command('report')
    .description('a summary of a site and period compared with the previous one: text for a terminal, or a self-contained HTML page')
    .option('--site <name>', 'one site (default: every site together)')
    .option('--period <days>', 'FIRST..LAST (e.g. 2026-11-01..2026-11-30), one day, or a month (2026-11)')
    .option('--last <length>', 'that many days up to the newest day with data: 7d, 4w (default: 30d)')
    .option('--html <file>', 'write one HTML page with charts and tables (no network needed to view it); - for standard output')
    .option('--json', 'print the report\'s numbers as JSON')
    .option('-p, --pipeline <file>', 'pipeline definition whose store the report reads')
    .option('-s, --store <dir>', `${STORE_HELP} (default: the pipeline's, else ./${DEFAULT_STORE})`))
    .action(async (options) => {
      exit(await runReport(options, io));
    });

  program.command('formats')
    .description('list the log formats siftlog reads, with a sample line each')
    .action(() => {
      for (const preset of PRESETS) {
        const definition = preset.definition ? `  format: ${preset.definition}\n` : '';
        io.out(`${preset.name}\n  ${preset.description}\n${definition}  sample: ${preset.sample}\n\n`);
      }
      io.out('auto\n  detect the format of each input from its first lines (the default)\n\n');
      io.out('custom\n  --log-format \'<nginx log_format or Apache LogFormat string>\' (pipeline: log_format:)\n');
      exit(0);
    });

  return program;
}

/** Runs the command line `argv` (without node and the script) and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo, services: CliServices = defaultServices): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  }, services);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    // --help, --version and usage errors: commander has printed what to say.
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return code;
}
