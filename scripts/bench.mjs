#!/usr/bin/env node
// The whole `siftlog ingest` command against GoAccess on the same lines, run in alternation:
//
//   npm run bench [-- --sizes 1000000,3000000] [--runs 3] [--json FILE] [--no-goaccess] [--keep-stores] [--tsv] [--gzip-only]
//
// --tsv adds a run of the gzip file with SIFTLOG_ROW_FORMAT=TabSeparated (rows sent as text, the encoder before
// Native), to measure what the Native encoder gives; --gzip-only leaves out the plain-file run of siftlog.
// siftlog runs as its command does: node with the flags of dist/cli/main.js's first line (#!/usr/bin/env -S node …).
//
// The corpus is built from the real combined logs in ../shared/corpus/real (each copy's dates shifted and its
// client networks varied, then sorted by time like a real log) or, when ../shared is absent, from a generator.
// siftlog reads the gzip file (and the plain one), GoAccess the plain one; every run starts from an empty
// store. Each command runs under /usr/bin/time, which reports wall time, CPU (user + sys) and peak RSS.
// Prints a table and the same figures as JSON (also written to FILE with --json).
import { execFileSync, spawnSync } from 'node:child_process';
import { cliNodeFlags } from './cli-flags.mjs';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli', 'main.js');
const REAL = join(root, '..', 'shared', 'corpus', 'real');
const REAL_FILES = ['elastic_apache_logs.log', 'elastic_nginx_logs_first29479.log', 'erddap_nginx_combined_2024-05.log'];
const CACHE = join(tmpdir(), 'siftlog-bench');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = option('--sizes', '1000000,3000000').split(',').map((s) => Number(s.replace(/_/g, '')));
const RUNS = Number(option('--runs', '3'));
const JSON_FILE = option('--json', null);
const WITH_GOACCESS = !args.includes('--no-goaccess');
const KEEP_STORES = args.includes('--keep-stores');
const WITH_TSV = args.includes('--tsv');
const GZIP_ONLY = args.includes('--gzip-only');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX = Object.fromEntries(MONTHS.map((m, i) => [m, i]));
const DAY_MS = 86_400_000;
/** Every copy starts this much later than the one before; copies overlap, as several servers' logs do. */
const COPY_SHIFT_DAYS = 3;
const BASE_START = Date.UTC(2026, 8, 1);

/** Splits a combined line around its `[dd/Mon/yyyy:HH:MM:SS +zzzz]` time; null when it has none. */
function splitTime(line) {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  if (open < 0 || close - open !== 27) return null;
  const t = line.slice(open + 1, close);
  const zone = Number(t.slice(21, 23)) * 60 + Number(t.slice(23, 25));
  const ms = Date.UTC(Number(t.slice(7, 11)), MONTH_INDEX[t.slice(3, 6)], Number(t.slice(0, 2)),
    Number(t.slice(12, 14)), Number(t.slice(15, 17)), Number(t.slice(18, 20))) - (t[20] === '-' ? -zone : zone) * 60_000;
  return { head: line.slice(0, open), ms, tail: line.slice(close + 1) };
}

function clfTime(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

/** Copy `k` of a client: same /16 (so geo and company stay plausible), another /24 and host. */
function varyClient(head, k) {
  if (k === 0) return head;
  const space = head.indexOf(' ');
  const parts = head.slice(0, space).split('.');
  if (parts.length !== 4) return head;
  parts[2] = String((Number(parts[2]) + 37 * k) % 256);
  parts[3] = String((Number(parts[3]) + 11 * k) % 256);
  return parts.join('.') + head.slice(space);
}

/** The real lines, each source moved to start at BASE_START; or generated lines when ../shared is absent. */
function baseLines() {
  if (!REAL_FILES.every((f) => existsSync(join(REAL, f)))) return { source: 'generated', lines: generatedLines(60_000) };
  const lines = [];
  for (const file of REAL_FILES) {
    const parsed = readFileSync(join(REAL, file), 'utf8').split('\n').filter((l) => l.length > 0).map(splitTime).filter((p) => p !== null);
    const first = Math.min(...parsed.map((p) => p.ms));
    for (const p of parsed) lines.push({ head: p.head, offset: p.ms - first, tail: p.tail });
  }
  return { source: `../shared/corpus/real (${REAL_FILES.join(', ')})`, lines };
}

function generatedLines(n) {
  let s = 42;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ];
  const paths = ['/', '/blog/post-1', '/css/site.css', '/img/logo.png', '/about', '/search?q=x&utm_source=news'];
  const pool = Array.from({ length: 3_000 }, () => `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`);
  return Array.from({ length: n }, (_, i) => ({
    head: `${pool[Math.floor(pool.length * rand() ** 3)]} - - `,
    offset: Math.floor((i / n) * 14 * DAY_MS),
    tail: ` "GET ${paths[Math.floor(rand() * paths.length)]} HTTP/1.1" ${rand() < 0.9 ? 200 : 404} ${Math.floor(rand() * 50_000)} "https://www.example.com/" "${agents[Math.floor(rand() * agents.length)]}"`,
  }));
}

/** Writes `size` lines (plain and gzip) sorted by time; reuses files already built for that size and source. */
async function corpus(size) {
  const { source, lines } = baseLines();
  const tag = `${source === 'generated' ? 'gen' : 'real'}-${size}`;
  const plain = join(CACHE, `${tag}.log`);
  const gz = `${plain}.gz`;
  if (existsSync(gz) && existsSync(plain)) return { plain, gz, source };
  mkdirSync(CACHE, { recursive: true });
  const times = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const copy = Math.floor(i / lines.length);
    times[i] = BASE_START + copy * COPY_SHIFT_DAYS * DAY_MS + lines[i % lines.length].offset;
  }
  const order = Uint32Array.from({ length: size }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const out = createWriteStream(plain);
  let chunk = '';
  for (const i of order) {
    const line = lines[i % lines.length];
    chunk += `${varyClient(line.head, Math.floor(i / lines.length))}${clfTime(times[i])}${line.tail}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise((r) => out.on('finish', r));
  await pipeline(createReadStream(plain), createGzip({ level: 6 }), createWriteStream(gz));
  return { plain, gz, source };
}

async function describe(plain) {
  const clients = new Set();
  const days = new Set();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(plain) })) {
    n++;
    clients.add(line.slice(0, line.indexOf(' ')));
    days.add(line.slice(line.indexOf('[') + 1, line.indexOf(':')));
  }
  return { lines: n, clients: clients.size, days: days.size };
}

function ensureTools() {
  const missing = [];
  if (!existsSync('/usr/bin/time')) missing.push('time');
  if (WITH_GOACCESS && spawnSync('goaccess', ['--version']).status !== 0) missing.push('goaccess');
  if (missing.length === 0) return;
  console.error(`bench: installing ${missing.join(', ')} with apt-get`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-q', ...missing], { stdio: 'inherit' });
}

/** One run under /usr/bin/time: wall and CPU seconds, peak RSS in MiB. */
function timed(command, commandArgs, env = process.env) {
  const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', command, ...commandArgs], { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const line = run.stderr.split('\n').reverse().find((l) => l.startsWith('BENCH '));
  if (run.status !== 0 || line === undefined) throw new Error(`${command} ${commandArgs.join(' ')} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  const [wall, user, sys, rssKb] = line.split(' ').slice(1).map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKb / 1024, stdout: run.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function contenders(files, storeRoot) {
  const list = [];
  const variants = [['siftlog ingest (.log.gz)', files.gz, {}]];
  if (!GZIP_ONLY) variants.push(['siftlog ingest (.log)', files.plain, {}]);
  if (WITH_TSV) variants.push(['siftlog (.log.gz, TSV rows)', files.gz, { SIFTLOG_ROW_FORMAT: 'TabSeparated' }]);
  for (const [slot, [label, file, env]] of variants.entries()) {
    list.push({
      label,
      run(i) {
        const store = join(storeRoot, `store-${slot}-${i}`);
        rmSync(store, { recursive: true, force: true });
        const r = timed(process.execPath, [...NODE_FLAGS, CLI, 'ingest', file, '--store', store, '--json'], { ...process.env, ...env });
        const summary = JSON.parse(r.stdout);
        if (!KEEP_STORES) rmSync(store, { recursive: true, force: true });
        return { ...r, rows: summary.rowsWritten ?? summary.parsed };
      },
    });
  }
  if (WITH_GOACCESS) {
    list.push({
      label: 'goaccess (.log)',
      run() {
        const report = join(storeRoot, 'goaccess.json');
        const r = timed('goaccess', [files.plain, '--log-format=COMBINED', '--no-global-config', '-o', report]);
        rmSync(report, { force: true });
        return { ...r, rows: null };
      },
    });
  }
  return list;
}

ensureTools();
if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
/** The node flags `siftlog` runs with: those of its #! line. */
const NODE_FLAGS = cliNodeFlags(CLI);
const storeRoot = join(CACHE, 'stores');
mkdirSync(storeRoot, { recursive: true });
// One untimed run first: the ASN registry is compiled into its cache folder once (src/enrich/asn-cache.ts),
// and the engine's library is read into the page cache, as on any machine that has run siftlog before.
{
  const warm = join(storeRoot, 'warm-up');
  rmSync(warm, { recursive: true, force: true });
  writeFileSync(`${warm}.log`, '192.0.2.1 - - [01/Sep/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8.4.0"\n2001:db8::1 - - [01/Sep/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8.4.0"\n');
  timed(process.execPath, [...NODE_FLAGS, CLI, 'ingest', `${warm}.log`, '--store', warm, '--json']);
  rmSync(warm, { recursive: true, force: true });
}
const results = [];
for (const size of SIZES) {
  const files = await corpus(size);
  const shape = await describe(files.plain);
  console.error(`bench: ${size.toLocaleString('en-US')} lines from ${files.source}: ${shape.clients.toLocaleString('en-US')} clients, ${shape.days} days, ` +
    `${(statSync(files.plain).size / 2 ** 20).toFixed(0)} MiB plain, ${(statSync(files.gz).size / 2 ** 20).toFixed(0)} MiB gzip`);
  const runs = contenders(files, storeRoot).map((c) => ({ ...c, samples: [] }));
  // A B C A B C …: a drift in the machine's speed touches every command alike.
  for (let i = 0; i < RUNS; i++) {
    for (const c of runs) {
      const s = c.run(i);
      c.samples.push(s);
      console.error(`  run ${i + 1}/${RUNS} ${c.label.padEnd(26)} ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU, ${s.rssMiB.toFixed(0)} MiB`);
    }
  }
  const goaccess = runs.find((c) => c.label.startsWith('goaccess'));
  const goaccessWall = goaccess ? median(goaccess.samples.map((s) => s.wall)) : null;
  for (const c of runs) {
    const wall = median(c.samples.map((s) => s.wall));
    results.push({
      lines: shape.lines, clients: shape.clients, days: shape.days, source: files.source, command: c.label, runs: RUNS,
      wallSeconds: wall, cpuSeconds: median(c.samples.map((s) => s.cpu)), peakRssMiB: median(c.samples.map((s) => s.rssMiB)),
      linesPerSecond: Math.round(shape.lines / wall),
      timesFasterThanGoaccess: goaccessWall === null || c === goaccess ? null : Number((goaccessWall / wall).toFixed(2)),
    });
  }
}

const fmt = (n, d = 1) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const header = `${'lines'.padStart(10)}  ${'command'.padEnd(26)} ${'wall s'.padStart(8)} ${'CPU s'.padStart(8)} ${'peak RSS'.padStart(10)} ${'lines/s'.padStart(10)} ${'vs GoAccess'.padStart(12)}`;
console.log(`median of ${RUNS} runs each, alternating; node ${process.version} ${NODE_FLAGS.join(' ')}; ${results[0]?.source ?? ''}`);
console.log(header);
for (const r of results) {
  console.log(`${r.lines.toLocaleString('en-US').padStart(10)}  ${r.command.padEnd(26)} ${fmt(r.wallSeconds, 2).padStart(8)} ${fmt(r.cpuSeconds, 2).padStart(8)} ` +
    `${`${fmt(r.peakRssMiB, 0)} MiB`.padStart(10)} ${r.linesPerSecond.toLocaleString('en-US').padStart(10)} ${(r.timesFasterThanGoaccess === null ? '' : `${fmt(r.timesFasterThanGoaccess, 2)}×`).padStart(12)}`);
}
const json = JSON.stringify({ node: process.version, nodeFlags: NODE_FLAGS, runs: RUNS, results }, null, 2);
console.log(json);
if (JSON_FILE) writeFileSync(JSON_FILE, `${json}\n`);
