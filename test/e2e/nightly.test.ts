import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { siftlogInProcess, sqlRowsInProcess as sqlRows, tempDir } from '../helpers/cli.js';
import { dumpDifference, dumpStore } from '../helpers/store-dump.js';
import { copyTemplateStore } from '../helpers/store-template.js';

const DAY_MS = 86_400_000;
/** Yesterday (UTC) by the real clock: the day `nightly` loads by default, whose salt is still kept. */
const D = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
const at = (day: string, hh: number, mm: number) => Date.parse(`${day}T00:00:00Z`) + (hh * 60 + mm) * 60_000;
const dayOffset = (n: number) => new Date(Date.parse(`${D}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

function clf(time: number, i: number): string {
  const d = new Date(time);
  const p = (v: number) => String(v).padStart(2, '0');
  return `198.51.${i % 7}.${i % 50} - - [${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${
    p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000] "GET /p/${i % 40} HTTP/1.1" 200 ${i} "-" "${UA}"`;
}

/** One line every 90 seconds (on the minute and a half grid) from `from` to `to`: what a server logged between two rotations. */
function lines(from: number, to: number): string[] {
  const out: string[] = [];
  for (let time = Math.ceil(from / 90_000) * 90_000; time < to; time += 90_000) out.push(clf(time, time / 90_000));
  return out;
}

/**
 * The logs of a server rotated daily at 06:25, as logrotate leaves them the morning after day D:
 * D's lines are split between access.log.2.gz (until 06:25) and access.log.1 (from 06:25).
 */
function rotatedLogs(dir: string): { dayLines: string[] } {
  mkdirSync(dir, { recursive: true });
  const cut = (n: number) => at(dayOffset(n), 6, 25);
  const files: Array<[string, number, number, boolean]> = [
    ['access.log.3.gz', cut(-2), cut(-1), true], ['access.log.2.gz', cut(-1), cut(0), true],
    ['access.log.1', cut(0), cut(1), false], ['access.log', cut(1), at(dayOffset(1), 8, 0), false],
  ];
  for (const [name, from, to, gz] of files) {
    const text = `${lines(from, to).join('\n')}\n`;
    writeFileSync(join(dir, name), gz ? gzipSync(text) : text);
    utimesSync(join(dir, name), to / 1000, to / 1000);
  }
  return { dayLines: lines(at(D, 0, 0), at(dayOffset(1), 0, 0)) };
}

function pipeline(dir: string, extra = ''): string {
  const file = join(dir, 'site.yaml');
  writeFileSync(file, `site: www.example.com\nsources: [logs/access.log*]\nformat: combined\nenrich:\n  geo: off\n  asn: off\n${extra}`);
  return file;
}

t.test('nightly: a day split across two rotated files, run twice (and after another rotation), equals one clean run', async (t) => {
  const dir = tempDir(t);
  const { dayLines } = rotatedLogs(join(dir, 'logs'));
  const site = pipeline(dir);
  const store = join(dir, 'store');

  const dry = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--dry-run']);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, new RegExp(`^nightly ${D} \\(UTC\\), dry run: nothing is loaded\\n`));
  t.match(dry.stdout, /skip {2}\S+access\.log: its first line \(\S+\) is after /);
  t.match(dry.stdout, new RegExp(`read {2}\\S+access\\.log\\.1: 960 lines; days: ${D} \\d+ \\*, ${dayOffset(1)} \\d+\\n`));
  t.match(dry.stdout, new RegExp(`read {2}\\S+access\\.log\\.2\\.gz: 960 lines; days: ${dayOffset(-1)} \\d+, ${D} \\d+ \\*\\n`));
  t.match(dry.stdout, /skip {2}\S+access\.log\.3\.gz: last written \S+, before \S+ began/);
  t.notOk(existsSync(join(store, 'clickhouse')), 'a dry run opens no store');
  copyTemplateStore(store);

  const first = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--json']);
  t.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout);
  t.match(summary, { parsed: dayLines.length, otherDays: 1920 - dayLines.length, rowsWritten: dayLines.length, rowsReplaced: 0 });
  t.same(summary.inputs.map((i: { input: string }) => i.input.replace(/.*\//, '')), ['access.log.1', 'access.log.2.gz']);
  const once = await dumpStore(store);
  t.equal(once.requests.length, dayLines.length, 'every line of the day, once');

  const twice = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--date', D, '--json']);
  t.equal(twice.code, 0, twice.stderr);
  t.match(JSON.parse(twice.stdout), { rowsWritten: dayLines.length, rowsReplaced: dayLines.length });
  t.same(dumpDifference(await dumpStore(store), once), [], 'run twice: the same tables');

  // The next morning's rotation: .1 is compressed to .2.gz, .2.gz becomes .3.gz. Same content, other names.
  const logs = join(dir, 'logs');
  renameSync(join(logs, 'access.log.2.gz'), join(logs, 'access.log.3.gz'));
  const one = join(logs, 'access.log.1');
  writeFileSync(join(logs, 'access.log.2.gz'), gzipSync(readFileSync(one)));
  utimesSync(join(logs, 'access.log.2.gz'), at(dayOffset(1), 6, 25) / 1000, at(dayOffset(1), 6, 25) / 1000);
  renameSync(join(logs, 'access.log'), one);
  const thrice = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--date', D]);
  t.equal(thrice.code, 0, thrice.stderr);
  // ingest_files names the files as they were read: their names changed, nothing else.
  const unnamed = (dump: Record<string, string[]>) => ({ ...dump, ingest_files: dump.ingest_files.map((r) => r.replace(/"input":"[^"]*",/, '')).sort() });
  t.same(dumpDifference(unnamed(await dumpStore(store)), unnamed(once)), [], 'after logrotate renamed and compressed the files: the same tables');

  // One clean run of only the day's lines: the same requests and trend tables (inputs and fingerprints differ).
  const clean = copyTemplateStore(join(dir, 'clean'));
  cpSync(join(store, 'state'), join(clean, 'state'), { recursive: true });
  writeFileSync(join(dir, 'day.log'), `${dayLines.join('\n')}\n`);
  const plain = await siftlogInProcess(['ingest', join(dir, 'day.log'), '--pipeline', site, '--store', clean]);
  t.equal(plain.code, 0, plain.stderr);
  const strip = (dump: Record<string, string[]>) => {
    const { ingest_files: _files, ...tables } = dump;
    tables.requests = tables.requests.map((r) => r.replace(/"input_fingerprint":"[^"]*",?/, '')).sort();
    return tables;
  };
  t.same(dumpDifference(strip(await dumpStore(store)), strip(await dumpStore(clean))), [], 'nightly equals one clean run of the day\'s lines');

  // A plain ingest of a file nightly kept days of reads it whole and replaces those days: nothing twice.
  const mixed = await siftlogInProcess(['ingest', join(logs, 'access.log.2.gz'), '--pipeline', site, '--store', store, '--json']);
  t.equal(mixed.code, 0, mixed.stderr);
  t.match(JSON.parse(mixed.stdout), { alreadyLoaded: 0, parsed: 960 });
  t.same(await sqlRows(store, `SELECT count() AS n FROM requests WHERE toDate(ts) = '${D}'`), [{ n: dayLines.length }], 'no line of the day twice');
  const ofTheDay = lines(at(D, 6, 25), at(dayOffset(1), 0, 0)).length;
  t.same(await sqlRows(store, 'SELECT count() AS n FROM requests'), [{ n: dayLines.length + 960 - ofTheDay }], 'and its lines of the next day once');
});

t.test('nightly exit codes: no line of the day, too many rejects, bad dates; salts purged even then; retention', async (t) => {
  const dir = tempDir(t);
  rotatedLogs(join(dir, 'logs'));
  const store = copyTemplateStore(join(dir, 'store'));
  const site = pipeline(dir, 'retention:\n  requests_days: 2\n');

  const empty = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--date', dayOffset(-10)]);
  t.equal(empty.code, 3, 'no line of that day');
  t.match(empty.stderr, `siftlog: no line of ${dayOffset(-10)} (UTC) in 0 files read of the pipeline's sources: nothing was published\n`);

  const expired = join(store, 'state', 'salts', '2020-01-01.salt');
  writeFileSync(expired, Buffer.alloc(32), { mode: 0o600 });
  const bad = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store, '--date', '2024-02-31']);
  t.equal(bad.code, 1);
  t.equal(bad.stderr, 'siftlog: --date 2024-02-31: not a date; write it as YYYY-MM-DD\n');
  t.notOk(existsSync(expired), 'an expired salt is deleted at the end of a failed run too');

  const missing = await siftlogInProcess(['nightly', '--store', store]);
  t.equal(missing.code, 1, 'no pipeline: a usage error');

  // A day on which the server wrote garbage: nothing published.
  const garbage = join(dir, 'garbage');
  mkdirSync(join(garbage, 'logs'), { recursive: true });
  copyTemplateStore(join(garbage, 'store'));
  const day = dayOffset(0);
  writeFileSync(join(garbage, 'logs', 'access.log'), `${[clf(at(day, 1, 0), 1), 'not a log line', 'nor this', 'nor that'].join('\n')}\n`);
  const rejects = await siftlogInProcess(['nightly', '--pipeline', pipeline(garbage), '--store', join(garbage, 'store'), '--date', day]);
  t.equal(rejects.code, 4);
  t.match(rejects.stderr, /^siftlog: 75\.0% of the lines read were rejected \(more than nightly\.max_reject_ratio 0\.05\): \S+ was not published/);
  t.same(await sqlRows(join(garbage, 'store'), 'SELECT count() AS n FROM requests'), [{ n: 0 }]);

  // Retention: a day loaded long ago loses its requests at the next publish, and keeps its trend rows.
  writeFileSync(join(dir, 'old.log'), `${clf(at(dayOffset(-20), 12, 0), 3)}\n`);
  t.equal((await siftlogInProcess(['ingest', join(dir, 'old.log'), '--store', store])).code, 0);
  const nightly = await siftlogInProcess(['nightly', '--pipeline', site, '--store', store]);
  t.equal(nightly.code, 0, nightly.stderr);
  t.same(await sqlRows(store, `SELECT count() AS n FROM requests WHERE toDate(ts) = '${dayOffset(-20)}'`), [{ n: 0 }], 'requests past retention dropped');
  t.same(await sqlRows(store, `SELECT sum(hits) AS hits FROM traffic_daily WHERE day = '${dayOffset(-20)}'`), [{ hits: 1 }], 'its trend rows kept');
  const runs = await siftlogInProcess(['runs', '--store', store]);
  t.equal(runs.code, 0, runs.stderr);
  t.match(runs.stdout, /^run +mode +status/);
  t.match(runs.stdout, /nightly +published/);
  t.match(runs.stdout, /nightly +failed +\S+ +\S+ +\d+ s .* no line of/);
});
