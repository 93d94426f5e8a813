#!/usr/bin/env node
// Throughput of siftlog's stages on a generated combined log: `npm run bench:stages [-- --lines N] [--clients N]`.
// Measures (1) the format parser alone, (2) parser + privacy boundary + enrichment, (3) the whole
// `siftlog ingest` command into a fresh embedded store, for a plain and a gzip file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cliNodeFlags } from './cli-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const { ClfParser } = await import(dist('formats/clf.js'));
const { emptyRawHit } = await import(dist('formats/types.js'));
const { PrivacyBoundary, DEFAULT_PRIVACY } = await import(dist('privacy/boundary.js'));
const { SaltStore } = await import(dist('privacy/salt.js'));
const { OutputCheck } = await import(dist('privacy/output-check.js'));
const { openLookups } = await import(dist('enrich/lookups.js'));
const { UserAgentClassifier } = await import(dist('enrich/useragent.js'));
const { defaultConfig } = await import(dist('pipeline/config.js'));

const arg = process.argv.indexOf('--lines');
const LINES = arg > 0 ? Number(process.argv[arg + 1]) : 300_000;
const clientsArg = process.argv.indexOf('--clients');
const CLIENTS = clientsArg > 0 ? Number(process.argv[clientsArg + 1]) : 20_000;

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.4.0',
];
const PATHS = ['/', '/index.html', '/blog/post-1', '/css/site.css', '/js/app.js', '/img/logo.png', '/about', '/search?q=x&utm_source=news'];

/** Deterministic pseudo-random numbers, so every run measures the same log. */
function lcg(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * Clients come from a pool with a skewed (power-law) choice, as in real logs: the elastic sample has 1,753
 * clients for 10,000 lines, the nginx one 1,786 for 29,479. `--clients N` sets the pool (default 20,000);
 * `--clients 0` gives every line a new address, the worst case for every per-visitor cache.
 */
function clientPool(n, rand) {
  return Array.from({ length: n }, () => `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`);
}

function generate(n) {
  const rand = lcg(42);
  const pool = CLIENTS > 0 ? clientPool(CLIENTS, rand) : null;
  const out = [];
  const start = Date.UTC(2024, 0, 1);
  const months = ['Jan'];
  for (let i = 0; i < n; i++) {
    const ip = pool ? pool[Math.floor(pool.length * rand() ** 3)]
      : `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 64)}`;
    const t = new Date(start + Math.floor((i / n) * 20 * 86400_000));
    const d = `${String(t.getUTCDate()).padStart(2, '0')}/${months[0]}/2024:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`;
    const agent = AGENTS[Math.floor(rand() * AGENTS.length)];
    const path = PATHS[Math.floor(rand() * PATHS.length)];
    const status = rand() < 0.9 ? 200 : rand() < 0.5 ? 404 : 304;
    out.push(`${ip} - - [${d}] "GET ${path} HTTP/1.1" ${status} ${Math.floor(rand() * 50000)} "https://www.example.com/" "${agent}"`);
  }
  return out;
}

function rate(lines, ms) {
  return Math.round(lines / (ms / 1000)).toLocaleString('en-US');
}

const lines = generate(LINES);
const dir = mkdtempSync(join(tmpdir(), 'siftlog-bench-'));
try {
  const results = [];

  const parser = new ClfParser(true);
  const raw = emptyRawHit();
  let t0 = performance.now();
  for (const line of lines) parser.parse(line, raw);
  results.push(['parse (combined)', rate(LINES, performance.now() - t0)]);

  const lookups = await openLookups(defaultConfig().enrich);
  const privacy = { ...DEFAULT_PRIVACY, site: 'bench' };
  const boundary = new PrivacyBoundary(privacy, new SaltStore(join(dir, 'state'), 2), lookups);
  const agents = new UserAgentClassifier();
  const check = new OutputCheck(privacy);
  // Twice each, alternating: the first pass warms the lookups' and user-agent caches for the others.
  for (const withCheck of [false, true, false, true]) {
    t0 = performance.now();
    for (const line of lines) {
      parser.parse(line, raw);
      const anon = boundary.cross(raw);
      const client = agents.classify(anon.userAgent);
      if (withCheck && (check.check(anon) ?? check.checkValues(client)) !== null) throw new Error('the output check refused a generated row');
    }
    results.push([`parse + privacy + enrich${withCheck ? ' + output check' : ''}`, rate(LINES, performance.now() - t0)]);
  }

  const plain = join(dir, 'access.log');
  writeFileSync(plain, `${lines.join('\n')}\n`);
  writeFileSync(`${plain}.gz`, gzipSync(`${lines.join('\n')}\n`));
  for (const file of [plain, `${plain}.gz`]) {
    const store = join(dir, `store-${file.endsWith('.gz') ? 'gz' : 'plain'}`);
    t0 = performance.now();
    const out = execFileSync(process.execPath, [...cliNodeFlags(dist('cli/main.js')), dist('cli/main.js'), 'ingest', file, '--store', store, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const wall = performance.now() - t0;
    const summary = JSON.parse(out.toString());
    results.push([`siftlog ingest ${file.endsWith('.gz') ? '.log.gz' : '.log'} (pipeline)`, summary.linesPerSecond.toLocaleString('en-US')]);
    results.push([`siftlog ingest ${file.endsWith('.gz') ? '.log.gz' : '.log'} (whole command)`, rate(LINES, wall)]);
  }

  console.log(`siftlog bench: ${LINES.toLocaleString('en-US')} generated combined lines, ${CLIENTS > 0 ? `${CLIENTS.toLocaleString('en-US')} clients` : 'a new client every line'}, node ${process.version}`);
  for (const [name, value] of results) console.log(`  ${name.padEnd(40)} ${value.padStart(12)} lines/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
