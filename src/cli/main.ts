#!/usr/bin/env -S node --max-semi-space-size=64
// The flag: per-line work allocates many short-lived strings; a larger young generation cuts GC time
// (300k lines: 16 s → 11 s measured with scripts/bench.mjs conditions).
import { Command, Option } from 'commander';
import { PRESETS } from '../formats/index.js';
import { SIFTLOG_VERSION } from '../pipeline/ingest.js';
import { runAudit } from './audit-command.js';
import { runIngest } from './ingest-command.js';
import { runReport } from './report-command.js';
import { runSql } from './sql-command.js';
import { runWithStdinMoved } from './stdin-guard.js';

const STORE_HELP = 'local folder for the embedded ClickHouse data, daily salts and quarantine files';
const DEFAULT_STORE = 'siftlog-data';

function serverOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'ClickHouse server URL instead of the embedded engine').env('CLICKHOUSE_URL'))
    .addOption(new Option('--user <name>', 'ClickHouse user').env('CLICKHOUSE_USER'))
    .addOption(new Option('--password <secret>', 'ClickHouse password').env('CLICKHOUSE_PASSWORD'));
}

// `siftlog formats | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command()
  .name('siftlog')
  .description('Privacy-first web access-log analytics: access logs in, anonymous ClickHouse trend tables out.')
  .version(SIFTLOG_VERSION)
  .showHelpAfterError();

serverOptions(program.command('ingest')
  .description('read access logs (plain, gzip, bzip2 or zstd files, globs, or - for stdin) into the store; inputs it has loaded before are skipped')
  .argument('[inputs...]', 'log files, globs, or - for standard input (default: the pipeline\'s sources)')
  .option('-f, --format <name>', `log format: auto, ${PRESETS.map((p) => p.name).join(', ')}`)
  .option('--log-format <string>', 'the server\'s own format string (nginx log_format or Apache LogFormat syntax)')
  .option('-p, --pipeline <file>', 'pipeline definition (pipelines/*.yaml)')
  .option('-s, --store <dir>', `${STORE_HELP} (default: ./${DEFAULT_STORE})`)
  .option('--site <name>', 'site name for logs without a virtual-host field (default: "default")')
  .option('--follow', 'keep reading one growing file (survives rotation) until Ctrl-C; resumes from a checkpoint')
  .option('--force', 'load inputs this store has loaded before again (their lines are counted a second time)')
  .option('--json', 'print the summary as JSON'))
  .action(async (inputs: string[], options) => {
    process.exitCode = await runIngest(inputs, options);
  });

serverOptions(program.command('sql')
  .description('run a query on the store (database siftlog is the default) and print the result')
  .argument('<query>', 'SQL, e.g. "SELECT day, hits, visitors FROM traffic_daily ORDER BY day"')
  .option('-s, --store <dir>', `${STORE_HELP} (default: ./${DEFAULT_STORE})`, DEFAULT_STORE)
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table')))
  .action(async (query: string, options) => {
    process.exitCode = await runSql(query, options);
  });

serverOptions(program.command('audit')
  .description('scan every table, quarantine file and salt of the store for addresses, e-mails and unlisted query keys; exit 3 when anything is found')
  .option('-s, --store <dir>', `${STORE_HELP} (default: the pipeline's, else ./${DEFAULT_STORE})`)
  .option('-p, --pipeline <file>', 'pipeline definition whose privacy settings (prefixes, allow-list, salt window) the audit checks against')
  .option('--json', 'print the report as JSON'))
  .action(async (options) => {
    process.exitCode = await runAudit(options);
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
    process.exitCode = await runReport(options);
  });

program.command('formats')
  .description('list the log formats siftlog reads, with a sample line each')
  .action(() => {
    for (const preset of PRESETS) {
      const definition = preset.definition ? `  format: ${preset.definition}\n` : '';
      process.stdout.write(`${preset.name}\n  ${preset.description}\n${definition}  sample: ${preset.sample}\n\n`);
    }
    process.stdout.write('auto\n  detect the format of each input from its first lines (the default)\n\n');
    process.stdout.write('custom\n  --log-format \'<nginx log_format or Apache LogFormat string>\' (pipeline: log_format:)\n');
  });

const guardedExit = await runWithStdinMoved();
if (guardedExit === null) await program.parseAsync();
else process.exitCode = guardedExit;
