#!/usr/bin/env node
// The cost of publishing a run: `npm run bench:publish [-- --rows N] [--days D] [--repeat R]`.
// Rows are made up by the engine itself (INSERT … SELECT FROM numbers), so only staging and publishing
// are measured, on the embedded engine, in a fresh store each time:
//   fresh    N staged rows over D days, published into an empty store (requests + the trend tables built)
//   append   another N rows for the same days, published onto them (the days' partitions attached,
//            the new rows' aggregates added)
//   replace  the same N rows staged again by a run that replaces the first (a day run again): the days'
//            earlier rows deleted in staging, each trend table's days rebuilt whole from requests
// and prints seconds per publish and per million rows (median of --repeat runs), as a table and JSON.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const { Store } = await import(dist('sink/clickhouse/store.js'));
const { Staging } = await import(dist('sink/clickhouse/staging.js'));
const { publish } = await import(dist('sink/clickhouse/publish.js'));
const { RunRecorder } = await import(dist('sink/clickhouse/runs.js'));
const { REQUEST_COLUMNS } = await import(dist('sink/clickhouse/columns.js'));

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = option('rows', 1_000_000);
const DAYS = option('days', 2);
const REPEAT = option('repeat', 3);

/** How the engine makes up each column of row `number` (a realistic mix: 5,000 paths, 200,000 visitors). */
const EXPRESSIONS = {
  ts: `toDateTime('2024-03-01 00:00:00', 'UTC') + intDiv(number * ${86_400 * DAYS}, ${ROWS})`,
  site: "'www.example.com'", method: "'GET'", path: "concat('/p/', toString(number % 5000))", query: "''", protocol: "'HTTP/1.1'",
  status: 'if(number % 50 = 0, 404, 200)', bytes: 'number % 20000', is_page: 'number % 3 != 0', is_bot: 'number % 10 = 0',
  bot_name: "if(number % 10 = 0, 'Googlebot', '')", visitor_id: 'cityHash64(number % 200000)', is_entry: 'number % 7 = 0',
  client_net: "concat(toString(number % 250), '.', toString(number % 199), '.0.0/24')", country: "['DE', 'FR', 'US', 'GB'][number % 4 + 1]",
  region: "''", city: "['Berlin', 'Paris', 'Boston', 'London'][number % 4 + 1]", asn: 'number % 3000', org: "concat('AS', toString(number % 3000))",
  browser: "['Firefox', 'Chrome', 'Safari'][number % 3 + 1]", browser_version: "toString(100 + number % 30)", os: "['Linux', 'Windows', 'iOS'][number % 3 + 1]",
  os_version: "''", device_type: "['desktop', 'mobile'][number % 2 + 1]", referrer_host: "['', 'www.google.com', 'news.ycombinator.com'][number % 3 + 1]",
  run_id: '{run:UUID}', org_domain: "''", org_category: "'isp'", org_source: "'asn'", referrer_class: "['direct', 'search', 'social'][number % 3 + 1]",
  referrer_source: "''", search_keyword: "''", utm_source: "if(number % 20 = 0, 'newsletter', '')", utm_medium: "if(number % 20 = 0, 'email', '')",
  utm_campaign: "if(number % 20 = 0, 'spring', '')", utm_term: "''", utm_content: "''", language: "'de'", input_fingerprint: "'bench-input'",
};
const missing = REQUEST_COLUMNS.filter((c) => !(c.name in EXPRESSIONS));
if (missing.length > 0) throw new Error(`bench-publish.mjs: no expression for ${missing.map((c) => c.name).join(', ')}`);

async function stageRows(store, runId) {
  const recorder = RunRecorder.begin(store.client, runId, 'ingest', 'bench');
  await recorder.record('staging');
  const staging = await Staging.create(store.client, runId);
  const started = performance.now();
  await store.client.command({
    query: `INSERT INTO ${staging.requests} (${REQUEST_COLUMNS.map((c) => c.name).join(', ')})
            SELECT ${REQUEST_COLUMNS.map((c) => EXPRESSIONS[c.name]).join(', ')} FROM numbers(${ROWS})`,
    query_params: { run: runId }, clickhouse_settings: { max_partitions_per_insert_block: '0' },
  });
  return { recorder, staging, stageSeconds: (performance.now() - started) / 1000 };
}

async function publishRun(store, scope) {
  const { recorder, staging, stageSeconds } = await stageRows(store, randomUUID());
  const started = performance.now();
  const result = await publish(store.client, { staging, scope, files: [], recorder });
  await recorder.record('published', { days: result.days });
  const seconds = (performance.now() - started) / 1000;
  await staging.drop();
  return { stageSeconds, seconds, replaced: result.rowsReplaced };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { fresh: [], append: [], replace: [], stage: [] };
for (let r = 0; r < REPEAT; r++) {
  for (const kind of ['fresh', 'append', 'replace']) {
    const dir = mkdtempSync(join(tmpdir(), 'siftlog-bench-publish-'));
    const store = await Store.open({ dir });
    try {
      await store.migrate();
      if (kind !== 'fresh') await publishRun(store, null);
      const run = await publishRun(store, kind === 'replace' ? { fingerprints: ['bench-input'] } : null);
      if (kind === 'replace' && run.replaced !== ROWS) throw new Error(`replace replaced ${run.replaced} rows, not ${ROWS}`);
      results[kind].push(run.seconds);
      results.stage.push(run.stageSeconds);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const perMillion = (s) => (s / ROWS) * 1e6;
const summary = Object.fromEntries(['fresh', 'append', 'replace'].map((k) => [k, {
  seconds: Number(median(results[k]).toFixed(2)), secondsPerMillionRows: Number(perMillion(median(results[k])).toFixed(2)),
}]));
const stage = median(results.stage);
console.log(`publishing ${ROWS.toLocaleString('en-US')} rows over ${DAYS} days (median of ${REPEAT}; embedded engine, ${new Date().toISOString().slice(0, 10)})`);
console.log('                 seconds   s per 1M rows');
for (const [k, v] of Object.entries(summary)) console.log(`  ${k.padEnd(12)} ${v.seconds.toFixed(2).padStart(8)}   ${v.secondsPerMillionRows.toFixed(2).padStart(12)}`);
console.log(`  (staging the rows themselves, generated by the engine: ${stage.toFixed(2)} s, ${perMillion(stage).toFixed(2)} s per 1M rows)`);
console.log(JSON.stringify({ rows: ROWS, days: DAYS, repeat: REPEAT, ...summary, stageSeconds: Number(stage.toFixed(2)) }));
